"""Configure and build with CMake, its output shown as it goes and kept in DIR/build.log."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Sequence

from .errors import Fatal
from .paths import Repo
from .ui import Ui

# What `./dev up` runs, and so all it builds.
SERVICE_TARGETS = ["order-service", "inventory-worker", "payment-worker", "shipping-worker",
                   "event-monitor", "choreoctl"]
ERROR_LINE = re.compile(r"error:|Error [0-9]|CMake Error")


def build(repo: Repo, ui: Ui, build_dir: Path | None = None, build_type: str | None =
          "RelWithDebInfo", targets: Sequence[str] = (), extra: Sequence[str] = (),
          echo: bool = True) -> None:
    """BUILD_TYPE None keeps the build folder's own type. ECHO False: the output goes only to the
    log (the bench's build), and a line says what is built. Every build ./dev makes treats
    warnings as errors (CHOREO_WERROR), the same for ./dev up and ./dev test, so switching
    between them never reconfigures the build."""
    directory = build_dir or repo.build_dir
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "build.log"
    jobs = os.cpu_count() or 2
    configure = ["cmake", "-S", str(repo.root), "-B", str(directory)]
    if build_type:
        configure.append(f"-DCMAKE_BUILD_TYPE={build_type}")
    configure.append("-DCHOREO_WERROR=ON")
    compile_ = ["cmake", "--build", str(directory), f"-j{jobs}", *extra]
    if targets:
        compile_ += ["--target", *targets]
    what = " ".join(targets) if targets else "everything"
    ui.detail(f"cmake into {directory} ({build_type or 'its build type'}, {what}) with {jobs} "
              f"jobs; full output also in {log}")
    with open(log, "w", encoding="utf-8") as log_file:
        for command in (configure, compile_):
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, errors="replace")
            assert process.stdout is not None
            for line in process.stdout:
                log_file.write(line)
                if echo:
                    print(line, end="", flush=True)
            if process.wait() != 0:
                log_file.flush()
                errors = [line.rstrip() for line in log.read_text(errors="replace").splitlines()
                          if ERROR_LINE.search(line)][:10]
                raise Fatal("the build failed; its first errors:\n" +
                            "\n".join(f"      {line}" for line in errors))
    if not echo:
        ui.ok(f"built {what}")
