"""The Docker engine: one that already answers (DOCKER_HOST or /var/run/docker.sock), or a dockerd
this harness starts itself and stops again, by PID, when it is done."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..processes import OwnedDaemon, Result, run, wait_until
from ..ui import Fatal, Ui

# Debian's client comes first: a newer /usr/local/bin/docker may lack compose and buildx, and with
# DOCKER_BUILDKIT=1 it refuses to build without buildx.
CLIENT_PATH = "/usr/bin:/usr/sbin:/bin:/sbin:/usr/local/bin:/usr/local/sbin"
DEFAULT_SOCKET = Path("/var/run/docker.sock")


def client_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for docker and compose: Debian's client first, BuildKit on."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = CLIENT_PATH
    env["DOCKER_BUILDKIT"] = "1"
    env["COMPOSE_DOCKER_CLI_BUILD"] = "1"
    return env


@dataclass
class DockerEngine:
    log_dir: Path
    env: dict[str, str] = field(default_factory=client_environment)
    started: OwnedDaemon | None = None

    def docker(self, *arguments: str, timeout: float = 600, input_text: str | None = None
               ) -> Result:
        return run(["docker", *arguments], env=self.env, timeout=timeout, input_text=input_text)

    def answers(self) -> bool:
        return self.docker("version", "--format", "{{.Server.Version}}", timeout=15).status == 0

    def server_version(self) -> str:
        return self.docker("version", "--format", "{{.Server.Version}}", timeout=15).output.strip()

    def ensure_running(self, ui: Ui) -> None:
        where = self.env.get("DOCKER_HOST") or f"unix://{DEFAULT_SOCKET}"
        if self.answers():
            ui.ok(f"using the engine at {where} (Docker {self.server_version()})")
            return
        if self.env.get("DOCKER_HOST"):
            raise Fatal(f"DOCKER_HOST={self.env['DOCKER_HOST']} does not answer")
        if os.geteuid() != 0:
            raise Fatal("no Docker engine answers at /var/run/docker.sock, and starting one needs "
                        "root: start dockerd, or run this as root")
        log = self.log_dir / "dockerd.log"
        ui.detail(f"no engine answers: starting dockerd (log: {log})")
        daemon = OwnedDaemon.start("dockerd", ["dockerd", f"--host=unix://{DEFAULT_SOCKET}"], log,
                                   env=self.env)
        if not wait_until(lambda: daemon.exited() is not None or self.answers(), 60, 0.3) or \
                daemon.exited() is not None:
            daemon.stop()
            tail = log.read_text(errors="replace").splitlines()[-10:]
            raise Fatal("dockerd did not come up:\n" + "\n".join(tail))
        self.started = daemon
        ui.ok(f"dockerd {self.server_version()} is up (pid {daemon.pid})")

    def stop_if_started(self, ui: Ui) -> None:
        if self.started is None:
            return
        status = self.started.stop(60)
        ui.detail(f"stopped the dockerd this check started (pid {self.started.pid}, "
                  f"status {status})")
        self.started = None

    def image_labels(self, image: str) -> dict[str, str] | None:
        """The image's labels, or None when no image of that name is here."""
        result = self.docker("image", "inspect", "--format", "{{json .Config.Labels}}", image,
                             timeout=30)
        if result.status != 0:
            return None
        return json.loads(result.output.strip() or "null") or {}

    def image_size(self, image: str) -> int:
        result = self.docker("image", "inspect", "--format", "{{.Size}}", image, timeout=30)
        if result.status != 0:
            raise Fatal(f"no image {image}: {result.output.strip()}")
        return int(result.output.strip())

    def inspect(self, ids: Sequence[str]) -> list[dict]:
        if not ids:
            return []
        result = self.docker("inspect", *ids, timeout=60)
        if result.status != 0:
            raise Fatal(f"docker inspect failed: {result.output.strip()}")
        return json.loads(result.output)

    def listing(self, kind: str, label: str) -> list[str]:
        """IDs (names for volumes) of containers, networks or volumes carrying LABEL."""
        arguments = {"container": ["ps", "-a", "-q"], "network": ["network", "ls", "-q"],
                     "volume": ["volume", "ls", "-q"]}[kind]
        result = self.docker(*arguments, "--filter", f"label={label}", timeout=60)
        if result.status != 0:
            raise Fatal(f"docker {' '.join(arguments)} failed: {result.output.strip()}")
        return result.output.split()
