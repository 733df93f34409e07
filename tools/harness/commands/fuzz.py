"""./dev fuzz [SECONDS]: builds the GraphQL engine's libFuzzer targets with clang-14 (ASan, UBSan,
LeakSanitizer) into build-fuzz/ and runs each for its share of SECONDS (default 600 in all).
Not part of CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from .. import packages
from ..errors import Fatal, UsageError
from .context import Context

TARGETS = ["parser_fuzzer", "prepare_fuzzer", "execute_fuzzer"]
STATUS_LINE = re.compile(r"^#\d+")
EXECUTIONS = re.compile(r"stat::number_of_executed_units: *(\d+)")


def compiler() -> str:
    return os.environ.get("FUZZ_CXX", "clang++-14")


def flags(engine: Path) -> list[str]:
    return ["-std=c++20", "-g", "-O1", "-fno-omit-frame-pointer",
            "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra",
            "-I", str(engine / "src")]


def build_fuzzers(context: Context, build: Path) -> None:
    """Compiles what changed: an object is rebuilt when its source or any engine header is
    newer, two at a time."""
    engine = context.repo.root / "order-service" / "graphql"
    (build / "obj").mkdir(parents=True, exist_ok=True)
    headers = list((engine / "src" / "graphql").glob("*.hpp"))
    newest_header = max(header.stat().st_mtime for header in headers)
    sources = sorted(source for source in (engine / "src" / "graphql").glob("*.cpp")
                     if not source.name.endswith("_test.cpp"))
    objects = [build / "obj" / (source.stem + ".o") for source in sources]
    stale = [(source, obj) for source, obj in zip(sources, objects)
             if not obj.exists() or max(source.stat().st_mtime, newest_header) >
             obj.stat().st_mtime]
    if stale:
        context.ui.detail(f"compiling {len(stale)} engine sources")
        running: list[subprocess.Popen] = []
        failed = False
        for source, obj in stale:
            running.append(subprocess.Popen([compiler(), *flags(engine),
                                             "-fsanitize=fuzzer-no-link", "-c", str(source),
                                             "-o", str(obj)]))
            if len(running) >= 2:
                failed |= running.pop(0).wait() != 0
        for process in running:
            failed |= process.wait() != 0
        if failed:
            raise Fatal("an engine source did not compile")
    newest_object = max(obj.stat().st_mtime for obj in objects)
    for target in TARGETS:
        binary, source = build / target, engine / "fuzz" / f"{target}.cpp"
        if not binary.exists() or max(source.stat().st_mtime, newest_object) > \
                binary.stat().st_mtime:
            context.ui.detail(f"linking {target}")
            if subprocess.run([compiler(), *flags(engine), "-fsanitize=fuzzer", str(source),
                               *map(str, objects), "-o", str(binary)], check=False).returncode:
                raise Fatal(f"{target} did not link")


def last_status_line(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if STATUS_LINE.match(line)] if log.exists() else []
    return lines[-1] if lines else ""


def fuzz(context: Context, arguments: list[str]) -> int:
    total = 600
    if arguments:
        if len(arguments) > 1 or not arguments[0].isdigit() or int(arguments[0]) < len(TARGETS):
            raise UsageError(f"./dev fuzz takes a number of seconds (at least {len(TARGETS)})")
        total = int(arguments[0])
    ui = context.ui
    ui.steps(1 + len(TARGETS))
    ui.step(f"building the fuzzers with {compiler()}")
    context.install(packages.FUZZ)
    if not shutil.which(compiler()):
        raise Fatal(f"{compiler()} is missing: apt-get install {' '.join(packages.FUZZ)}")
    build = Path(os.environ.get("CHOREO_FUZZ_DIR") or context.repo.root / "build-fuzz")
    build_fuzzers(context, build)
    seeds = context.repo.root / "order-service" / "graphql" / "fuzz" / "corpus"
    share = total // len(TARGETS)
    failures, summary = 0, []
    for target in TARGETS:
        ui.step(f"running {target} for {share}s")
        work, artifacts = build / "corpus" / target, build / "artifacts" / target
        log = build / f"{target}.log"
        work.mkdir(parents=True, exist_ok=True)
        artifacts.mkdir(parents=True, exist_ok=True)
        before = len(list(artifacts.iterdir()))
        # New inputs go to the working corpus in build-fuzz/, never into the committed seeds.
        with open(log, "w") as output:
            process = subprocess.Popen(
                [str(build / target), str(work), str(seeds), f"-max_total_time={share}",
                 "-max_len=4096", "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
                 f"-artifact_prefix={artifacts}/"], stdout=output, stderr=subprocess.STDOUT)
            while process.poll() is None:
                time.sleep(15)  # a progress line every 15 s while the fuzzer runs
                line = last_status_line(log)
                if line:
                    ui.detail(line)
        text = log.read_text(errors="replace")
        executions = (EXECUTIONS.findall(text) or ["?"])[-1]
        found = len(list(artifacts.iterdir())) - before
        if process.returncode != 0 or found > 0:
            failures += 1
            ui.error(f"{target} failed (exit {process.returncode}); new artifacts in "
                     f"{artifacts}; log: {log}")
        else:
            ui.ok(f"{target}: {executions} executions, no crash, leak or timeout")
        summary.append(f"  {target:<16} {executions:>12} executions  {found} finding(s)")
    ui.say("")
    ui.say(f"Fuzzing summary ({total}s in all):")
    ui.say("\n".join(summary))
    if failures:
        raise Fatal(f"{failures} fuzzer(s) found problems")
    return 0
