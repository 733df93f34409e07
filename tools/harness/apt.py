"""Debian packages: which of a list are missing, and installing them (as root or through sudo)."""

from __future__ import annotations

import os
import shutil
from typing import Sequence

from .processes import run
from .ui import Fatal, Ui


def missing_packages(wanted: Sequence[str]) -> list[str]:
    result = run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *wanted], timeout=60)
    installed = {line.split()[0] for line in result.output.splitlines()
                 if len(line.split()) == 2 and line.split()[1] == "installed"}
    return [package for package in wanted if package not in installed]


def install_missing(ui: Ui, wanted: Sequence[str]) -> None:
    missing = missing_packages(wanted)
    if not missing:
        ui.ok(f"all {len(wanted)} Debian packages are installed")
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            raise Fatal("missing packages and no sudo; as root run: apt-get install "
                        f"--no-install-recommends {' '.join(missing)}")
        prefix = ["sudo"]
    ui.detail(f"installing {len(missing)} missing packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        result = run([*prefix, *command], env=env, timeout=1800)
        if result.status != 0:
            tail = "\n".join(result.output.strip().splitlines()[-10:])
            raise Fatal(f"{' '.join(command[:2])} failed:\n{tail}")
    ui.ok(f"installed: {' '.join(missing)}")
