"""Stand-ins for the registry images the compose file names (tools/compose/standins/README.md):
built from Debian's packages and tagged with those names, unless the real image is here."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..ui import Fatal, Ui, format_duration
from .engine import DockerEngine

STANDIN_LABEL = "org.choreo.standin"


@dataclass(frozen=True)
class StandIn:
    image: str
    folder: str  # under tools/compose/standins/


STANDINS = (StandIn("postgres:16-alpine", "postgres"), StandIn("nats:2.10-alpine", "nats"))


def is_real_image(labels: dict[str, str] | None) -> bool:
    """A present image that is not one of our stand-ins (pulled from a registry, say)."""
    return labels is not None and labels.get(STANDIN_LABEL) != "true"


def ensure_standins(ui: Ui, engine: DockerEngine, standins_dir: Path, log_dir: Path) -> None:
    for standin in STANDINS:
        if is_real_image(engine.image_labels(standin.image)):
            ui.ok(f"{standin.image}: the real image is here; using it")
            continue
        started = time.monotonic()
        log = log_dir / f"standin-{standin.folder}.log"
        # Built every time: BuildKit's cache makes an unchanged one a matter of seconds, and a
        # changed one is never stale.
        result = engine.docker("build", "--progress=plain", "-t", standin.image,
                               str(standins_dir / standin.folder), timeout=1800)
        log.write_text(result.output)
        if result.status != 0:
            tail = "\n".join(result.output.strip().splitlines()[-15:])
            raise Fatal(f"building the stand-in {standin.image} failed (log: {log}):\n{tail}")
        size = engine.image_size(standin.image)
        ui.ok(f"{standin.image}: stand-in from Debian's packages, built in "
              f"{format_duration(time.monotonic() - started)} ({size / 1e6:.0f} MB)")
