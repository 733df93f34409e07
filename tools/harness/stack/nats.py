"""The stack's private nats-server with JetStream, on 127.0.0.1, its data under <stack>/nats: one
server, or (a cluster) three nodes nats-1..nats-3 forming a JetStream cluster, so the stream can
keep 3 replicas and survive one node at a time going down. Each node runs under the supervisor
like a service (PID, exit status and log in the same places)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Fatal
from ..http import get_status
from ..paths import SYSTEM_PATH
from ..ports import port_in_use
from ..processes import wait_until

if TYPE_CHECKING:
    from .stack import Stack

NODE_NAME = re.compile(r"^nats-[123]$")


class Nats:
    def __init__(self, stack: "Stack"):
        self.stack = stack

    @property
    def cluster(self) -> bool:
        return self.stack.config.nats_cluster

    def nodes(self) -> list[str]:
        """The harness targets: "nats" alone, or every node ("nats" then means all of them)."""
        return ["nats-1", "nats-2", "nats-3"] if self.cluster else ["nats"]

    def is_node(self, target: str) -> bool:
        return self.cluster and bool(NODE_NAME.match(target))

    def selected(self, target: str) -> list[str]:
        return self.nodes() if target == "nats" else [target]

    @staticmethod
    def index(node: str) -> int:
        """nats-2 -> 2 (the single server is node 1)."""
        return 1 if node == "nats" else int(node.removeprefix("nats-"))

    def client_port(self, node: str) -> int:
        return self.stack.config.nats_ports[self.index(node) - 1]

    def monitor_port(self, node: str) -> int:
        return self.stack.config.nats_monitor_ports[self.index(node) - 1]

    def monitor_url(self, node: str) -> str:
        return f"http://127.0.0.1:{self.monitor_port(node)}"

    def conf_file(self, node: str) -> Path:
        return self.stack.dir / f"{node}.conf"

    def store_dir(self, node: str) -> Path:
        return self.stack.dir / "nats" if node == "nats" else self.stack.dir / "nats" / node

    def config_text(self, node: str) -> str:
        # server_name must be a single token; the stack folder's name is readable enough.
        name = "choreo_" + re.sub(r"[^A-Za-z0-9_]", "_", self.stack.dir.name)
        if node != "nats":
            name += "_" + node.replace("-", "_")
        lines = [f"# Written by ./dev at every start of {node} for this stack.",
                 f'server_name: "{name}"',
                 f'listen: "127.0.0.1:{self.client_port(node)}"',
                 f'http: "127.0.0.1:{self.monitor_port(node)}"',
                 "jetstream {",
                 '  # nats-server keeps its streams in a "jetstream" folder inside store_dir',
                 f'  store_dir: "{self.store_dir(node)}"',
                 "}"]
        if node != "nats":
            ports = self.stack.config.nats_cluster_ports
            routes = ",".join(f'"nats-route://127.0.0.1:{port}"' for port in ports)
            lines += ["cluster {", '  name: "choreo"',
                      f'  listen: "127.0.0.1:{ports[self.index(node) - 1]}"',
                      f"  routes: [{routes}]", "}"]
        return "\n".join(lines) + "\n"

    def node_pid(self, node: str) -> int | None:
        return self.stack.procs.pid(node, str(self.conf_file(node)))

    def pid(self) -> int | None:
        """The first running node's PID (any node: something of NATS runs)."""
        for node in self.nodes():
            pid = self.node_pid(node)
            if pid is not None:
                return pid
        return None

    def node_ready(self, node: str) -> bool:
        return get_status(f"{self.monitor_url(node)}/healthz") == 200

    def ready(self, target: str = "nats") -> bool:
        return all(self.node_ready(node) for node in self.selected(target))

    def launch(self, node: str) -> None:
        """Starts one node without waiting (cluster nodes report healthy only once a quorum is
        up, so all of them are launched before any is waited for)."""
        ui = self.stack.ui
        pid = self.node_pid(node)
        if pid is not None:
            ui.say(f"{node}: already running (pid {pid})")
            return
        binary = shutil.which("nats-server", path=SYSTEM_PATH)
        if not binary:
            raise Fatal("nats-server is not installed (apt-get install nats-server)")
        if port_in_use(self.client_port(node)):
            raise Fatal(f"{node}: port {self.client_port(node)} on 127.0.0.1 is taken by another "
                        "program")
        if port_in_use(self.monitor_port(node)):
            raise Fatal(f"{node}: monitoring port {self.monitor_port(node)} on 127.0.0.1 is taken "
                        "by another program")
        self.store_dir(node).mkdir(parents=True, exist_ok=True)
        self.conf_file(node).write_text(self.config_text(node))
        self.stack.procs.launch(node, {"PATH": SYSTEM_PATH},
                                [binary, "-c", str(self.conf_file(node))])

    def wait(self, node: str, offset: int) -> None:
        """Until the node reports healthy (30 s), failing fast when it exits."""
        procs = self.stack.procs
        exited = procs.exit_file(node)
        if not wait_until(lambda: self.node_ready(node) or exited.exists(), 30, 0.1) or \
                exited.exists():
            log = self.stack.log_tail(procs.log_file(node), offset)
            if exited.exists():
                raise Fatal(f"{node} exited with status {exited.read_text().strip()} while "
                            f"starting\n{log}")
            raise Fatal(f"{node} did not report healthy on {self.monitor_url(node)}/healthz "
                        f"within 30s\n{log}")
        self.stack.ui.say(f"{node}: ready (pid {self.node_pid(node)}, monitoring "
                          f"{self.monitor_url(node)})")

    def start(self, target: str = "nats") -> None:
        nodes = self.selected(target)
        offsets = {node: self.stack.log_size(self.stack.procs.log_file(node)) for node in nodes}
        for node in nodes:
            self.launch(node)
        for node in nodes:
            self.wait(node, offsets[node])

    def stop(self, target: str = "nats") -> None:
        for node in self.selected(target):
            self.stack.procs.stop(self.stack.ui, node, str(self.conf_file(node)), 20)

    def kill(self, target: str = "nats") -> None:
        for node in self.selected(target):
            self.stack.procs.kill(self.stack.ui, node, str(self.conf_file(node)))

    def status_line(self, target: str = "nats") -> bool:
        healthy = True
        for node in self.selected(target):
            pid = self.node_pid(node)
            if pid is not None:
                self.stack.ui.say(f"  {node:<18} running  pid {pid:<8} nats://127.0.0.1:"
                                  f"{self.client_port(node)}  monitoring {self.monitor_url(node)}")
            else:
                self.stack.ui.say(f"  {node:<18} stopped"
                                  f"{self.stack.procs.last_exit_note(node)}")
                healthy = False
        return healthy
