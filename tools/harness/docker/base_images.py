"""debian:12 and debian:12-slim made here, for an engine that cannot pull them: a debootstrap
minbase of bookworm (made once, kept as a tarball) imported twice, the slim one without the
documentation, manual pages and translations that containers never read."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..processes import run
from ..ui import Fatal, Ui, format_duration
from .engine import DockerEngine

DEFAULT_MIRROR = "http://deb.debian.org/debian"
HOST_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")

# The suites an official debian:12 image has, for a host without a deb822 sources file.
DEFAULT_SOURCES = """Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

# dpkg skips these paths in every package installed later, so images built on the slim base stay
# slim; copyright files stay, as the licences ask.
SLIM_DPKG_EXCLUDES = """# Written by ./dev compose-check for its debian:12-slim: no docs, manuals or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
"""

APT_CLEAN_PREFIXES = ("var/cache/apt/", "var/lib/apt/lists/", "var/log/")
SLIM_PREFIXES = ("usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
                 "usr/share/groff/", "usr/share/lintian/", "usr/share/linda/")


def host_mirror() -> str:
    if HOST_SOURCES.is_file():
        for line in HOST_SOURCES.read_text().splitlines():
            if line.startswith("URIs:"):
                return line.split(None, 1)[1].strip()
    return DEFAULT_MIRROR


# apt expects these folders to exist; their contents go.
APT_SKELETON = frozenset({"var/cache/apt/archives", "var/cache/apt/archives/partial",
                          "var/lib/apt/lists/partial", "var/log/apt"})


def keep_member(name: str, slim: bool) -> bool:
    """Whether a path of the minbase tarball belongs in the image."""
    name = name.removeprefix("./")
    if name == "etc/apt/sources.list":
        return False  # replaced by sources.list.d/debian.sources
    if name.startswith(APT_CLEAN_PREFIXES) and name not in APT_SKELETON:
        return False
    if slim and name.startswith(SLIM_PREFIXES):
        # Copyright files stay, and so do the package folders that hold them.
        return name.startswith("usr/share/doc/") and (name.endswith("/copyright") or
                                                      name.count("/") == 3)
    return True


@dataclass(frozen=True)
class BaseImage:
    tag: str
    slim: bool


BASE_IMAGES = (BaseImage("debian:12", slim=False), BaseImage("debian:12-slim", slim=True))


class BaseImageMaker:
    def __init__(self, engine: DockerEngine, cache_dir: Path):
        self.engine = engine
        self.cache_dir = cache_dir
        self.tarball = cache_dir / "bookworm-minbase.tar"

    def ensure(self, ui: Ui) -> None:
        missing = [image for image in BASE_IMAGES if self.engine.image_labels(image.tag) is None]
        for image in BASE_IMAGES:
            if image not in missing:
                ui.ok(f"{image.tag}: present")
        if not missing:
            return
        self.ensure_tarball(ui)
        for image in missing:
            started = time.monotonic()
            self.import_image(image)
            size = self.engine.image_size(image.tag)
            ui.ok(f"{image.tag}: imported from the debootstrap minbase in "
                  f"{format_duration(time.monotonic() - started)} ({size / 1e6:.0f} MB)")

    def ensure_tarball(self, ui: Ui) -> None:
        if self.tarball.is_file():
            ui.detail(f"the bookworm minbase is cached in {self.tarball}")
            return
        if os.geteuid() != 0:
            raise Fatal("making debian:12 needs debootstrap as root")
        if not shutil.which("debootstrap"):
            raise Fatal("debootstrap is missing (apt-get install debootstrap)")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        root = self.cache_dir / "bookworm-minbase.root"
        log = self.cache_dir / "debootstrap.log"
        shutil.rmtree(root, ignore_errors=True)
        mirror = host_mirror()
        ui.detail(f"debootstrap --variant=minbase bookworm from {mirror} (once; log: {log})")
        started = time.monotonic()
        result = run(["debootstrap", "--variant=minbase", "bookworm", str(root), mirror],
                     timeout=1800)
        log.write_text(result.output)
        if result.status != 0:
            shutil.rmtree(root, ignore_errors=True)
            raise Fatal("debootstrap failed: " + (result.output.strip().splitlines() or ["?"])[-1])
        partial = self.tarball.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(str(root), arcname=".")
        partial.rename(self.tarball)
        shutil.rmtree(root, ignore_errors=True)
        ui.ok(f"bookworm minbase made in {format_duration(time.monotonic() - started)}")

    def import_image(self, image: BaseImage) -> None:
        command = ["docker", "import", "--change", 'CMD ["bash"]',
                   "--change", "LABEL org.choreo.base=debootstrap-minbase",
                   "-", image.tag]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=self.engine.env)
        assert process.stdin is not None
        try:
            write_image_tar(self.tarball, image.slim, process.stdin)
        finally:
            process.stdin.close()
        output = process.stdout.read().decode(errors="replace") if process.stdout else ""
        if process.wait() != 0:
            raise Fatal(f"docker import {image.tag} failed: {output.strip()}")


def image_members(source: tarfile.TarFile, slim: bool) -> Iterator[tuple[tarfile.TarInfo,
                                                                         Callable | None]]:
    for member in source:
        if keep_member(member.name, slim):
            yield member, (lambda m=member: source.extractfile(m)) if member.isfile() else None


def _text_member(name: str, text: str) -> tuple[tarfile.TarInfo, bytes]:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(time.time())
    return info, data


def write_image_tar(tarball: Path, slim: bool, stream) -> None:
    """The image's root file system as a tar stream: the minbase, filtered, with the sources."""
    sources = HOST_SOURCES.read_text() if HOST_SOURCES.is_file() else DEFAULT_SOURCES
    extra = [_text_member("./etc/apt/sources.list.d/debian.sources", sources)]
    if slim:
        extra.append(_text_member("./etc/dpkg/dpkg.cfg.d/choreo-slim", SLIM_DPKG_EXCLUDES))
    with tarfile.open(tarball, "r") as source, tarfile.open(fileobj=stream, mode="w|") as target:
        for member, opener in image_members(source, slim):
            target.addfile(member, opener() if opener else None)
        for info, data in extra:
            target.addfile(info, io.BytesIO(data))
