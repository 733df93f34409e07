"""The dashboard's browser suite (tests/browser/): Debian's Chromium driven by playwright-core,
pinned by tests/browser/package-lock.json, against a running stack's event monitor."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Mapping

from .. import packages
from ..errors import Fatal
from ..stack.stack import Stack
from .conformance import install_node_dependencies
from .context import Context

CHROMIUM = "/usr/bin/chromium"


def prepare_browser(context: Context) -> Path:
    """Chromium and playwright-core installed where missing; the folder of the browser tests."""
    if not os.access(CHROMIUM, os.X_OK):
        if context.skip_deps:
            raise Fatal(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
        context.install(packages.BROWSER)
    folder = context.repo.root / "tests" / "browser"
    install_node_dependencies(context, folder, "playwright-core for the dashboard's browser tests")
    return folder


def run_dashboard_suite(context: Context, stack: Stack, stack_env: Mapping[str, str]) -> None:
    folder = prepare_browser(context)
    env = {**stack_env, "CHOREO_STACK_DIR": str(stack.dir), "CHOREOCTL": str(stack.choreoctl()),
           "CHROMIUM": CHROMIUM}
    status = subprocess.run(["node", "--test", "--test-reporter=spec",
                             str(folder / "dashboard.test.mjs")],
                            env=env, cwd=context.repo.root, check=False).returncode
    if status != 0:
        raise Fatal(f"the dashboard's browser tests failed (exit status {status})")
