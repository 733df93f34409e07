"""python3 -m harness COMMAND [ARGS…]: the commands of ./dev that live in this package."""

from __future__ import annotations

import sys
from pathlib import Path

from .ui import Fatal, Ui

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print("usage: python3 -m harness compose-check [--orders N] [--project NAME] [--keep]")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "compose-check":
            from .compose.check import main as compose_check
            return compose_check(rest, ROOT)
    except Fatal as failure:
        Ui().error(str(failure))
        return failure.status
    except KeyboardInterrupt:
        return 130
    Ui().error(f"unknown command '{command}'")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
