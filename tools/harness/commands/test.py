"""`./dev test`: every test. Dependencies, the build, unit tests and the source checks, then a
fresh test stack (.stack-test, free ports, test profile) for the integration, conformance,
acceptance and walkthrough tests, then the reduced chaos run, the acceptance tests and the
walkthrough and the reduced chaos run again with a database per service, the quick bench and
the compose check on stacks of their own. A phase that cannot run is a failure, never a skip."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, Mapping

from .. import packages
from ..build import build
from ..errors import Fatal, UsageError
from ..stack.env_file import read_env_file
from ..stack.services import SERVICES
from ..stack.stack import Stack
from ..ui import format_duration
from . import source_checks
from .bench import bench_smoke
from .browser import run_dashboard_suite
from .chaos import ChaosOptions, chaos_run
from .conformance import run_conformance
from .context import Context

# The reduced chaos run: ~200 orders while each service is killed once and NATS and PostgreSQL
# restart once. A fixed seed keeps CI repeatable; `./dev chaos` picks a new one each time.
CHAOS_CI_SEED = 20261124


@dataclass
class PhaseResult:
    name: str
    passed: bool
    seconds: float
    note: str = ""


class PhaseRunner:
    def __init__(self, context: Context, total: int):
        self.context = context
        self.results: list[PhaseResult] = []
        self.started = time.monotonic()
        context.ui.steps(total)

    def run(self, name: str, action: Callable[[], None]) -> bool:
        ui = self.context.ui
        ui.step(name)
        started = time.monotonic()
        try:
            action()
            passed, note = True, ""
        except Fatal as failure:
            ui.error(str(failure))
            passed, note = False, ""
        except Exception as error:  # a bug in a phase must still end in the summary
            ui.error(f"{name}: {type(error).__name__}: {error}")
            passed, note = False, ""
        self.results.append(PhaseResult(name, passed, time.monotonic() - started, note))
        if not passed:
            ui.error(f"{name} failed")
        return passed

    def not_run(self, name: str, reason: str) -> None:
        """A phase that could not run: a failure, shown with why."""
        ui = self.context.ui
        ui.step(f"{name}: NOT RUN ({reason})")
        self.results.append(PhaseResult(name, False, 0, f"not run: {reason}"))

    def all_passed(self) -> bool:
        return all(result.passed for result in self.results)

    def summary(self) -> int:
        ui = self.context.ui
        style = ui.style
        ui.say("")
        ui.say(f"{style.bold}./dev test summary{style.reset}")
        for result in self.results:
            if result.passed:
                mark = f"{style.green}passed{style.reset}"
            else:
                mark = f"{style.red}FAILED{style.reset}"
            note = f"  ({result.note})" if result.note else ""
            ui.say(f"  {result.name:<22} {mark}   {format_duration(result.seconds)}{note}")
        elapsed = format_duration(time.monotonic() - self.started)
        failed = [result.name for result in self.results if not result.passed]
        if not failed:
            ui.say(f"{style.green}all tests passed{style.reset} in {elapsed}")
            return 0
        ui.say(f"{style.red}FAILED:{style.reset} {', '.join(failed)} (after {elapsed})")
        return 1


def checked_run(command: list[str], what: str, env: Mapping[str, str] | None = None,
                cwd=None) -> None:
    """Runs a test program with its output shown as it goes; Fatal when it fails."""
    status = subprocess.run(command, env=dict(env) if env is not None else None, cwd=cwd,
                            check=False).returncode
    if status != 0:
        raise Fatal(f"{what} exited with status {status}")


def require_file(path, what: str) -> None:
    if not path.exists():
        raise Fatal(f"{what} is missing: {path}")


def test(context: Context, arguments: list[str]) -> int:
    if arguments:
        raise UsageError("./dev test takes no arguments")
    repo, ui = context.repo, context.ui
    runner = PhaseRunner(context, 19)
    python_env = dict(context.env, PYTHONPATH=repo.python_path())

    if context.skip_deps:
        runner.run("dependencies", lambda: ui.detail("skipped (CHOREO_SKIP_DEPS=1)"))
    elif not runner.run("dependencies", lambda: context.install(
            packages.BUILD_AND_RUN + packages.SOURCE_CHECKS)):
        return runner.summary()
    if not runner.run("build", lambda: build(repo, ui)):
        return runner.summary()
    build_dir = repo.build_dir

    runner.run("unit tests", lambda: checked_run(
        ["ctest", "--test-dir", str(build_dir), "-L", "unit", "--output-on-failure"],
        "ctest -L unit"))
    runner.run("harness unit tests", lambda: checked_run(
        [sys.executable, "-m", "unittest", "discover", "-s", str(repo.root / "tools/harness"
                                                                  / "tests"),
         "-t", str(repo.root / "tools")], "the harness's unit tests", env=python_env))
    runner.run("source checks", lambda: source_checks.run_all(context))
    runner.run("dev commands", lambda: checked_run(
        [sys.executable, "-m", "unittest", "discover", "-s", str(repo.root / "tests" / "dev"),
         "-t", str(repo.root / "tests" / "dev")], "the ./dev command checks",
        env=dict(python_env, CHOREO_SKIP_DEPS="1", CHOREO_BUILD_DIR=str(build_dir))))

    stack = Stack(repo.test_stack, repo, ui)
    stack.steps_as_details = True
    stack_phases = ["integration tests", "graphql conformance", "acceptance (pytest)",
                    "walkthrough", "identity provider (OIDC)", "dashboard (browser)"]
    try:
        if runner.run("test stack", lambda: stack.up_fresh("test")):
            stack_env = {**context.env, **read_env_file(stack.env_file)}
            runner.run("integration tests", lambda: checked_run(
                ["ctest", "--test-dir", str(build_dir), "-L", "integration",
                 "--output-on-failure"], "ctest -L integration", env=stack_env))
            runner.run("graphql conformance",
                       lambda: run_conformance(context, build_dir, stack_env))
            runner.run("acceptance (pytest)", lambda: run_acceptance(context, stack_env))
            runner.run("walkthrough", lambda: run_walkthrough(context, stack_env))
            runner.run("identity provider (OIDC)",
                       lambda: run_oidc_suite(context, stack, build_dir, stack_env))
            # Last on this stack: it stops and starts workers.
            runner.run("dashboard (browser)",
                       lambda: run_dashboard_suite(context, stack, stack_env))
        else:
            for name in stack_phases:
                runner.not_run(name, "no test stack")
        if not runner.all_passed():
            show_stack_logs(context, stack)
    finally:
        ui.say("")
        ui.say(f"stopping the test stack (logs stay in {stack.dir}/logs)")
        if stack.exists() and not stack.down():
            ui.warn("the test stack did not stop cleanly")

    # On stacks of their own, after the test stack is gone (two cores do not run both well).
    def reduced_chaos() -> None:
        options = ChaosOptions(runner=["--orders", "200", "--seed", str(CHAOS_CI_SEED)])
        status = chaos_run(context, options, as_details=True)
        if status != 0:
            raise Fatal(f"the reduced chaos run failed (status {status})")

    runner.run("chaos (reduced)", reduced_chaos)

    # The checker's own check: with every idempotency guard off and one forced redelivery, the
    # invariants must report the double charges (`./dev chaos --unsafe`).
    def checker_check() -> None:
        options = ChaosOptions(profile="chaos-unsafe", runner=[
            "--orders", "100", "--seed", str(CHAOS_CI_SEED), "--expect-violations"])
        status = chaos_run(context, options, as_details=True)
        if status != 0:
            raise Fatal("with idempotency off the chaos checker found no violation "
                        f"(status {status}): it would not notice double effects")

    runner.run("chaos (checker check)", checker_check)
    # The same with a database per service: the seed's pytest and the walkthrough on a stack of
    # their own, then the reduced chaos run, whose invariants compare the databases.
    runner.run("split databases", lambda: split_databases_suites(context))

    def reduced_chaos_split() -> None:
        options = ChaosOptions(split_databases=True,
                               runner=["--orders", "200", "--seed", str(CHAOS_CI_SEED)])
        status = chaos_run(context, options, as_details=True)
        if status != 0:
            raise Fatal(f"the reduced chaos run on split databases failed (status {status})")

    runner.run("chaos (split dbs)", reduced_chaos_split)
    # A smoke test of ./dev bench: every order terminates and every invariant holds under a
    # short saturation; it asserts no speed.
    runner.run("bench (quick)", lambda: bench_smoke(context))
    # docker-compose.yml on a real Docker engine: its images built (one Release build of the
    # services), the walkthrough, a scaled worker, a crash, `down -v`.
    runner.run("compose check", lambda: checked_run(
        [sys.executable, "-m", "harness", "compose-check"], "./dev compose-check",
        env=python_env))
    return runner.summary()


def run_acceptance(context: Context, stack_env: Mapping[str, str]) -> None:
    acceptance = context.repo.root / "tests" / "test_choreography.py"
    require_file(acceptance, "the acceptance suite")
    checked_run(["/usr/bin/python3", "-m", "pytest", str(acceptance), "-q"], "pytest",
                env=stack_env, cwd=context.repo.root)


def run_oidc_suite(context: Context, stack: Stack, build_dir,
                   stack_env: Mapping[str, str]) -> None:
    """tests/oidc: a real HTTPS issuer of the test's own and order services started by hand with
    OIDC settings only, against the test stack's database and NATS."""
    suite = context.repo.root / "tests" / "oidc" / "test_oidc.py"
    require_file(suite, "the OIDC suite")
    checked_run(["/usr/bin/python3", "-m", "pytest", str(suite), "-q"], "the OIDC suite",
                env={**stack_env,
                     "ORDER_SERVICE_BINARY": str(build_dir / "order-service" / "order-service"),
                     "OIDC_TEST_DIR": str(stack.dir / "logs" / "oidc")},
                cwd=context.repo.root)


def run_walkthrough(context: Context, stack_env: Mapping[str, str]) -> None:
    walkthrough = context.repo.root / "tests" / "walkthrough.sh"
    require_file(walkthrough, "the walkthrough")
    checked_run(["bash", str(walkthrough)], "the walkthrough", env=stack_env,
                cwd=context.repo.root)


def split_databases_suites(context: Context) -> None:
    """A fresh stack with a database per service (.stack-split), the seed's pytest and the
    walkthrough against it, and the stack stopped again."""
    ui = context.ui
    stack = Stack(context.repo.split_stack, context.repo, ui)
    stack.steps_as_details = True
    # The operator's suite finds one trace id in every service's log: per-event lines are debug.
    stack.log_level, stack.log_format = "debug", "json"
    try:
        stack.up_fresh("test", split_databases=True)
        ui.ok(f"one database per service: {', '.join(stack.databases())}")
        stack_env = {**context.env, **read_env_file(stack.env_file)}
        run_acceptance(context, stack_env)
        run_walkthrough(context, stack_env)
        check_dead_letters_listed(context, stack, stack_env)
        run_operator_suite(context, stack, stack_env)
    except Fatal:
        show_stack_logs(context, stack)
        raise
    finally:
        ui.say(f"stopping the split-databases stack (logs stay in {stack.dir}/logs)")
        if stack.exists() and not stack.down():
            ui.warn("the split-databases stack did not stop cleanly")


def run_operator_suite(context: Context, stack: Stack, stack_env: Mapping[str, str]) -> None:
    """The operator's tools against the split stack (tests/operator/): choreoctl status,
    consumers, order, tail and bulk dlq replay, a stopped worker's backlog draining, one trace id
    in every service's log, and the event monitor's operator API."""
    suite = context.repo.root / "tests" / "operator"
    require_file(suite / "test_choreoctl.py", "the operator's CLI suite")
    checked_run(["/usr/bin/python3", "-m", "pytest", str(suite), "-q"], "the operator's CLI suite",
                env={**stack_env, "CHOREO_STACK_DIR": str(stack.dir),
                     "CHOREOCTL": str(stack.choreoctl())},
                cwd=context.repo.root)


def check_dead_letters_listed(context: Context, stack: Stack, stack_env: Mapping[str, str]) -> None:
    """choreoctl reads every service's dead letters through that service's own URL: on a split
    stack, five databases. It must answer with one JSON list (its exit status says whether it
    reached them all)."""
    result = subprocess.run([str(stack.choreoctl()), "dlq", "list", "--all", "--json"],
                            env=dict(stack_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise Fatal(f"choreoctl dlq list on the split databases exited {result.returncode}:\n"
                    f"{result.stderr.strip()}")
    try:
        letters = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise Fatal(f"choreoctl dlq list --json printed no JSON ({error})") from None
    if not isinstance(letters, list):
        raise Fatal("choreoctl dlq list --json printed no list")
    context.ui.ok(f"choreoctl dlq list read the five databases ({len(letters)} dead letters)")


def show_stack_logs(context: Context, stack: Stack) -> None:
    ui = context.ui
    ui.say("")
    ui.say(f"Tail of each service log of {stack.label()}:")
    for name in [*SERVICES, "nats"]:
        log = stack.component_log(name)
        if log.exists():
            ui.say(f"  {name}:")
            ui.say(stack.log_tail(log, 0, 40))
    ui.say(f"  (PostgreSQL: {stack.dir}/logs/postgres.log, migrations: "
           f"{stack.dir}/logs/migrate.log)")

