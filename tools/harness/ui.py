"""One look for every ./dev command's output: numbered steps, details, warnings and errors."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


def _colours_wanted(stream: TextIO) -> bool:
    return stream.isatty() and os.environ.get("TERM", "dumb") != "dumb" and not os.environ.get(
        "NO_COLOR")


@dataclass(frozen=True)
class Style:
    bold: str = ""
    dim: str = ""
    red: str = ""
    green: str = ""
    yellow: str = ""
    reset: str = ""

    @staticmethod
    def for_stream(stream: TextIO) -> "Style":
        if not _colours_wanted(stream):
            return Style()
        return Style("\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[0m")


def format_duration(seconds: float) -> str:
    """75 -> "1m 15s"; 9.7 -> "9s" (whole seconds, as ./dev always printed them)."""
    whole = int(seconds)
    if whole >= 60:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole}s"


class Fatal(Exception):
    """A failure already explained to the user: the command ends with this exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


@dataclass
class Ui:
    """Numbered steps ("[2/6] building…") with their durations, and indented details."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    total_steps: int = 0
    step_number: int = 0
    step_started: float = 0.0

    def __post_init__(self) -> None:
        self.style = Style.for_stream(self.out)
        self.err_style = Style.for_stream(self.err)

    def _print(self, text: str, stream: TextIO | None = None) -> None:
        target = stream or self.out
        print(text, file=target, flush=True)

    def steps(self, total: int) -> None:
        self.total_steps = total
        self.step_number = 0

    def step(self, text: str) -> None:
        self.step_number += 1
        self.step_started = time.monotonic()
        s = self.style
        self._print(f"{s.bold}[{self.step_number}/{self.total_steps}] {text}{s.reset}")

    def step_elapsed(self) -> float:
        return time.monotonic() - self.step_started

    def say(self, text: str = "") -> None:
        self._print(text)

    def detail(self, text: str) -> None:
        self._print(f"      {text}")

    def ok(self, text: str) -> None:
        s = self.style
        self._print(f"      {s.green}{text}{s.reset}")

    def warn(self, text: str) -> None:
        s = self.err_style
        self._print(f"{s.yellow}warning:{s.reset} {text}", self.err)

    def error(self, text: str) -> None:
        s = self.err_style
        self._print(f"{s.red}error:{s.reset} {text}", self.err)

    def block(self, title: str, lines: list[str]) -> None:
        """Indented lines of another program's output (a log's tail, say)."""
        s = self.style
        self._print(f"      {s.dim}--- {title} ---{s.reset}")
        for line in lines:
            self._print(f"      | {line}")
        self._print(f"      {s.dim}---{s.reset}")
