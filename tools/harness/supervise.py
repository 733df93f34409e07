"""Runs one stack process and records how it ended:

    python3 -m harness.supervise PID_FILE EXIT_FILE ENV_FILE COMMAND [ARG…]

Started detached (its own session) with its output appended to the process's log. COMMAND gets
exactly the KEY=VALUE lines of ENV_FILE as its environment (a file, so secrets never show in
`ps`). The PID recorded is COMMAND's own, so signals reach the program rather than this
supervisor, which only waits: it writes EXIT_FILE (the exit status, 128+N for signal N) before
it ends, so "the process is gone and its supervisor too" means "its status is recorded".
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path


def read_environment(path: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in path.read_text().splitlines():
        key, separator, value = line.partition("=")
        if separator and key:
            env[key] = value
    return env


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text)
    partial.replace(path)


def exit_status(returncode: int) -> int:
    """Popen's -N (killed by signal N) as a shell reports it: 128+N."""
    return 128 - returncode if returncode < 0 else returncode


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print("usage: python3 -m harness.supervise PID_FILE EXIT_FILE ENV_FILE COMMAND [ARG…]",
              file=sys.stderr)
        return 2
    pid_file, exit_file, env_file = map(Path, argv[:3])
    command = argv[3:]
    # Whoever stops the stack signals the program itself; a signal meant for the supervisor
    # (a terminal's Ctrl-C never reaches this session) is passed on rather than orphaning it.
    child = subprocess.Popen(command, env=read_environment(env_file), stdin=subprocess.DEVNULL,
                             close_fds=True)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: child.send_signal(number))
    write_atomically(pid_file, f"{child.pid}\n")
    status = exit_status(child.wait())
    write_atomically(exit_file, f"{status}\n")
    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    if status > 128:
        print(f"=== {now}: exited, killed by signal {status - 128} (status {status}) ===",
              flush=True)
    else:
        print(f"=== {now}: exited with status {status} ===", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
