"""`./dev stack`: the harness's command line, which ./dev, the C++ test support and people share.
It starts, stops, kills and restarts one component of a given stack, and brings whole stacks up
and down."""

from __future__ import annotations

import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..paths import Repo
from ..ui import Ui, format_duration
from .services import SERVICES
from .stack import Stack

USAGE = """Usage: ./dev stack [--dir DIR] VERB [TARGET] [OPTIONS] [KEY=VAL…]   (options in any order)

DIR is the stack folder (default: .stack of the repository). TARGET is one of
  postgres  nats  order-service  inventory-worker  payment-worker  shipping-worker  event-monitor
(in a stack up with --nats-cluster also nats-1, nats-2, nats-3: one node; nats means all three)

Verbs on one component:
  start [--no-wait] TARGET [KEY=VAL…]  start it; waits for /readyz 200 (60 s; fails fast with the
                                       log's tail if the process exits). KEY=VAL (services only)
                                       apply to this run, e.g. FAULT_POINT=after_commit_before_ack
  stop TARGET                          SIGTERM, wait up to 20 s, then SIGKILL with a warning
                                       (postgres: pg_ctl stop -m fast)
  kill TARGET                          SIGKILL (postgres: the postmaster and its children)
  restart [--no-wait] TARGET [KEY=VAL…]  stop, then start
  status [TARGET]                      exit 0 when running (no TARGET: the whole stack)
  wait-ready TARGET [--timeout S]      wait until it answers ready (default 60 s)
  pid TARGET                           print its PID (exit 1 when not running)
  exit-code TARGET                     print the exit status of its last run (128+N: killed by
                                       signal N); exit 1 when none is recorded (still running,
                                       never run, or postgres). Right after the process ended it
                                       waits for the status to be recorded.

Verbs on the whole stack:
  up [--profile P] [--nats-cluster] [--split-databases]
                                       PostgreSQL, NATS (3 nodes with --nats-cluster), schema,
                                       env file, the services. P: default, test, chaos or
                                       chaos-unsafe. Stacks other than .stack use free ports.
                                       --split-databases: a database per service.
  down [--wipe]                        stop everything it started; --wipe deletes its data too
"""

ONE_COMPONENT_VERBS = ("start", "stop", "kill", "restart", "wait-ready", "pid", "exit-code")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class ComponentArguments:
    """The arguments of a one-component verb, in any order."""

    target: str = ""
    wait: bool = True
    timeout: float = 60
    extra: dict[str, str] = field(default_factory=dict)


def parse_component_arguments(verb: str, arguments: list[str],
                              is_component, is_service) -> ComponentArguments:
    parsed = ComponentArguments()
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if argument == "--no-wait":
            if verb not in ("start", "restart"):
                raise UsageError("--no-wait is for start/restart")
            parsed.wait = False
        elif argument == "--timeout":
            if verb != "wait-ready" or not rest or not rest[0].isdigit():
                raise UsageError("wait-ready takes --timeout SECONDS")
            parsed.timeout = int(rest.pop(0))
        elif argument.startswith("-"):
            raise UsageError(f"unknown option '{argument}' for {verb}")
        elif "=" in argument:
            if verb not in ("start", "restart"):
                raise UsageError("KEY=VAL is for start/restart")
            key, _, value = argument.partition("=")
            if not VARIABLE.match(key):
                raise UsageError(f"bad variable name in '{argument}'")
            parsed.extra[key] = value
        else:
            if parsed.target:
                raise UsageError(f"{verb} takes one target ('{parsed.target}' and '{argument}' "
                                 "given)")
            if not is_component(argument):
                raise UsageError(f"unknown target '{argument}' (postgres, nats, "
                                 f"{' '.join(SERVICES)})")
            parsed.target = argument
    if not parsed.target:
        raise UsageError(f"{verb} needs a target: postgres, nats or a service")
    if parsed.extra and not is_service(parsed.target):
        raise UsageError(f"KEY=VAL applies to services, not {parsed.target}")
    return parsed


def stack_command(repo: Repo, ui: Ui, arguments: list[str]) -> int:
    directory = repo.default_stack
    rest = list(arguments)
    while rest:
        if rest[0] == "--dir":
            if len(rest) < 2:
                raise UsageError("--dir needs a folder")
            directory = Path(rest[1])
            del rest[:2]
        elif rest[0].startswith("--dir="):
            directory = Path(rest.pop(0).removeprefix("--dir="))
        elif rest[0] in ("-h", "--help", "help"):
            ui.say(USAGE.rstrip("\n"))
            return 0
        else:
            break
    if not rest:
        ui.say(USAGE.rstrip("\n"))
        return 2
    verb, rest = rest[0], rest[1:]
    stack = Stack(directory, repo, ui)
    if verb == "up":
        return stack_up(stack, rest)
    if verb == "down":
        return stack_down(stack, rest)
    if verb == "status":
        stack.config  # a stack must exist: the error names how to make one
        if not rest:
            return 0 if stack.status() else 1
        if not stack.is_component(rest[0]):
            raise UsageError(f"unknown target '{rest[0]}'")
        return 0 if stack.status_of(rest[0]) else 1
    if verb not in ONE_COMPONENT_VERBS:
        raise UsageError(f"unknown stack verb '{verb}'")
    stack.config  # first: whether nats-1..3 are targets depends on the stack
    parsed = parse_component_arguments(verb, rest, stack.is_component,
                                       lambda target: target in SERVICES)
    target = parsed.target
    if verb == "pid":
        pid = stack.pid(target)
        if pid is None:
            ui.error(f"{target} is not running{stack.procs.last_exit_note(target)}")
            return 1
        ui.say(str(pid))
    elif verb == "exit-code":
        ui.say(str(stack.exit_code(target)))
    elif verb == "wait-ready":
        stack.wait_ready(target, parsed.timeout)
    else:
        with stack.locked():
            if verb == "start":
                stack.start(target, parsed.wait, parsed.extra)
            elif verb == "stop":
                stack.stop(target)
            elif verb == "kill":
                stack.kill(target)
            else:
                stack.restart(target, parsed.wait, parsed.extra)
    return 0


def stack_up(stack: Stack, arguments: list[str]) -> int:
    profile, cluster, split = "default", False, False
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if argument == "--profile":
            if not rest:
                raise UsageError("--profile needs a name")
            profile = rest.pop(0)
        elif argument == "--nats-cluster":
            cluster = True
        elif argument == "--split-databases":
            split = True
        else:
            raise UsageError(f"unexpected argument '{argument}' for up")
    port_mode = "fixed" if stack.dir == stack.repo.default_stack else "free"
    stack.ui.steps(4)
    started = time.monotonic()
    try:
        stack.up(profile, port_mode, cluster, split)
    except Exception:
        stack.ui.error(f"{stack.label()} is not fully up (see above)")
        raise
    stack.ui.say(f"{stack.label()} is up in {format_duration(time.monotonic() - started)}; env: "
                 f"{stack.env_file}")
    return 0


def stack_down(stack: Stack, arguments: list[str]) -> int:
    wipe = False
    for argument in arguments:
        if argument != "--wipe":
            raise UsageError(f"unexpected argument '{argument}' for down")
        wipe = True
    if stack.exists():
        if not stack.down():
            stack.ui.error(f"some processes of {stack.label()} did not stop")
            return 1
        stack.ui.say(f"{stack.label()} is down.")
    else:
        stack.ui.say(f"no stack in {stack.dir}: nothing to stop")
    if wipe:
        with stack.locked() if stack.dir.is_dir() else nullcontext():
            stack.wipe()
    return 0

