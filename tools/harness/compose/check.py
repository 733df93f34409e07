"""./dev compose-check: docker-compose.yml built and run on a real Docker engine, then the seed's
walkthrough through its published ports and `compose exec`, a scaled worker, a crash, and a
clean `down -v`."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import apt, packages
from ..docker.base_images import BaseImageMaker
from ..docker.engine import DockerEngine
from ..docker.standins import ensure_standins
from ..graphql import GraphQLClient
from ..http import get_text, metric_value
from ..ports import pick_free_ports
from ..processes import wait_until
from ..ui import Fatal, Ui, format_duration
from .project import ComposeProject, Container

SERVICES = ["order-service", "inventory-worker", "payment-worker", "shipping-worker",
            "event-monitor"]
# Everything but nats-box, whose image (the nats CLI) cannot be had here.
STARTED = ["postgres", "nats", *SERVICES]
# The size budget of one service image (the issue's: under 150 MB).
IMAGE_BUDGET_BYTES = 150_000_000
FLOW = ["events.order.created", "events.inventory.reserved", "events.payment.charged",
        "events.order.shipped"]
SETTLE_SECONDS = 60


@dataclass
class CheckSettings:
    root: Path
    project: str = "choreo-check"
    orders: int = 100
    keep: bool = False
    skip_deps: bool = False
    cache_dir: Path = Path("/var/tmp/choreo-images")

    @property
    def log_dir(self) -> Path:
        return self.root / ".stack-compose" / "logs"


class BuildProgress:
    """Turns BuildKit's plain progress into a line now and then: the stage and step, and the C++
    build's percentage, at most one line per INTERVAL seconds (and each new service)."""

    STEP = re.compile(r"^#\d+ \[(?P<stage>[\w-]+) +(?P<step>\d+/\d+)\] (?P<what>.*)$")
    PERCENT = re.compile(r"^#\d+ [\d.]+ \[ *(?P<percent>\d+)%\]")
    SERVICE = re.compile(r"^Building (?P<service>[\w-]+)$")

    def __init__(self, interval: float = 20, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.clock = clock
        self.last_shown = -interval
        self.where = ""
        self.percent = ""
        self.percent_done = 0

    def feed(self, line: str) -> str | None:
        service = self.SERVICE.match(line)
        if service:
            self.last_shown = self.clock()
            self.where, self.percent, self.percent_done = "", "", 0
            return f"building {service['service']}"
        step = self.STEP.match(line)
        if step:
            self.where = f"[{step['stage']} {step['step']}] {step['what'][:70]}"
        percent = self.PERCENT.match(line)
        if percent:
            # Make reports the targets' percentages interleaved: show the furthest one.
            self.percent_done = max(self.percent_done, int(percent["percent"]))
            self.percent = f"C++ {self.percent_done}%"
        if not self.where or self.clock() - self.last_shown < self.interval:
            return None
        self.last_shown = self.clock()
        return "  ".join(part for part in (self.where, self.percent) if part)


@dataclass
class ComposeCheck:
    settings: CheckSettings
    ui: Ui = field(default_factory=Ui)

    def __post_init__(self) -> None:
        self.settings.log_dir.mkdir(parents=True, exist_ok=True)
        self.engine = DockerEngine(self.settings.log_dir)
        self.run_id = time.strftime("%H%M%S")
        self.timings: list[tuple[str, float]] = []
        self.build_seconds = 0.0
        self.image_sizes: dict[str, int] = {}
        self.project: ComposeProject | None = None
        self.client: GraphQLClient | None = None
        self.ports: dict[str, int] = {}

    # --- the run --------------------------------------------------------------------------

    def run(self) -> int:
        started = time.monotonic()
        steps: list[tuple[str, Callable[[], None]]] = [
            ("Debian packages: docker.io, docker-compose, debootstrap", self.packages),
            ("a Docker engine", self.engine_up),
            ("base images debian:12 and debian:12-slim", self.base_images),
            ("stand-ins for postgres:16-alpine and nats:2.10-alpine", self.standins),
            ("building the service images (one C++ build, a target per service)", self.build),
            ("starting the stack (all but nats-box) until every container is healthy", self.up),
            ("a token from choreoctl inside the order-service container", self.token),
            ("createOrder reaches shipped; the event log and choreoctl show the chain", self.happy),
            ("a 9999.99 order and a bad-card order fail, their stock released", self.failures),
            (f"--scale payment-worker=3 and {self.settings.orders} orders", self.scaled),
            ("a worker's process SIGKILLed from the host comes back", self.crash),
            ("docker compose down -v leaves nothing behind", self.down),
        ]
        self.ui.steps(len(steps))
        stack_started = False
        try:
            for index, (title, action) in enumerate(steps):
                self.ui.step(title)
                if action == self.up:
                    stack_started = True
                action()
                elapsed = self.ui.step_elapsed()
                self.timings.append((title, elapsed))
                self.ui.detail(f"done in {format_duration(elapsed)}")
                if action == self.down:
                    stack_started = False
                if self.settings.keep and index == len(steps) - 2:
                    self.ui.say(f"--keep: the project {self.settings.project} stays up; stop it "
                                f"with {self.project_spelling()} down -v")
                    break
        except Fatal as failure:
            self.ui.error(str(failure))
            if stack_started and self.project is not None:
                self.show_failure_state()
                if not self.settings.keep:
                    self.project.run("down", "-v", "--remove-orphans", timeout=300)
            self.ui.say(f"compose-check FAILED at step {self.ui.step_number}/"
                        f"{self.ui.total_steps} after {format_duration(time.monotonic() - started)}"
                        f" (logs in {self.settings.log_dir})")
            return 1
        finally:
            self.engine.stop_if_started(self.ui)
        sizes = ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in self.image_sizes.items())
        self.ui.say("")
        self.ui.say(f"compose-check passed: {len(self.timings)} steps in "
                    f"{format_duration(time.monotonic() - started)} with "
                    f"{self.project_spelling()}; image build {format_duration(self.build_seconds)};"
                    f" images: {sizes}")
        return 0

    def project_spelling(self) -> str:
        return self.project.spelling if self.project else "docker compose"

    def show_failure_state(self) -> None:
        assert self.project is not None
        for container in self.project.containers():
            self.ui.detail(f"{container.name}: {container.status} {container.health} "
                           f"(restarts {container.restart_count})")
        for service in STARTED:
            self.ui.block(f"{self.project.spelling} logs --tail 25 {service}",
                          self.project.logs_tail(service, 25))

    # --- the steps ------------------------------------------------------------------------

    def packages(self) -> None:
        if self.settings.skip_deps:
            self.ui.detail("skipped (CHOREO_SKIP_DEPS=1)")
            return
        apt.install_missing(self.ui, packages.COMPOSE)

    def engine_up(self) -> None:
        self.engine.ensure_running(self.ui)

    def base_images(self) -> None:
        BaseImageMaker(self.engine, self.settings.cache_dir).ensure(self.ui)

    def standins(self) -> None:
        ensure_standins(self.ui, self.engine, self.settings.root / "tools/compose/standins",
                        self.settings.log_dir)

    def compose_project(self) -> ComposeProject:
        if self.project is None:
            names = ["ORDER_SERVICE_PORT", "EVENT_MONITOR_PORT", "POSTGRES_PORT", "NATS_PORT",
                     "NATS_MONITOR_PORT"]
            self.ports = dict(zip(names, pick_free_ports(len(names))))
            variables = {name: str(port) for name, port in self.ports.items()}
            # The simulated provider's own ledger shows each card charged at most once.
            variables["PAYMENT_SIMULATOR_LEDGER"] = "1"
            self.project = ComposeProject(self.engine, self.settings.root / "docker-compose.yml",
                                          self.settings.project, variables)
        return self.project

    def build(self) -> None:
        project = self.compose_project()
        self.ui.detail(f"{project.spelling} build (DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1)")
        log = self.settings.log_dir / "build.log"
        progress = BuildProgress()
        started = time.monotonic()

        def show(line: str) -> None:
            message = progress.feed(line)
            if message:
                self.ui.detail(f"{format_duration(time.monotonic() - started):>8}  {message}")

        status = project.stream(["build", *SERVICES], log, show, timeout=3600)
        self.build_seconds = time.monotonic() - started
        if status != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-25:]
            raise Fatal(f"{project.spelling} build failed (log: {log}):\n" + "\n".join(tail))
        self.ui.ok(f"built in {format_duration(self.build_seconds)} (log: {log})")
        for service in SERVICES:
            image = f"choreo/{service}"
            self.image_sizes[service] = self.engine.image_size(image)
        self.ui.detail("image sizes: " + ", ".join(
            f"{name} {size / 1e6:.1f} MB" for name, size in self.image_sizes.items()))
        over = [name for name, size in self.image_sizes.items() if size >= IMAGE_BUDGET_BYTES]
        if over:
            raise Fatal(f"over the {IMAGE_BUDGET_BYTES / 1e6:.0f} MB budget: {', '.join(over)}")

    def up(self) -> None:
        project = self.compose_project()
        # A run that was interrupted may have left its project behind.
        project.run("down", "-v", "--remove-orphans", timeout=300)
        project.checked("up", "-d", *STARTED, timeout=600)
        self.wait_healthy({name: 1 for name in STARTED}, timeout=240)
        migrations = project.containers("migrate")
        if len(migrations) != 1 or migrations[0].status != "exited" or \
                migrations[0].exit_code != 0:
            raise Fatal(f"the migrate step did not finish cleanly: {migrations}")
        self.ui.ok("migrate ran once and exited 0; healthy: " + ", ".join(STARTED) +
                   f"; GraphQL on 127.0.0.1:{self.ports['ORDER_SERVICE_PORT']}, event monitor "
                   f"on 127.0.0.1:{self.ports['EVENT_MONITOR_PORT']}")
        # Each service is connected as its own role (the schema it owns), never as the owner.
        roles = {name: role for name, role in project.psql(
            "SELECT DISTINCT application_name, usename FROM pg_stat_activity "
            "WHERE application_name = ANY ('{" + ",".join(SERVICES) + "}')")}
        wrong = {service: roles.get(service) for service in SERVICES
                 if roles.get(service) != service.replace("-", "_")}
        if wrong:
            raise Fatal(f"services not connected as their own role: {wrong}")
        self.ui.ok("each service is connected as its own role (pg_stat_activity)")

    def wait_healthy(self, expected: dict[str, int], timeout: float) -> list[Container]:
        """Until EXPECTED (service -> count) containers run healthy; Fatal naming the laggards."""
        assert self.project is not None
        last: list[Container] = []

        def all_healthy() -> bool:
            nonlocal last
            last = self.project.containers()
            for service, count in expected.items():
                healthy = [c for c in last if c.service == service and c.status == "running"
                           and c.health in ("healthy", "")]
                if len(healthy) < count:
                    return False
            return True

        if not wait_until(all_healthy, timeout, 1.0):
            states = ", ".join(f"{c.service} {c.status}/{c.health or '-'}" for c in last)
            raise Fatal(f"not every container was healthy within {timeout:.0f}s: {states}")
        return last

    def token(self) -> None:
        project = self.compose_project()
        result = project.exec("order-service", "choreoctl", "token", "--sub", "demo")
        token = result.output.strip()
        if result.status != 0 or token.count(".") != 2:
            raise Fatal(f"choreoctl token in the container failed: {result.output.strip()}")
        self.client = GraphQLClient(
            f"http://127.0.0.1:{self.ports['ORDER_SERVICE_PORT']}/graphql", token)
        self.ui.ok(f"{project.spelling} exec order-service choreoctl token: {token[:24]}…")
        dead_letters = project.exec("event-monitor", "choreoctl", "dlq", "list")
        if dead_letters.status != 0:
            raise Fatal(f"choreoctl dlq list in the container failed: {dead_letters.output}")
        self.ui.ok(f"{project.spelling} exec event-monitor choreoctl dlq list: "
                   f"{dead_letters.output.strip().splitlines()[0] if dead_letters.output.strip() else '(empty)'}")

    def happy(self) -> None:
        assert self.client is not None and self.project is not None
        order = self.client.create_order(f"compose-{self.run_id}-001", "49.99",
                                          [{"sku": "widget", "quantity": 1}], "1 Main St")
        if order["status"] != "pending":
            raise Fatal(f"createOrder answered status {order['status']}, expected pending")
        self.ui.detail(f"createOrder: {order['id']} pending")
        self.client.wait_for_status(order["id"], "shipped", SETTLE_SECONDS)
        self.ui.ok(f"order {order['id']} is shipped")

        statement = (f"SELECT event_type, recorded_at FROM tb_event_log WHERE order_id = "
                     f"'{order['id']}' AND event_type <> 'events.order.status_updated' "
                     f"ORDER BY stream_seq")
        rows: list[list[str]] = []

        def logged() -> bool:
            nonlocal rows
            rows = self.project.psql(statement)
            return [row[0] for row in rows] == FLOW

        if not wait_until(logged, SETTLE_SECONDS, 0.3):
            raise Fatal(f"the event log shows {[row[0] for row in rows]}, expected {FLOW}")
        self.ui.detail(f"{self.project.spelling} exec postgres psql -U orders orders -c "
                       "\"SELECT event_type, recorded_at FROM tb_event_log …\"")
        for event_type, recorded_at in rows:
            self.ui.detail(f"  {event_type:<28} {recorded_at}")
        self.ui.ok("created → reserved → charged → shipped, in stream order")
        self.operator_view(order["id"])

    def operator_view(self, order_id: str) -> None:
        """choreoctl status and order inside a container: the compose file's service URLs and
        database URLs reach every service, and the order's events carry one trace."""
        assert self.project is not None
        # LOG_LEVEL=warn: the container's own (info) would mix choreoctl's log into the answer.
        status = self.project.exec("event-monitor", "env", "LOG_LEVEL=warn", "choreoctl", "status",
                                   "--json")
        if status.status != 0:
            raise Fatal(f"choreoctl status in the container exited {status.status}: "
                        f"{status.output.strip()}")
        report = json.loads(status.output[status.output.index("{\n"):])
        not_ready = [s["service"] for s in report["services"] if not s["ready"]]
        if not_ready:
            raise Fatal(f"choreoctl status in the container sees these not ready: {not_ready}")
        self.ui.ok(f"{self.project.spelling} exec event-monitor choreoctl status: five services "
                   f"ready, {len(report['consumers'])} durables, {report['stream']['messages']} "
                   "messages")
        timeline = self.project.exec("event-monitor", "env", "LOG_LEVEL=warn", "choreoctl", "order",
                                     order_id, "--json")
        if timeline.status != 0:
            raise Fatal(f"choreoctl order in the container failed: {timeline.output.strip()}")
        document = json.loads(timeline.output[timeline.output.index("{\n"):])
        traces = {event["trace_id"] for event in document["events"]}
        if not document["trace_id"] or traces != {document["trace_id"]}:
            raise Fatal(f"the order's events carry the traces {traces}, expected one "
                        f"({document['trace_id']})")
        self.ui.ok(f"choreoctl order: {len(document['events'])} events, one trace "
                   f"{document['trace_id']}")
        self.dashboard(order_id)

    def dashboard(self, order_id: str) -> None:
        """The event monitor's dashboard through its published port: the page for anyone, its
        data for an operator's token made inside the container."""
        assert self.project is not None
        monitor = f"http://127.0.0.1:{self.ports['EVENT_MONITOR_PORT']}"
        if "/dashboard/dashboard.js" not in get_text(f"{monitor}/"):
            raise Fatal(f"{monitor}/ does not answer the dashboard's page")
        token = self.project.exec("event-monitor", "env", "LOG_LEVEL=warn", "choreoctl", "token",
                                  "--operator")
        if token.status != 0:
            raise Fatal(f"choreoctl token --operator in the container failed: {token.output}")
        request = urllib.request.Request(f"{monitor}/api/order?id={order_id}", headers={
            "Authorization": f"Bearer {token.output.strip().splitlines()[-1]}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                events = json.loads(response.read())["events"]
        except (OSError, ValueError, KeyError) as error:
            raise Fatal(f"the dashboard's /api/order did not answer: {error}") from None
        self.ui.ok(f"the dashboard at {monitor}/ is served, and its API shows the order's "
                   f"{len(events)} events to an operator")

    def failures(self) -> None:
        assert self.client is not None and self.project is not None
        before = self.client.available()
        items = [{"sku": "gadget", "quantity": 2}]
        declined = self.client.create_order(f"compose-{self.run_id}-fail-001", "9999.99", items)
        bad_card = self.client.create_order(f"compose-{self.run_id}-bad-card-001", "49.00", items)
        for order in (declined, bad_card):
            final = self.client.wait_for_status(order["id"], "failed", SETTLE_SECONDS)
            if final["failureReason"] != "payment_failed":
                raise Fatal(f"order {order['id']} failed with {final['failureReason']}, expected "
                            "payment_failed")
        for order in (declined, bad_card):
            events = {row[0] for row in self.project.psql(
                f"SELECT event_type FROM tb_event_log WHERE order_id = '{order['id']}'")}
            missing = {"events.inventory.reserved", "events.payment.failed",
                       "events.inventory.released", "events.order.failed"} - events
            if missing:
                raise Fatal(f"order {order['id']}: no {', '.join(sorted(missing))} in the log")
        after = self.client.available()
        if after.get("gadget") != before.get("gadget"):
            raise Fatal(f"gadget stock available was {before.get('gadget')} before and "
                        f"{after.get('gadget')} after two declined orders: not released")
        self.ui.ok(f"both reserved, were declined, released and failed with payment_failed; "
                   f"gadget available {after['gadget']} before and after")

    def scaled(self) -> None:
        assert self.client is not None and self.project is not None
        project = self.project
        project.checked("up", "-d", "--scale", "payment-worker=3", *STARTED, timeout=600)
        workers = [c for c in self.wait_healthy({**{name: 1 for name in STARTED},
                                                 "payment-worker": 3}, timeout=180)
                   if c.service == "payment-worker"]
        self.ui.ok(f"{len(workers)} payment workers healthy: "
                   + ", ".join(c.name for c in workers))
        count = self.settings.orders
        prefix = f"compose-{self.run_id}-scale-"
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            created = list(pool.map(lambda index: self.client.create_order(
                f"{prefix}{index:04d}", "9.99", [{"sku": "widget", "quantity": 1}]),
                range(count)))
        self.ui.detail(f"{len(created)} orders created in "
                       f"{format_duration(time.monotonic() - started)}")
        by_status: dict[str, int] = {}

        def all_terminal() -> bool:
            nonlocal by_status
            by_status = {status: int(number) for status, number in project.psql(
                f"SELECT status, count(*) FROM tb_order WHERE identifier LIKE '{prefix}%' "
                "GROUP BY status")}
            return by_status.get("shipped", 0) + by_status.get("failed", 0) == count

        if not wait_until(all_terminal, 120, 0.5):
            raise Fatal(f"not every order is terminal after 120s: {by_status}")
        if by_status.get("shipped") != count:
            raise Fatal(f"expected all {count} orders shipped: {by_status}")
        self.ui.ok(f"all {count} shipped in {format_duration(time.monotonic() - started)}")

        charged_twice = project.psql(
            f"SELECT order_identifier, count(*) FROM tb_provider_charge WHERE order_identifier "
            f"LIKE '{prefix}%' GROUP BY order_identifier HAVING count(*) > 1")
        charges = int(project.psql(f"SELECT count(*) FROM tb_provider_charge WHERE "
                                   f"order_identifier LIKE '{prefix}%'")[0][0])
        if charged_twice or charges != count:
            raise Fatal(f"the provider's ledger shows {charges} charges for {count} orders; "
                        f"charged more than once: {charged_twice}")
        self.ui.ok(f"the provider's ledger: {charges} charges, one per order, none twice")

        handled = {worker.name: self.processed(worker, "9102/tcp", "payment_processors")
                   for worker in workers}
        self.ui.detail("payment_processors events handled per worker: " +
                       ", ".join(f"{name} {number:.0f}" for name, number in handled.items()))
        if sum(1 for number in handled.values() if number > 0) < 2:
            raise Fatal("the scaled workers did not share the durable: only one handled events")
        self.ui.ok("the workers share the durable payment_processors")

    def processed(self, container: Container, port: str, durable: str) -> float:
        if port not in container.ports:
            raise Fatal(f"{container.name} publishes no {port}")
        text = get_text(f"http://127.0.0.1:{container.ports[port]}/metrics")
        value = metric_value(text, f'choreo_consumer_events_total{{consumer="{durable}",'
                                   f'outcome="processed"}}')
        return max(value, 0.0)

    def crash(self) -> None:
        assert self.client is not None and self.project is not None
        [victim] = self.project.containers("inventory-worker")
        self.ui.detail(f"kill -KILL {victim.pid} (the inventory-worker process of "
                       f"{victim.name}, seen from the host)")
        os.kill(victim.pid, signal.SIGKILL)
        # Created while the only inventory worker is down: it must be handled once it is back.
        order = self.client.create_order(f"compose-{self.run_id}-after-crash", "24.50",
                                         [{"sku": "gadget", "quantity": 1}])

        def restarted() -> bool:
            found = self.project.containers("inventory-worker")
            return len(found) == 1 and found[0].restart_count > victim.restart_count and \
                found[0].status == "running" and found[0].health == "healthy"

        if not wait_until(restarted, 120, 0.5):
            raise Fatal("inventory-worker did not come back healthy by its restart policy")
        [back] = self.project.containers("inventory-worker")
        self.ui.ok(f"{back.name} restarted by Docker (restart count {back.restart_count}, "
                   f"new pid {back.pid}) and healthy")
        self.client.wait_for_status(order["id"], "shipped", SETTLE_SECONDS)
        self.ui.ok(f"the order created during the crash ({order['id']}) is shipped")

    def down(self) -> None:
        project = self.compose_project()
        project.checked("down", "-v", "--remove-orphans", timeout=300)
        label = f"com.docker.compose.project={self.settings.project}"
        left = {kind: self.engine.listing(kind, label) for kind in ("container", "network",
                                                                      "volume")}
        named = self.engine.docker("volume", "ls", "-q", "--filter",
                                   f"name={self.settings.project}_").output.split()
        left["volume"] = sorted(set(left["volume"]) | set(named))
        leftovers = {kind: ids for kind, ids in left.items() if ids}
        if leftovers:
            raise Fatal(f"left behind after down -v: {leftovers}")
        self.ui.ok("no container, network or volume of the project is left")


def main(argv: list[str], root: Path) -> int:
    parser = argparse.ArgumentParser(
        prog="./dev compose-check",
        description="Build docker-compose.yml's images and run the seed's walkthrough, a scaled "
                    "worker, a crash and a clean down on a real Docker engine.")
    parser.add_argument("--orders", type=int, default=100,
                        help="orders of the scaled-worker step (default 100)")
    parser.add_argument("--project", default="choreo-check",
                        help="the compose project name (default choreo-check)")
    parser.add_argument("--keep", action="store_true",
                        help="leave the project running at the end (skips the down step)")
    arguments = parser.parse_args(argv)
    if arguments.orders < 1:
        parser.error("--orders must be at least 1")
    settings = CheckSettings(root=root, project=arguments.project, orders=arguments.orders,
                             keep=arguments.keep,
                             skip_deps=os.environ.get("CHOREO_SKIP_DEPS") == "1")
    return ComposeCheck(settings).run()
