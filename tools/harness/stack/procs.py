"""Detached processes of a stack (the services and nats-server): each runs under
`harness.supervise` in its own session, with its PID in pids/NAME.pid, its supervisor's in
pids/NAME.supervisor, its exit status in pids/NAME.exit and its output appended to
logs/NAME.log. Before any signal, the PID is checked to still be this stack's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import Fatal
from ..processes import wait_until
from ..ui import Ui


def read_proc(pid: int, entry: str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/{entry}").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return None


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class StackProcesses:
    stack_dir: Path
    root: Path  # the repository: the supervisor is its tools/harness

    def pid_file(self, name: str) -> Path:
        return self.stack_dir / "pids" / f"{name}.pid"

    def exit_file(self, name: str) -> Path:
        return self.stack_dir / "pids" / f"{name}.exit"

    def supervisor_file(self, name: str) -> Path:
        return self.stack_dir / "pids" / f"{name}.supervisor"

    def environment_file(self, name: str) -> Path:
        return self.stack_dir / "pids" / f"{name}.environment"

    def log_file(self, name: str) -> Path:
        return self.stack_dir / "logs" / f"{name}.log"

    def is_ours(self, pid: int, match: str) -> bool:
        """PID runs MATCH (one of its exact arguments: the binary or its config file) AND was
        started for this stack (CHOREO_STACK_DIR in its environment). A reused PID, a zombie, or
        the same binary serving another stack all fail the test."""
        if pid <= 0:
            return False
        arguments = read_proc(pid, "cmdline")
        if not arguments or match not in arguments:
            return False
        environment = read_proc(pid, "environ")
        return environment is not None and f"CHOREO_STACK_DIR={self.stack_dir}" in environment

    def pid(self, name: str, match: str) -> int | None:
        """The PID of the stack's running NAME, or None."""
        pid = read_int(self.pid_file(name))
        return pid if pid is not None and self.is_ours(pid, match) else None

    def supervisor_alive(self, name: str) -> bool:
        pid = read_int(self.supervisor_file(name))
        if pid is None or is_zombie(pid):
            return False
        arguments = read_proc(pid, "cmdline")
        return bool(arguments) and "harness.supervise" in arguments and \
            str(self.pid_file(name)) in arguments

    def launch(self, name: str, environment: Mapping[str, str], command: list[str]) -> int:
        """Starts COMMAND detached under the supervisor with exactly ENVIRONMENT (plus
        CHOREO_STACK_DIR, which marks the process as this stack's); returns its PID once
        recorded. The environment stays in pids/NAME.environment (mode 600), a record of what
        the last run was given."""
        for folder in ("pids", "logs"):
            (self.stack_dir / folder).mkdir(parents=True, exist_ok=True)
        for stale in (self.pid_file(name), self.exit_file(name)):
            stale.unlink(missing_ok=True)
        env_file = self.environment_file(name)
        lines = [f"{key}={value}" for key, value in environment.items()]
        lines.append(f"CHOREO_STACK_DIR={self.stack_dir}")
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write("\n".join(lines) + "\n")
        log = self.log_file(name)
        with open(log, "ab") as output:
            supervisor = subprocess.Popen(
                [sys.executable, "-m", "harness.supervise", str(self.pid_file(name)),
                 str(self.exit_file(name)), str(env_file), *command],
                cwd=self.stack_dir, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                start_new_session=True, close_fds=True,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(self.root / "tools")})
        self.supervisor_file(name).write_text(f"{supervisor.pid}\n")
        if not wait_until(lambda: read_int(self.pid_file(name)) is not None, 10, 0.02):
            raise Fatal(f"{name}: no PID recorded in {self.pid_file(name)} within 10s")
        pid = read_int(self.pid_file(name))
        assert pid is not None
        return pid

    def wait_gone(self, pid: int, match: str, timeout: float) -> bool:
        return wait_until(lambda: not self.is_ours(pid, match), timeout, 0.05)

    def wait_exit_recorded(self, name: str, timeout: float = 10) -> bool:
        """Once the program has ended, its supervisor records the status within moments: wait for
        it (or for the supervisor to be gone), so that a status right after an exit is there."""
        return wait_until(lambda: self.exit_file(name).exists() or
                          not self.supervisor_alive(name), timeout, 0.02)

    def exit_code(self, name: str) -> int | None:
        """The exit status of NAME's last run (128+N for signal N), waiting for its supervisor
        to record it; None when there is none (never run, still running, supervisor lost)."""
        self.wait_exit_recorded(name)
        return read_int(self.exit_file(name))

    def last_exit_note(self, name: str) -> str:
        code = read_int(self.exit_file(name))
        return f" (last exit status {code})" if code is not None else ""

    def stop(self, ui: Ui, name: str, match: str, timeout: float = 20) -> None:
        """SIGTERM, wait, then SIGKILL with a warning."""
        pid = self.pid(name, match)
        if pid is None:
            ui.say(f"{name}: not running{self.last_exit_note(name)}")
            return
        self._signal(pid, signal.SIGTERM)
        if not self.wait_gone(pid, match, timeout):
            ui.warn(f"{name} (pid {pid}) did not stop within {timeout:.0f}s of SIGTERM; "
                    "sending SIGKILL")
            self._signal(pid, signal.SIGKILL)
            if not self.wait_gone(pid, match, 10):
                raise Fatal(f"{name} (pid {pid}) survived SIGKILL")
        self._after_exit(ui, name)
        ui.say(f"{name}: stopped (pid {pid}){self.last_exit_note(name)}")

    def kill(self, ui: Ui, name: str, match: str) -> None:
        """SIGKILL, as a crash would."""
        pid = self.pid(name, match)
        if pid is None:
            ui.say(f"{name}: not running{self.last_exit_note(name)}")
            return
        self._signal(pid, signal.SIGKILL)
        if not self.wait_gone(pid, match, 10):
            raise Fatal(f"{name} (pid {pid}) survived SIGKILL")
        self._after_exit(ui, name)
        ui.say(f"{name}: killed (pid {pid}){self.last_exit_note(name)}")

    def _after_exit(self, ui: Ui, name: str) -> None:
        if not self.wait_exit_recorded(name):
            ui.warn(f"{name}: its exit status was not recorded (was its supervisor killed?)")

    @staticmethod
    def _signal(pid: int, number: int) -> None:
        try:
            os.kill(pid, number)
        except ProcessLookupError:
            pass

