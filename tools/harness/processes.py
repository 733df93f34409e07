"""Running programs: one-shot commands with their output, and daemons this harness owns by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .ui import Fatal


@dataclass(frozen=True)
class Result:
    status: int
    output: str


def run(command: Sequence[str], *, env: Mapping[str, str] | None = None, input_text: str | None
        = None, timeout: float | None = 600, cwd: Path | None = None) -> Result:
    """Runs COMMAND to its end; stdout and stderr together, as text."""
    try:
        completed = subprocess.run(list(command), env=dict(env) if env is not None else None,
                                   input=input_text, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=timeout, cwd=cwd,
                                   check=False)
    except FileNotFoundError as error:
        return Result(127, f"{command[0]}: {error.strerror}")
    except subprocess.TimeoutExpired as error:
        output = error.output.decode() if isinstance(error.output, bytes) else (error.output or "")
        return Result(124, output + f"\n(timed out after {timeout}s)")
    return Result(completed.returncode, completed.stdout)


def run_checked(command: Sequence[str], what: str, **kwargs) -> str:
    """run(), raising Fatal with the command's last lines when it fails."""
    result = run(command, **kwargs)
    if result.status != 0:
        tail = "\n".join(result.output.strip().splitlines()[-15:])
        raise Fatal(f"{what} failed (exit status {result.status}):\n{tail}")
    return result.output


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Polls CONDITION until it holds (True) or TIMEOUT seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class OwnedDaemon:
    """A long-running program this harness started itself, and so may stop: by its PID only."""

    name: str
    process: subprocess.Popen

    @staticmethod
    def start(name: str, command: Sequence[str], log: Path,
              env: Mapping[str, str] | None = None) -> "OwnedDaemon":
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as log_file:
            process = subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=log_file,
                                       stderr=subprocess.STDOUT, start_new_session=True,
                                       env=dict(env) if env is not None else None)
        return OwnedDaemon(name, process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def exited(self) -> int | None:
        return self.process.poll()

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then SIGKILL after TIMEOUT seconds; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode
