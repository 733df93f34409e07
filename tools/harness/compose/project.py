"""One compose project: the compose command line (v2 `docker compose`, or Debian's v1
`docker-compose`), and what the check asks of its containers."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..docker.engine import DockerEngine
from ..processes import Result, run
from ..ui import Fatal

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"


def compose_command(engine: DockerEngine) -> list[str]:
    """`docker compose` where the v2 plugin is installed, else `docker-compose`."""
    if engine.docker("compose", "version", timeout=30).status == 0:
        return ["docker", "compose"]
    if run(["docker-compose", "version"], env=engine.env, timeout=30).status == 0:
        return ["docker-compose"]
    raise Fatal("neither `docker compose` nor `docker-compose` works (apt-get install "
                "docker-compose)")


@dataclass
class Container:
    id: str
    name: str
    service: str
    status: str  # running, restarting, exited…
    health: str  # healthy, starting, unhealthy, or "" without a health check
    pid: int
    restart_count: int
    ports: dict[str, int]  # "9102/tcp" -> host port
    exit_code: int = 0

    @staticmethod
    def from_inspect(data: dict) -> "Container":
        state = data["State"]
        ports: dict[str, int] = {}
        for port, bindings in ((data.get("NetworkSettings") or {}).get("Ports") or {}).items():
            if bindings:
                ports[port] = int(bindings[0]["HostPort"])
        return Container(id=data["Id"][:12], name=data["Name"].lstrip("/"),
                         service=data["Config"]["Labels"].get(SERVICE_LABEL, ""),
                         status=state["Status"], health=(state.get("Health") or {}).get(
                             "Status", ""), pid=int(state.get("Pid") or 0),
                         restart_count=int(data.get("RestartCount") or 0), ports=ports,
                         exit_code=int(state.get("ExitCode") or 0))


@dataclass
class ComposeProject:
    engine: DockerEngine
    compose_file: Path
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.command:
            self.command = compose_command(self.engine)

    @property
    def spelling(self) -> str:
        return " ".join(self.command)

    def _argv(self, arguments: Sequence[str]) -> list[str]:
        return [*self.command, "-f", str(self.compose_file), "-p", self.name, *arguments]

    def _env(self) -> dict[str, str]:
        return {**self.engine.env, **self.variables}

    def run(self, *arguments: str, timeout: float = 600, input_text: str | None = None) -> Result:
        return run(self._argv(arguments), env=self._env(), timeout=timeout,
                   input_text=input_text, cwd=self.compose_file.parent)

    def checked(self, *arguments: str, timeout: float = 600) -> str:
        result = self.run(*arguments, timeout=timeout)
        if result.status != 0:
            tail = "\n".join(result.output.strip().splitlines()[-20:])
            raise Fatal(f"{self.spelling} {' '.join(arguments)} failed:\n{tail}")
        return result.output

    def stream(self, arguments: Sequence[str], log: Path, on_line: Callable[[str], None],
               timeout: float) -> int:
        """Runs a long compose command (a build), its output into LOG and line by line to
        ON_LINE; returns its exit status."""
        deadline = time.monotonic() + timeout
        with open(log, "w", encoding="utf-8") as log_file:
            process = subprocess.Popen(self._argv(arguments), env=self._env(),
                                       cwd=self.compose_file.parent, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True, errors="replace")
            assert process.stdout is not None
            for line in process.stdout:
                log_file.write(line)
                on_line(line.rstrip("\n"))
                if time.monotonic() > deadline:
                    process.kill()
                    break
            return process.wait()

    def containers(self, service: str | None = None) -> list[Container]:
        label = f"{PROJECT_LABEL}={self.name}"
        ids = self.engine.listing("container", label)
        found = [Container.from_inspect(data) for data in self.engine.inspect(ids)]
        return sorted((c for c in found if service is None or c.service == service),
                      key=lambda c: c.name)

    def exec(self, service: str, *command: str, timeout: float = 120) -> Result:
        # -T: no terminal, as from a script; the output comes back whole.
        return self.run("exec", "-T", service, *command, timeout=timeout)

    def psql(self, statement: str) -> list[list[str]]:
        """Rows of one statement through `compose exec postgres psql`, as lists of strings."""
        result = self.exec("postgres", "psql", "-U", "orders", "orders", "-X", "-q", "-At",
                           "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", statement)
        if result.status != 0:
            raise Fatal(f"psql failed: {result.output.strip()}\nstatement: {statement}")
        return [line.split("\t") for line in result.output.splitlines() if line != ""]

    def logs_tail(self, service: str, lines: int = 30) -> list[str]:
        return self.run("logs", "--no-color", "--tail", str(lines), service,
                        timeout=60).output.splitlines()
