"""Checks that keep the sources clean, in ./dev test: clang-format over the C++ and shellcheck
over the bash that remains (./dev's entry, the walkthrough, the stand-ins' entrypoints)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import Fatal
from .context import Context

CPP_PATTERNS = ("*.cpp", "*.hpp", "*.h", "*.cc")


def tracked_files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    result = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", *patterns],
                            stdout=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise Fatal("git ls-files failed: the checks read the repository's tracked files")
    # A tracked file deleted in the work tree (not yet committed) is not a source any more.
    return [root / name for name in result.stdout.decode().split("\0")
            if name and (root / name).is_file()]


def shell_scripts(root: Path) -> list[Path]:
    """Tracked files that are bash or sh: by extension, or by their first line."""
    scripts = []
    for path in tracked_files(root, ("*",)):
        if path.suffix == ".sh":
            scripts.append(path)
            continue
        if path.suffix or not path.is_file():
            continue
        with open(path, "rb") as file:
            first = file.readline(200)
        if first.startswith(b"#!") and (b"bash" in first or first.rstrip().endswith(b"/sh")):
            scripts.append(path)
    return sorted(scripts)


def require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise Fatal(f"{tool} is missing (apt-get install {tool})")
    return found


def check_clang_format(context: Context) -> None:
    files = tracked_files(context.repo.root, CPP_PATTERNS)
    result = subprocess.run([require("clang-format"), "--dry-run", "-Werror",
                             *map(str, files)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False)
    if result.returncode != 0:
        offenders = sorted({line.split(":", 1)[0] for line in result.stdout.splitlines()
                            if ": error:" in line})
        if not offenders:  # clang-format itself failed: say how
            raise Fatal("clang-format failed:\n" + result.stdout.strip())
        raise Fatal("not clang-format clean (clang-format -i FILE fixes it):\n" +
                    "\n".join(f"      {Path(name).relative_to(context.repo.root)}"
                              for name in offenders))
    context.ui.ok(f"clang-format: {len(files)} C++ files clean")


def check_shellcheck(context: Context) -> None:
    scripts = shell_scripts(context.repo.root)
    result = subprocess.run([require("shellcheck"), *map(str, scripts)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False)
    if result.returncode != 0:
        raise Fatal("shellcheck found problems:\n" + result.stdout.strip())
    lines = sum(len(script.read_text().splitlines()) for script in scripts)
    context.ui.ok(f"shellcheck: {len(scripts)} scripts ({lines} lines) clean")


def run_all(context: Context) -> None:
    failures = []
    for check in (check_clang_format, check_shellcheck):
        try:
            check(context)
        except Fatal as failure:
            context.ui.error(str(failure))
            failures.append(check.__name__.removeprefix("check_"))
    if failures:
        raise Fatal(f"source checks failed: {', '.join(failures)}")
