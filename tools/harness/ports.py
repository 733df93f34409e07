"""Ports: is one taken, and picking free ones for stacks that must run beside `./dev up`'s."""

from __future__ import annotations

import fcntl
import os
import random
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Fatal

# Below Linux's ephemeral range (32768+), so outgoing connections never hold them, and above the
# fixed ports of the `./dev up` stack.
FREE_PORT_MIN = 20000
FREE_PORT_MAX = 32000
# A port handed to a stack stays its own while that stack's stack.conf names it, or for this long
# while the stack is being written: a port that is free right now may still belong to a stack
# whose service is stopped for a moment (a chaos run).
CLAIM_GRACE_SECONDS = 120


def claims_file() -> Path:
    return Path(f"/tmp/choreo-port-claims.{os.geteuid()}")


def port_in_use(port: int) -> bool:
    """Something accepts connections on 127.0.0.1:PORT."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def port_bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class Claim:
    port: int
    epoch: int
    stack_dir: str

    def line(self) -> str:
        return f"{self.port} {self.epoch} {self.stack_dir}\n"

    @staticmethod
    def parse(line: str) -> "Claim | None":
        parts = line.rstrip("\n").split(" ", 2)
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return None
        return Claim(int(parts[0]), int(parts[1]), parts[2])


def claim_is_live(claim: Claim, now: float, ports_of_stack) -> bool:
    """PORTS_OF_STACK(dir) -> the ports that stack's stack.conf names (empty when it has none)."""
    return now - claim.epoch < CLAIM_GRACE_SECONDS or claim.port in ports_of_stack(claim.stack_dir)


def _ports_named_by(stack_dir: str) -> set[int]:
    from .stack.config import StackConfig
    conf = Path(stack_dir) / "stack.conf"
    try:
        return set(StackConfig.load(conf).every_port())
    except (OSError, ValueError, IndexError):
        return set()


def pick_free_ports(count: int, rng: random.Random | None = None,
                    taken: set[int] | None = None) -> list[int]:
    """COUNT distinct ports nothing listens on and no one else was handed (TAKEN)."""
    rng = rng or random.Random()
    chosen: list[int] = []
    for _ in range(1000):
        if len(chosen) == count:
            return chosen
        port = rng.randrange(FREE_PORT_MIN, FREE_PORT_MAX)
        if port in chosen or (taken and port in taken):
            continue
        if port_bindable(port) and not port_in_use(port):
            chosen.append(port)
    raise Fatal(f"found no free ports between {FREE_PORT_MIN} and {FREE_PORT_MAX}")


def allocate_ports(count: int, stack_dir: Path) -> list[int]:
    """COUNT free ports, claimed for STACK_DIR in the claims file shared by every checkout."""
    path = claims_file()
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        now = time.time()
        claims = []
        if path.exists():
            claims = [claim for claim in map(Claim.parse, path.read_text().splitlines(True))
                      if claim is not None]
        # Forget claims of stacks that are gone or moved to other ports; drop our own old ones.
        kept = [claim for claim in claims if claim.stack_dir != str(stack_dir)
                and claim_is_live(claim, now, _ports_named_by)]
        chosen = pick_free_ports(count, taken={claim.port for claim in kept})
        kept += [Claim(port, int(now), str(stack_dir)) for port in chosen]
        partial = path.with_name(path.name + ".new")
        partial.write_text("".join(claim.line() for claim in kept))
        partial.replace(path)
        return chosen
