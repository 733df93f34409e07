"""./dev chaos: orders under a seeded schedule of crashes and restarts on a private stack
(.stack-chaos), then the invariants (tests/chaos/chaos.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

from .. import packages
from ..build import build
from ..errors import Fatal, UsageError
from ..stack.stack import Stack
from ..ui import format_duration
from .context import Context

USAGE = """Usage: ./dev chaos [--orders N] [--seed S] [--faults F] [--nats-cluster] [--split-databases] [--unsafe]
                   [--keep]

  --orders N      orders to create during the run (default 200)
  --seed S        the fault schedule's and the orders' seed (default: random; printed)
  --faults F      faults to inject (default: each service, NATS and PostgreSQL once; 30 or more
                  from 2,000 orders)
  --nats-cluster  three nats-server nodes, the stream at 3 replicas; faults hit one node at a time
  --split-databases
                  a database per service (each service reaches only its own); the invariants
                  compare them by order id and event id
  --unsafe        every idempotency guard off (test-only switch): the run must REPORT violations,
                  which shows that the checker can fail
  --keep          leave the stack running afterwards (./dev stack --dir .stack-chaos down)"""


@dataclass
class ChaosOptions:
    profile: str = "chaos"
    cluster: bool = False
    split_databases: bool = False
    keep: bool = False
    runner: list[str] = field(default_factory=list)  # arguments for tests/chaos/chaos.py


def parse(arguments: list[str]) -> ChaosOptions | None:
    """None: the help was asked for."""
    options = ChaosOptions()
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if argument in ("--orders", "--seed", "--faults"):
            if not rest or not rest[0].isdigit():
                raise UsageError(f"{argument} takes a number")
            options.runner += [argument, rest.pop(0)]
        elif argument == "--nats-cluster":
            options.cluster = True
        elif argument == "--split-databases":
            options.split_databases = True
        elif argument == "--unsafe":
            options.profile = "chaos-unsafe"
            options.runner.append("--expect-violations")
        elif argument == "--keep":
            options.keep = True
        elif argument in ("-h", "--help", "help"):
            return None
        else:
            raise UsageError(f"unknown option '{argument}' for ./dev chaos (./dev chaos --help)")
    return options


def chaos(context: Context, arguments: list[str]) -> int:
    options = parse(arguments)
    if options is None:
        context.ui.say(USAGE)
        return 0
    ui = context.ui
    started = time.monotonic()
    ui.steps(7)
    ui.step("checking Debian packages")
    context.install(packages.BUILD_AND_RUN)
    ui.step("building")
    build(context.repo, ui)
    status = chaos_run(context, options)
    ui.say(f"./dev chaos finished in {format_duration(time.monotonic() - started)} with status "
           f"{status}")
    return status


def chaos_run(context: Context, options: ChaosOptions, as_details: bool = False) -> int:
    """A fresh .stack-chaos, the run, and (unless KEEP) the stack stopped again; the run's exit
    status. ./dev chaos and ./dev test's reduced run (which has built already) use it."""
    ui = context.ui
    stack = Stack(context.repo.chaos_stack, context.repo, ui)
    stack.steps_as_details = as_details
    try:
        stack.up_fresh(options.profile, options.cluster, options.split_databases)
    except Fatal as failure:
        ui.error(str(failure))
        raise Fatal(f"the chaos stack did not come up (logs in {stack.dir}/logs)") from None
    status = 1
    try:
        stack.step("running the chaos schedule (tests/chaos/chaos.py)")
        runner = list(options.runner)
        if options.cluster:
            runner += ["--nats-nodes", "3"]
        env = dict(os.environ, PYTHONPATH=context.repo.python_path())
        status = subprocess.run([sys.executable, str(context.repo.root / "tests/chaos/chaos.py"),
                                 "--stack-dir", str(stack.dir), *runner], env=env,
                                check=False).returncode
    finally:
        if options.keep:
            ui.say(f"the chaos stack keeps running: ./dev stack --dir {stack.dir} down")
        else:
            ui.say("")
            ui.say(f"stopping the chaos stack (logs stay in {stack.dir}/logs)")
            if not stack.down():
                ui.warn("the chaos stack did not stop cleanly")
    return status
