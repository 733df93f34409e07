"""`./dev dlq`: a stack's dead letters through `choreoctl dlq`, pointed at that stack."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..errors import Fatal, UsageError
from ..paths import SYSTEM_PATH
from ..stack.services import profile_env
from ..stack.stack import Stack
from .context import Context

USAGE = """Usage: ./dev dlq [--dir DIR] list [--consumer C] [--all] [--json] [--limit N]
       ./dev dlq [--dir DIR] replay ID [--force]

DIR is the stack folder (default: .stack of the repository).
  list          the dead letters not yet replayed, newest first (--all: replayed ones too;
                --consumer: one durable's; --json: every field, payload included)
  replay ID     re-publish dead letter ID (the first column of list: SERVICE/NUMBER, or the
                NUMBER alone when only one service has it) once its cause is fixed;
                only the consumer that gave up acts on it, the others recognise its event id.
                A row already replayed needs --force."""


def dlq(context: Context, arguments: list[str]) -> int:
    directory = context.repo.default_stack
    rest = list(arguments)
    while rest:
        if rest[0] == "--dir":
            if len(rest) < 2 or not rest[1]:
                raise UsageError("--dir needs a stack folder")
            directory = Path(rest[1])
            del rest[:2]
        elif rest[0].startswith("--dir="):
            directory = Path(rest.pop(0).removeprefix("--dir="))
        else:
            break
    if not rest:
        raise UsageError("./dev dlq needs a command: list or replay (./dev dlq help)")
    if rest[0] in ("help", "-h", "--help"):
        context.ui.say(USAGE)
        return 0
    if rest[0] not in ("list", "replay"):
        raise UsageError(f"unknown dlq command '{rest[0]}' (list or replay; ./dev dlq help)")
    stack = Stack(directory, context.repo, context.ui)
    choreoctl = stack.choreoctl()
    if not os.access(choreoctl, os.X_OK):
        raise Fatal(f"{choreoctl} is missing: build first (./dev build)")
    # The stack's profile settings go along, so choreoctl judges INBOX_RETENTION as the stack's
    # services do.
    env = {"PATH": SYSTEM_PATH, "HOME": os.environ.get("HOME", "/"),
           "DATABASE_URL": stack.database_url(), "NATS_URL": stack.nats_url(),
           **stack.service_database_urls(),
           **profile_env(stack.config.profile)}
    return subprocess.run([str(choreoctl), "dlq", *rest], env=env, check=False).returncode
