"""The commands on the `./dev up` stack (.stack): up, down, status, logs, token; and build, deps."""

from __future__ import annotations

import os
import time

from .. import packages
from ..build import SERVICE_TARGETS, build
from ..errors import Fatal, UsageError
from ..stack.cli import stack_command
from ..stack.stack import Stack
from ..ui import format_duration
from .context import Context


def up(context: Context, arguments: list[str]) -> int:
    cluster = split = False
    for argument in arguments:
        if argument == "--nats-cluster":
            cluster = True
        elif argument == "--split-databases":
            split = True
        else:
            raise UsageError("./dev up takes no arguments but --nats-cluster and "
                             "--split-databases")
    ui = context.ui
    started = time.monotonic()
    ui.steps(6)
    ui.step("checking Debian packages")
    context.install(packages.BUILD_AND_RUN)
    ui.step("building the services and choreoctl (a few minutes on a fresh machine)")
    build(context.repo, ui, targets=SERVICE_TARGETS)
    stack = Stack(context.repo.default_stack, context.repo, ui)
    try:
        stack.up("default", "fixed", cluster, split)
    except Fatal as failure:
        ui.error(str(failure))
        raise Fatal("the stack is not fully up (see above); ./dev status shows what runs") \
            from None
    ui.say("")
    style = ui.style
    ui.say(f"{style.green}{style.bold}The stack is up{style.reset} (in "
           f"{format_duration(time.monotonic() - started)}).")
    stack.summary()
    return 0


def down(context: Context, arguments: list[str]) -> int:
    return stack_command(context.repo, context.ui,
                         ["--dir", str(context.repo.default_stack), "down", *arguments])


def default_stack(context: Context) -> Stack:
    return Stack(context.repo.default_stack, context.repo, context.ui)


def status(context: Context, arguments: list[str]) -> int:
    if arguments:
        raise UsageError("./dev status takes no arguments")
    stack = default_stack(context)
    if not stack.exists():
        context.ui.say(f"no stack in {stack.dir} (./dev up starts one)")
        return 1
    return 0 if stack.status() else 1


def logs(context: Context, arguments: list[str]) -> int:
    if not arguments:
        raise UsageError("./dev logs needs a target: postgres, nats or a service")
    target, follow = arguments[0], arguments[1:2] == ["-f"]
    stack = default_stack(context)
    if not stack.is_component(target):
        raise UsageError(f"unknown target '{target}'")
    log = stack.component_log(target)
    if not log.exists():
        raise Fatal(f"no log yet at {log}")
    if follow:
        os.execvp("tail", ["tail", "-n", "50", "-F", "--", str(log)])
    lines = log.read_text(errors="replace").splitlines()[-200:]
    context.ui.say("\n".join(lines))
    return 0


def token(context: Context, arguments: list[str]) -> int:
    operator = "--operator" in arguments
    rest = [argument for argument in arguments if argument != "--operator"]
    if len(rest) > 1 or any(argument.startswith("-") for argument in rest):
        raise UsageError("usage: ./dev token [--operator] [SUB]")
    subject = rest[0] if rest else ("operator" if operator else "demo")
    stack = default_stack(context)
    if not stack.exists() or not stack.jwt_secret_file.is_file():
        raise Fatal("no stack yet: run ./dev up first")
    context.ui.say(stack.make_token(subject, operator=operator))
    return 0


def build_command(context: Context, arguments: list[str]) -> int:
    build(context.repo, context.ui, extra=arguments)
    return 0


def deps(context: Context, arguments: list[str]) -> int:
    if arguments:
        raise UsageError("./dev deps takes no arguments")
    from .. import apt
    apt.install_missing(context.ui, packages.BUILD_AND_RUN)
    return 0
