"""Where things live: the repository, its builds, and its stacks' folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

# Services get this PATH rather than the caller's, so a stack behaves the same from any shell.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class Repo:
    root: Path
    # CHOREO_BUILD_DIR, when the caller chose a build; else build/ (./dev bench: build-release/).
    build_dir_given: Path | None = None

    @staticmethod
    def from_environment(root: Path, env: Mapping[str, str] = os.environ) -> "Repo":
        given = env.get("CHOREO_BUILD_DIR")
        return Repo(root, Path(given).resolve() if given else None)

    @property
    def dev(self) -> Path:
        return self.root / "dev"

    @property
    def build_dir(self) -> Path:
        return self.build_dir_given or self.root / "build"

    @property
    def release_build_dir(self) -> Path:
        return self.root / "build-release"

    @property
    def default_stack(self) -> Path:
        return self.root / ".stack"

    @property
    def test_stack(self) -> Path:
        return self.root / ".stack-test"

    @property
    def chaos_stack(self) -> Path:
        return self.root / ".stack-chaos"

    @property
    def split_stack(self) -> Path:
        """./dev test's stack with a database per service."""
        return self.root / ".stack-split"

    def bench_stack(self, env: Mapping[str, str] = os.environ) -> Path:
        given = env.get("CHOREO_BENCH_STACK_DIR")
        return Path(given).resolve() if given else self.root / ".stack-bench"

    def python_path(self) -> str:
        return str(self.root / "tools")
