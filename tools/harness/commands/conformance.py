"""The GraphQL conformance suite (tests/graphql/): graphql-js, pinned by its package-lock.json,
against the order service's engine. The verdicts need only the build (graphql-verdict); the data
and introspection checks need a running stack's GRAPHQL_URL and TOKEN."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Mapping

from .. import packages
from ..errors import Fatal
from .context import Context


def install_node_dependencies(context: Context, folder: Path, what: str) -> None:
    """`npm ci` in FOLDER only when node_modules is missing or came from another
    package-lock.json (a hash of it is kept beside it)."""
    if not shutil.which("node") or not shutil.which("npm"):
        if context.skip_deps:
            raise Fatal("node and npm are missing (Debian: apt-get install nodejs npm)")
        context.install(packages.NODE)
    stamp = folder / "node_modules" / ".choreo-lock-sha256"
    wanted = hashlib.sha256((folder / "package-lock.json").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return
    context.ui.detail(f"installing {what} (npm ci in {folder.relative_to(context.repo.root)})")
    if subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder,
                      check=False).returncode != 0:
        raise Fatal(f"npm ci failed in {folder}")
    stamp.write_text(wanted + "\n")


def run_conformance(context: Context, build_dir, stack_env: Mapping[str, str]) -> None:
    install_node_dependencies(context, context.repo.root / "tests" / "graphql",
                              "graphql-js for the conformance suite")
    verdict = build_dir / "order-service" / "graphql-verdict"
    if not verdict.is_file():
        raise Fatal(f"{verdict} is missing: build the target graphql-verdict")
    live = ["--live"] if stack_env.get("GRAPHQL_URL") and stack_env.get("TOKEN") else []
    if not live:
        context.ui.warn("GRAPHQL_URL or TOKEN unset: checking verdicts only (no data or "
                        "introspection checks)")
    script = context.repo.root / "tests" / "graphql" / "conformance.mjs"
    status = subprocess.run(["node", "--no-warnings", str(script), "--verdict", str(verdict),
                             *live], env=dict(stack_env), check=False).returncode
    if status != 0:
        raise Fatal(f"the conformance suite failed (exit status {status})")
