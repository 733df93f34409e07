"""What every command gets: the repository, the output, the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from .. import apt
from ..paths import Repo
from ..ui import Ui


@dataclass
class Context:
    repo: Repo
    ui: Ui = field(default_factory=Ui)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @property
    def skip_deps(self) -> bool:
        return self.env.get("CHOREO_SKIP_DEPS") == "1"

    def install(self, packages: list[str]) -> None:
        """The packages that are missing, unless CHOREO_SKIP_DEPS=1."""
        if self.skip_deps:
            self.ui.detail("skipped (CHOREO_SKIP_DEPS=1)")
            return
        apt.install_missing(self.ui, packages)
