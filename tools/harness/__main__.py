"""python3 -m harness COMMAND [ARGS…]: ./dev's commands (./dev execs exactly this)."""

import sys
from pathlib import Path

from .cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], Path(__file__).resolve().parents[2]))
