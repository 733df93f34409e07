"""./dev COMMAND: the dispatch of every command, and the help."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .commands import bench, chaos, dlq, fuzz, local, test
from .commands.context import Context
from .errors import Fatal, UsageError
from .paths import Repo
from .stack.cli import stack_command
from .ui import Ui

USAGE = """Usage: ./dev COMMAND

  up [--nats-cluster] [--split-databases]
                     install missing Debian packages, build the services, and run the whole
                     system locally in .stack/ (PostgreSQL 127.0.0.1:55432, NATS 127.0.0.1:14222,
                     services on 8080, 9101-9104); writes .stack/env. Safe to run again.
                     --nats-cluster: three JetStream nodes (the first on 14222), the stream at 3
                     replicas. --split-databases: a database per service on the one server, each
                     reached only by its service's *_DATABASE_URL.
  down [--wipe]      stop what `up` started; --wipe also deletes the stack's data
  status             what runs in .stack/
  logs TARGET [-f]   the log of postgres, nats or a service in .stack/ (-f: follow)
  token [--operator] [SUB]
                     a 7-day token for the .stack/ services (default SUB: demo);
                     --operator: an operator's token (roles: operator)
  test               every test: unit, then integration/acceptance on a fresh .stack-test/
  build [ARGS…]      configure and build into build/ (ARGS go to cmake --build, e.g. --target X)
  deps               install the missing Debian packages only
  fuzz [SECONDS]     build the GraphQL engine's libFuzzer targets (clang-14) into build-fuzz/
                     and run each for its share of SECONDS (default 600); not part of CI
  chaos [OPTIONS]    orders under a seeded schedule of crashes and restarts of every service,
                     NATS and PostgreSQL on .stack-chaos/, then the invariants (./dev chaos --help)
  bench [--quick] [--rate N] [--split-databases] [--keep]
                     load test on a fresh private stack (.stack-bench/, Release build in
                     build-release/): saturation, latency, reads, then the invariants
                     (./dev bench --help)
  dlq list|replay ID dead letters of .stack: list them, or re-publish one once its cause is fixed
                     (./dev dlq help; --dir DIR for another stack)
  compose-check [--orders N] [--keep]
                     build docker-compose.yml's images (Docker engine started if none answers;
                     local stand-ins for registry images) and run the walkthrough, a scaled
                     payment worker, a crash and `down -v` against it (./dev compose-check --help)
  stack …            the stack harness: start/stop/kill/restart one component of a stack
                     (./dev stack help)
  help               this text

Environment: CHOREO_BUILD_DIR (default build/), CHOREO_SKIP_DEPS=1 (skip apt),
LOG_LEVEL / LOG_FORMAT (for the services of a stack being brought up), NO_COLOR."""


def compose_check(context: Context, arguments: list[str]) -> int:
    from .compose.check import main
    return main(arguments, context.repo.root)


def stack(context: Context, arguments: list[str]) -> int:
    return stack_command(context.repo, context.ui, arguments)


COMMANDS: dict[str, Callable[[Context, list[str]], int]] = {
    "up": local.up, "down": local.down, "status": local.status, "logs": local.logs,
    "token": local.token, "test": test.test, "build": local.build_command, "deps": local.deps,
    "fuzz": fuzz.fuzz, "chaos": chaos.chaos, "bench": bench.bench, "dlq": dlq.dlq,
    "compose-check": compose_check, "stack": stack,
}


def main(argv: list[str], root: Path) -> int:
    context = Context(Repo.from_environment(root))
    ui: Ui = context.ui
    command = argv[0] if argv else "help"
    try:
        if command in ("help", "-h", "--help"):
            ui.say(USAGE)
            return 0
        if command not in COMMANDS:
            raise UsageError(f"unknown command '{command}'")
        return COMMANDS[command](context, argv[1:])
    except UsageError as failure:
        ui.error(str(failure))
        print("Run ./dev help (or ./dev stack help) for usage.", file=ui.err, flush=True)
        return 2
    except Fatal as failure:
        ui.error(str(failure))
        return failure.status
    except KeyboardInterrupt:
        ui.error("interrupted")
        return 130
