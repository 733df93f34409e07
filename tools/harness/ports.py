"""Free ports on 127.0.0.1 for stacks that run beside the fixed-port one."""

from __future__ import annotations

import random
import socket

# Below Linux's ephemeral range (32768+), so outgoing connections never hold them, and above the
# fixed ports of the `./dev up` stack.
FREE_PORT_MIN = 20000
FREE_PORT_MAX = 32000


def port_in_use(port: int) -> bool:
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


def pick_free_ports(count: int, rng: random.Random | None = None,
                    taken: set[int] | None = None) -> list[int]:
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
    raise RuntimeError(f"found no {count} free ports between {FREE_PORT_MIN} and {FREE_PORT_MAX}")
