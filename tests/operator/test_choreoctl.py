"""The operator's CLI against a running stack: `choreoctl status`, `consumers`, `order`, `tail`
and bulk `dlq replay`, a stopped worker's backlog draining after its restart, and one trace id
(sent as a W3C traceparent with createOrder) in every service's log and in the order's timeline.

Run by `./dev test` on its split-databases stack, started with LOG_LEVEL=debug and
LOG_FORMAT=json; by hand against a stack of your own:

    (set -a; . .stack-test/env; set +a; CHOREO_STACK_DIR=.stack-test \\
     CHOREOCTL=build/choreoctl/choreoctl /usr/bin/python3 -m pytest tests/operator -v)

It stops and starts workers of that stack (./dev stack --dir DIR stop|start SERVICE), so it is
not for a stack anyone else is using.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
STACK_DIR = Path(os.environ.get("CHOREO_STACK_DIR", REPO / ".stack-test"))
CHOREOCTL = os.environ.get("CHOREOCTL", str(REPO / "build" / "choreoctl" / "choreoctl"))
GRAPHQL_URL = os.environ.get("GRAPHQL_URL", "http://127.0.0.1:8080/graphql")
TOKEN = os.environ.get("TOKEN", "")
SERVICES = ("order-service", "inventory-worker", "payment-worker", "shipping-worker",
            "event-monitor")
WORKER_DURABLES = {"inventory_processors", "payment_processors", "shipping_handlers"}
# Generous: a healthy stack settles in well under a second; a loaded CI machine may not.
SETTLE_SECONDS = 60.0


# --- helpers ----------------------------------------------------------------------------------

def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def poll(condition, what: str, timeout: float = SETTLE_SECONDS, detail=None):
    """Calls condition() until it returns something truthy; returns that, or fails naming what
    was awaited (and what detail() then says)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            shown = f"\n{detail()}" if detail else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{shown}")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def choreoctl(*args: str, env: dict[str, str] | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([CHOREOCTL, *args], env={**os.environ, **(env or {})},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, check=False)


def choreoctl_json(*args: str):
    result = choreoctl(*args, "--json")
    assert result.returncode == 0, f"choreoctl {' '.join(args)}: {result.stderr}"
    return json.loads(result.stdout)


def stack(verb: str, service: str) -> None:
    subprocess.run([str(REPO / "dev"), "stack", "--dir", str(STACK_DIR), verb, service],
                   check=True, stdout=subprocess.DEVNULL, timeout=120)


def graphql(query: str, headers: dict[str, str] | None = None) -> httpx.Response:
    response = httpx.post(GRAPHQL_URL, json={"query": query}, timeout=10.0,
                          headers={"Authorization": f"Bearer {TOKEN}", **(headers or {})})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response


def create_order(identifier: str, headers: dict[str, str] | None = None) -> str:
    response = graphql(f'mutation {{ createOrder(input: {{ identifier: "{identifier}", '
                       f'total: "19.99" }}) {{ id }} }}', headers)
    return response.json()["data"]["createOrder"]["id"]


def status_of(order_id: str) -> str:
    return graphql(f'query {{ order(id: "{order_id}") {{ status }} }}').json()[
        "data"]["order"]["status"]


def consumer(name: str) -> dict:
    for entry in choreoctl_json("consumers"):
        if entry["name"] == name:
            return entry
    pytest.fail(f"choreoctl consumers lists no durable {name}")


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-XAtqc", sql], check=True, stdout=subprocess.PIPE,
                          text=True, timeout=30).stdout.strip()


class Tail:
    """`choreoctl tail` as a child process, its output lines collected as they come."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([CHOREOCTL, "tail", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self.listening = threading.Event()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_out(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def _read_err(self) -> None:
        for line in self.process.stderr:
            self.errors.append(line)
            if "listening on" in line:
                self.listening.set()

    def wait_listening(self) -> None:
        assert self.listening.wait(30), f"choreoctl tail never listened: {self.errors}"

    def events_until(self, done, timeout: float = SETTLE_SECONDS) -> list[dict]:
        """The JSON lines received until done(events) holds."""
        events: list[dict] = []
        deadline = time.monotonic() + timeout
        while not done(events):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"choreoctl tail did not show what was awaited; it showed {events}")
            try:
                events.append(json.loads(self.lines.get(timeout=remaining)))
            except queue.Empty:
                continue
        return events

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


# --- status and consumers ---------------------------------------------------------------------

def test_status_reports_every_part_of_the_system():
    order_id = create_order(unique("status"))
    poll(lambda: status_of(order_id) == "shipped", "the order to ship")
    report = choreoctl_json("status")
    assert [entry["service"] for entry in report["services"]] == list(SERVICES)
    assert all(entry["ready"] for entry in report["services"]), report["services"]
    assert report["stream"]["messages"] > 0 and report["stream"]["bytes"] > 0
    assert report["stream"]["last_seq"] >= report["stream"]["first_seq"]
    durables = {entry["name"]: entry for entry in report["consumers"]}
    assert WORKER_DURABLES <= durables.keys() and "event_monitoring" in durables
    assert all(entry["max_ack_pending"] > 0 for entry in durables.values())
    assert durables["payment_processors"]["last_delivered"] is not None
    assert {entry["source"] for entry in report["outbox"]} == set(SERVICES[:4])
    assert report["orders_by_status"].get("shipped", 0) >= 1
    assert report["unreachable"] == []

    text = choreoctl("status")
    assert text.returncode == 0, text.stderr
    for heading in ("Services", "Stream events", "Consumers", "Outbox backlog", "Dead letters",
                    "Orders by status"):
        assert heading in text.stdout, text.stdout
    assert "payment_processors" in text.stdout


def test_status_fails_only_when_it_cannot_reach_what_it_reports_on():
    result = choreoctl("status", "--json", "--timeout", "1s",
                       env={"NATS_URL": "nats://127.0.0.1:1"})
    assert result.returncode == 1, result.stdout
    report = json.loads(result.stdout)  # the rest of the report is still there
    assert any("NATS" in what for what in report["unreachable"]), report["unreachable"]
    assert report["orders_by_status"]


def test_a_stopped_workers_durable_shows_its_backlog_and_drains_after_restart():
    stack("stop", "payment-worker")
    try:
        orders = [create_order(unique("backlog")) for _ in range(3)]
        backlog = poll(lambda: (c := consumer("payment_processors"))["num_pending"] >= 3 and c,
                       "payment_processors to show the three orders as unprocessed")
        assert backlog["num_waiting"] == 0, "nobody pulls while the worker is down"

        report = json.loads(choreoctl("status", "--json").stdout)
        payment = next(s for s in report["services"] if s["service"] == "payment-worker")
        assert payment["state"] == "unreachable" and not payment["ready"]
        # A service that is down is a finding of the report, not a failure to report.
        assert choreoctl("status").returncode == 0

        table = choreoctl("consumers")
        assert table.returncode == 0, table.stderr
        row = next(line for line in table.stdout.splitlines()
                   if line.startswith("payment_processors"))
        assert int(row.split()[2]) >= 3, table.stdout
    finally:
        stack("start", "payment-worker")
    poll(lambda: consumer("payment_processors")["num_pending"] == 0,
         "payment_processors to drain its backlog")
    for order_id in orders:
        poll(lambda: status_of(order_id) == "shipped", f"order {order_id} to ship")
    drained = consumer("payment_processors")
    assert drained["num_ack_pending"] == 0
    assert drained["num_waiting"] >= 1, "the restarted worker pulls again"


# --- one trace per order, and its timeline ----------------------------------------------------

def test_one_trace_id_finds_the_order_in_every_service_and_its_timeline():
    trace_id = secrets.token_hex(16)
    identifier = unique("traced")
    response = graphql(f'mutation {{ createOrder(input: {{ identifier: "{identifier}", '
                       f'total: "19.99" }}) {{ id }} }}',
                       {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"})
    order_id = response.json()["data"]["createOrder"]["id"]
    assert response.headers["traceparent"].split("-")[1] == trace_id, response.headers
    timeline_text = lambda: choreoctl("order", order_id).stdout  # noqa: E731
    poll(lambda: status_of(order_id) == "shipped", "the traced order to ship",
         detail=timeline_text)

    def lines_with_trace(service: str) -> list[dict]:
        found = []
        log = STACK_DIR / "logs" / f"{service}.log"
        # The last piece may be a line still being written: only whole lines count.
        for line in log.read_text(errors="replace").split("\n")[:-1]:
            if trace_id in line:
                entry = json.loads(line)
                assert entry["trace_id"] == trace_id, line
                found.append(entry)
        return found

    for service in SERVICES:
        lines = poll(lambda: lines_with_trace(service), f"{service}'s log to name the trace",
                     detail=timeline_text)
        assert all(entry["service"] == service for entry in lines)
    consumer_lines = lines_with_trace("payment-worker")
    assert any(entry.get("order_id") == order_id and entry.get("event_id")
               for entry in consumer_lines), consumer_lines

    expected = ["events.order.created", "events.inventory.reserved", "events.payment.charged",
                "events.order.shipped"]

    def complete_timeline():
        timeline = choreoctl_json("order", identifier)
        subjects = [event["subject"] for event in timeline["events"]]
        statuses = [event for event in timeline["events"] if event.get("status_change")]
        return all(s in subjects for s in expected) and len(statuses) == 2 and timeline

    timeline = poll(complete_timeline, "the event monitor to log the whole flow",
                    detail=timeline_text)
    assert timeline["trace_id"] == trace_id
    assert timeline["order"]["id"] == order_id and timeline["order"]["status"] == "shipped"
    assert all(event["trace_id"] == trace_id for event in timeline["events"]), timeline
    sequences = [event["stream_seq"] for event in timeline["events"]]
    assert sequences == sorted(sequences)
    assert timeline["events"][0]["since_previous_ms"] is None
    assert all(event["since_previous_ms"] >= 0 for event in timeline["events"][1:])
    assert timeline["duration_ms"] >= 0
    handled = {handling["consumer"]: handling
               for event in timeline["events"] for handling in event["handled_by"]}
    assert WORKER_DURABLES <= handled.keys(), handled
    assert all(handled[name]["deliveries"] == 1 for name in WORKER_DURABLES)
    by_subject = {event["subject"]: event for event in timeline["events"]}
    assert by_subject["events.inventory.reserved"]["handled_by"][0]["consumer"] == \
        "payment_processors"
    changes = [(e["status_change"]["from"], e["status_change"]["to"])
               for e in timeline["events"] if e.get("status_change")]
    assert changes == [("pending", "paid"), ("paid", "shipped")]
    assert timeline["payment"]["status"] == "succeeded"
    assert timeline["shipment"]["tracking_number"]
    assert timeline["dead_letters"] == []

    # By id as well as by identifier; the text form says the same.
    assert choreoctl_json("order", order_id)["order"]["identifier"] == identifier
    text = choreoctl("order", order_id)
    assert text.returncode == 0, text.stderr
    assert f"trace {trace_id}" in text.stdout
    assert "handled by payment_processors (1 delivery)" in text.stdout, text.stdout
    assert "flow:" in text.stdout
    missing = choreoctl("order", unique("no-such-order"))
    assert missing.returncode == 1 and "no order" in missing.stderr


def test_a_request_without_traceparent_starts_a_trace_of_its_own():
    order_id = create_order(unique("untraced"))
    poll(lambda: status_of(order_id) == "shipped", "the order to ship")
    timeline = poll(lambda: (t := choreoctl_json("order", order_id))["trace_id"] and
                    len(t["events"]) >= 6 and t, "the order's events to be logged")
    assert len(timeline["trace_id"]) == 32
    assert {event["trace_id"] for event in timeline["events"]} == {timeline["trace_id"]}


# --- tail -------------------------------------------------------------------------------------

def test_tail_shows_the_live_events_until_interrupted():
    everything = Tail("--json")
    status_only = Tail("events.order.status_updated", "--json")
    everything.wait_listening()
    status_only.wait_listening()
    order_id = create_order(unique("tailed"))

    mine = lambda events: [e for e in events if e["order_id"] == order_id]  # noqa: E731
    seen = everything.events_until(
        lambda events: any(e["subject"] == "events.order.shipped" for e in mine(events)))
    subjects = [event["subject"] for event in mine(seen)]
    assert subjects[:3] == ["events.order.created", "events.inventory.reserved",
                            "events.payment.charged"], subjects
    assert all(event["event_id"] and event["trace_id"] for event in mine(seen))
    updates = status_only.events_until(
        lambda events: [e["data"]["status"] for e in mine(events)] == ["paid", "shipped"])
    assert {event["subject"] for event in updates} == {"events.order.status_updated"}

    assert everything.interrupt() == 0
    assert status_only.interrupt() == 0
    assert any("event(s) shown" in line for line in everything.errors)

    # --order by identifier: only that order's events, as text lines.
    identifier = unique("tailed-text")
    order_id = create_order(identifier)
    poll(lambda: status_of(order_id) == "shipped", "the order to ship")
    one = Tail("--order", identifier)
    one.wait_listening()
    other = create_order(unique("not-tailed"))
    poll(lambda: status_of(other) == "shipped", "the other order to ship")
    assert one.interrupt() == 0
    assert one.lines.empty(), "no event of another order is shown"


# --- bulk dead-letter replay ------------------------------------------------------------------

def test_bulk_replay_of_dead_letters_after_the_fix():
    shipping_url = os.environ["SHIPPING_WORKER_DATABASE_URL"]
    constraint = "operator_test_refuse_" + uuid.uuid4().hex[:8]
    stack("stop", "shipping-worker")
    try:
        orders = [create_order(unique("bulk-dlq")) for _ in range(2)]
        for order_id in orders:
            poll(lambda: status_of(order_id) == "paid", "the order to be paid")
        refused = ", ".join(f"'{order_id}'::uuid" for order_id in orders)
        psql(shipping_url, f"ALTER TABLE shipping_worker.tb_shipping ADD CONSTRAINT {constraint} "
                           f"CHECK (order_id NOT IN ({refused})) NOT VALID")
    finally:
        stack("start", "shipping-worker")
    try:
        def letters():
            listed = choreoctl_json("dlq", "list", "--consumer", "shipping_handlers")
            return [letter for letter in listed if constraint in letter["reason"]]

        dead = poll(lambda: len(letters()) == 2 and letters(),
                    "shipping_handlers to dead-letter both orders")
        report = choreoctl_json("status")
        assert any(entry["consumer"] == "shipping_handlers" and entry["count"] >= 2
                   for entry in report["dead_letters"]), report["dead_letters"]

        dry = choreoctl_json("dlq", "replay", "--all", "--consumer", "shipping_handlers",
                             "--reason", constraint, "--dry-run")
        assert dry["dry_run"] and dry["matched"] == 2
        assert {r["id"] for r in dry["results"]} == {letter["id"] for letter in dead}
        assert len(letters()) == 2, "a dry run changes nothing"
    finally:
        psql(shipping_url, f"ALTER TABLE shipping_worker.tb_shipping DROP CONSTRAINT {constraint}")

    replayed = choreoctl_json("dlq", "replay", "--all", "--consumer", "shipping_handlers",
                              "--reason", constraint, "--since", "10m")
    assert replayed["replayed"] == 2 and replayed["not_replayed"] == 0, replayed
    for order_id in orders:
        poll(lambda: status_of(order_id) == "shipped", f"order {order_id} to ship after the replay")
    assert letters() == [], "replayed letters leave the unreplayed list"
    again = choreoctl_json("dlq", "replay", "--all", "--consumer", "shipping_handlers",
                           "--reason", constraint)
    assert again["matched"] == 0
    for order_id in orders:
        shipments = psql(shipping_url, "SELECT count(*) FROM shipping_worker.tb_shipping "
                                       f"WHERE order_id = '{order_id}'")
        assert shipments == "1", "exactly one shipment per order"
