"""`./dev test`: every test. Dependencies, the build, unit tests and the source checks, then a
fresh test stack (.stack-test, free ports, test profile) for the integration, conformance,
acceptance and walkthrough tests, then the reduced chaos run, the quick bench and the compose
check on stacks of their own. A phase that cannot run is a failure, never a skip."""

from __future__ import annotations

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
    runner = PhaseRunner(context, 14)
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
                    "walkthrough"]
    try:
        if runner.run("test stack", lambda: stack.up_fresh("test")):
            stack_env = {**context.env, **read_env_file(stack.env_file)}
            runner.run("integration tests", lambda: checked_run(
                ["ctest", "--test-dir", str(build_dir), "-L", "integration",
                 "--output-on-failure"], "ctest -L integration", env=stack_env))
            runner.run("graphql conformance",
                       lambda: run_conformance(context, build_dir, stack_env))
            acceptance = repo.root / "tests" / "test_choreography.py"
            runner.run("acceptance (pytest)", lambda: (
                require_file(acceptance, "the acceptance suite"),
                checked_run(["/usr/bin/python3", "-m", "pytest", str(acceptance), "-q"],
                            "pytest", env=stack_env, cwd=repo.root)))
            walkthrough = repo.root / "tests" / "walkthrough.sh"
            runner.run("walkthrough", lambda: (
                require_file(walkthrough, "the walkthrough"),
                checked_run(["bash", str(walkthrough)], "the walkthrough", env=stack_env,
                            cwd=repo.root)))
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
    # A smoke test of ./dev bench: every order terminates and every invariant holds under a
    # short saturation; it asserts no speed.
    runner.run("bench (quick)", lambda: bench_smoke(context))
    # docker-compose.yml on a real Docker engine: its images built (one Release build of the
    # services), the walkthrough, a scaled worker, a crash, `down -v`.
    runner.run("compose check", lambda: checked_run(
        [sys.executable, "-m", "harness", "compose-check"], "./dev compose-check",
        env=python_env))
    return runner.summary()


def show_stack_logs(context: Context, stack: Stack) -> None:
    ui = context.ui
    ui.say("")
    ui.say("Tail of each service log of the test stack:")
    for name in [*SERVICES, "nats"]:
        log = stack.component_log(name)
        if log.exists():
            ui.say(f"  {name}:")
            ui.say(stack.log_tail(log, 0, 40))
    ui.say(f"  (PostgreSQL: {stack.dir}/logs/postgres.log, migrations: "
           f"{stack.dir}/logs/migrate.log)")

