"""A stack's env file: `export KEY=VALUE` lines a shell can source and a program can parse."""

from __future__ import annotations

import shlex
from pathlib import Path


def parse_env_text(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("export "):
            continue
        key, _, value = line[len("export "):].partition("=")
        parts = shlex.split(value) if value else [""]
        values[key] = parts[0] if parts else ""
    return values


def read_env_file(path: Path | str) -> dict[str, str]:
    return parse_env_text(Path(path).read_text())


def render_env_text(label: str, path: Path, values: dict[str, str]) -> str:
    lines = [f"# Stack {label}: load it with: source {path}. Written by ./dev."]
    lines += [f"export {key}={shlex.quote(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"
