"""`./dev bench`: builds (Release into build-release/, unless CHOREO_BUILD_DIR names a build),
brings up a fresh private stack in .stack-bench/ with the production-like defaults (default
profile; PostgreSQL fsync and synchronous_commit on; JetStream file storage), runs the load
generator (tools/bench, choreo-bench) against it, and stops the stack at the end whatever
happens (--keep leaves it running)."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import packages
from ..build import SERVICE_TARGETS, build
from ..errors import Fatal, UsageError
from ..processes import wait_until
from ..stack.env_file import read_env_file
from ..stack.stack import Stack
from ..ui import format_duration
from .context import Context

USAGE = """Usage: ./dev bench [--quick] [--rate N] [--scenarios LIST] [--split-databases]
                   [--dashboards N] [--keep]

  --quick    each scenario for a few seconds; asserts only that every order terminated (this is
             the smoke test ./dev test runs), never a speed
  --rate N   orders per second of the open-loop latency scenario (default 200)
  --scenarios LIST
             only these of saturation, latency, reads (e.g. reads,latency)
  --split-databases
             a database per service on the one server (the invariants compare them by order id)
  --dashboards N
             keep N signed-in dashboards open on the event monitor throughout (N pages of one
             headless Chromium, tests/browser/dashboards.mjs), to see what they cost the monitor;
             Chromium's own CPU is not counted, but it shares the machine
  --keep     leave the bench stack (.stack-bench) running afterwards, to look around;
             stop it with ./dev stack --dir .stack-bench down

Builds Release into build-release/ (CHOREO_BUILD_DIR=DIR: use that build instead), starts a fresh
stack in .stack-bench/ with durable settings, and runs, one after the other:
  saturation  64 clients creating one-item orders back to back for 30 s, then the drain
  latency     an open loop at --rate orders/s for 30 s: createOrder and createOrder->shipped
  reads       32 clients reading order(id) with items, payment and shipment for 15 s
then prints one line per scenario, the peak RSS and CPU per 1,000 orders of every process
(PostgreSQL and nats-server included), and a JSON object (also in .stack-bench/logs/bench.out).
It exits non-zero when an invariant does not hold after the drain (an order not terminal or
failed, a shipped order without exactly one succeeded payment and one shipment, reserved stock
out of bounds, a dead letter, a failed request)."""

BENCH_TARGETS = ["choreo-bench", *SERVICE_TARGETS]


@dataclass
class BenchOptions:
    keep: bool = False
    split_databases: bool = False
    dashboards: int = 0
    generator: list[str] = field(default_factory=list)


def parse(arguments: list[str]) -> BenchOptions | None:
    options = BenchOptions()
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if argument == "--quick":
            options.generator.append("--quick")
        elif argument == "--rate":
            if not rest or not re.fullmatch(r"[1-9][0-9]*", rest[0]):
                raise UsageError("--rate takes a whole number of orders per second")
            options.generator += ["--rate", rest.pop(0)]
        elif argument == "--scenarios":
            if not rest or not re.fullmatch(r"[a-z,]+", rest[0]):
                raise UsageError("--scenarios takes a list such as reads,latency")
            options.generator += ["--scenarios", rest.pop(0)]
        elif argument == "--dashboards":
            if not rest or not re.fullmatch(r"[1-9][0-9]?", rest[0]):
                raise UsageError("--dashboards takes a number from 1 to 99")
            options.dashboards = int(rest.pop(0))
        elif argument == "--keep":
            options.keep = True
        elif argument == "--split-databases":
            options.split_databases = True
        elif argument in ("-h", "--help", "help"):
            return None
        else:
            raise UsageError(f"unknown argument '{argument}' for ./dev bench")
    return options


def bench(context: Context, arguments: list[str]) -> int:
    options = parse(arguments)
    if options is None:
        context.ui.say(USAGE)
        return 0
    ui = context.ui
    started = time.monotonic()
    ui.steps(4)
    ui.step("checking Debian packages")
    context.install(packages.BUILD_AND_RUN)
    ui.step("building the services and the load generator")
    repo = context.repo
    if repo.build_dir_given:
        build_dir, build_type = repo.build_dir_given, None
    else:
        build_dir, build_type = repo.release_build_dir, "Release"
    build(repo, ui, build_dir, build_type, targets=BENCH_TARGETS, echo=False)
    status = bench_run(context, build_dir, options)
    ui.say(f"./dev bench took {format_duration(time.monotonic() - started)}.")
    return status


def bench_smoke(context: Context) -> None:
    """For ./dev test: the quick bench on the build ./dev test made, which holds every binary."""
    build_dir = context.repo.build_dir
    if not (build_dir / "tools/bench/choreo-bench").exists():
        build(context.repo, context.ui, build_dir, None, targets=BENCH_TARGETS, echo=False)
    if bench_run(context, build_dir, BenchOptions(generator=["--quick"]), as_details=True) != 0:
        raise Fatal("the quick bench failed")


def bench_run(context: Context, build_dir: Path, options: BenchOptions,
              as_details: bool = False) -> int:
    """The stack, the generator, the teardown; the generator's exit status."""
    ui = context.ui
    binary = build_dir / "tools" / "bench" / "choreo-bench"
    if not binary.exists():
        raise Fatal(f"{binary} is missing (the build did not make it)")
    from ..paths import Repo
    repo = Repo(context.repo.root, build_dir)
    stack = Stack(context.repo.bench_stack(context.env), repo, ui)
    stack.steps_as_details = True
    step = ui.detail if as_details else ui.step
    status = 1
    audience: subprocess.Popen | None = None
    try:
        step(f"starting a fresh bench stack in {stack.label()} (default profile, durable "
             f"settings{', a database per service' if options.split_databases else ''})")
        try:
            stack.up_fresh("default", split_databases=options.split_databases)
        except Fatal as failure:
            ui.error(str(failure))
            raise Fatal(f"the bench stack did not come up (logs in {stack.dir}/logs)") from None
        processes = []
        for name, pid in stack.process_ids().items():
            # PostgreSQL's CPU is the postmaster's plus every backend's.
            processes += ["--process-tree" if name == "postgres" else "--process",
                          f"{name}={pid}"]
        env = {**context.env, **read_env_file(stack.env_file)}
        if options.dashboards:
            step(f"opening {options.dashboards} dashboards on the event monitor")
            audience = open_dashboards(context, stack, env, options.dashboards)
        step(f"running the load generator ({binary})")
        out = stack.dir / "logs" / "bench.out"
        with open(out, "w") as output:
            process = subprocess.Popen([str(binary), *options.generator, *processes], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, errors="replace")
            assert process.stdout is not None
            for line in process.stdout:
                output.write(line)
                print(line, end="", flush=True)
            status = process.wait()
        if status == 0:
            ui.ok(f"all invariants hold (output also in {out})")
        else:
            ui.error(f"the bench failed (exit status {status}); see above, {out} and "
                     f"{stack.dir}/logs/")
    finally:
        if audience is not None:
            audience.terminate()
            audience.wait(timeout=30)
        if options.keep:
            ui.say("")
            ui.say(f"The bench stack stays up ({stack.label()}): source {stack.env_file}; stop "
                   f"it with ./dev stack --dir {stack.label()} down")
        else:
            ui.say("")
            ui.say(f"stopping the bench stack (logs stay in {stack.dir}/logs)")
            if stack.exists():
                with stack.quietly():
                    if not stack.down():
                        ui.warn("the bench stack did not stop cleanly")
    return status


def open_dashboards(context: Context, stack: Stack, env: dict[str, str],
                    count: int) -> subprocess.Popen:
    """COUNT dashboards signed in to the stack's event monitor, kept open until terminated; what
    they print goes to logs/dashboards.log."""
    from .browser import prepare_browser
    folder = prepare_browser(context)
    log = stack.dir / "logs" / "dashboards.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            ["node", str(folder / "dashboards.mjs"), str(count)],
            env={**env, "OPERATOR_TOKEN": stack.make_token("operator", operator=True)},
            stdin=subprocess.PIPE, stdout=output, stderr=subprocess.STDOUT)
    live = f"{count} dashboards live"
    if wait_until(lambda: process.poll() is not None or live in log.read_text(errors="replace"),
                  timeout=120, interval=0.5) and process.poll() is None:
        context.ui.detail(f"{live} (their output: {log})")
        return process
    process.kill()
    process.wait()
    raise Fatal(f"the dashboards did not open within 120 s; see {log}")
