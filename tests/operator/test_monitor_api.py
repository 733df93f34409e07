"""The event monitor's operator API (the live dashboard's data) against a running stack: operator
tokens only, the durables' lag, rates, latency, recent orders and one order's events.

Run with the operator's CLI suite (tests/operator/test_choreoctl.py says how)."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
CHOREOCTL = os.environ.get("CHOREOCTL", str(REPO / "build" / "choreoctl" / "choreoctl"))
MONITOR_URL = os.environ.get("EVENT_MONITOR_URL", "http://127.0.0.1:9104")
GRAPHQL_URL = os.environ.get("GRAPHQL_URL", "http://127.0.0.1:8080/graphql")
USER_TOKEN = os.environ.get("TOKEN", "")
SETTLE_SECONDS = 60.0


def operator_token() -> str:
    result = subprocess.run([CHOREOCTL, "token", "--operator"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, check=True, timeout=30)
    return result.stdout.strip()


def get(path: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(MONITOR_URL + path, headers=headers, timeout=10.0)


def shipped_order() -> tuple[str, str]:
    identifier = f"monitor-api-{uuid.uuid4().hex[:12]}"
    response = httpx.post(GRAPHQL_URL, timeout=10.0,
                          headers={"Authorization": f"Bearer {USER_TOKEN}"},
                          json={"query": f'mutation {{ createOrder(input: {{ identifier: '
                                         f'"{identifier}", total: "9.99" }}) {{ id }} }}'})
    assert response.status_code == 200, response.text
    order_id = response.json()["data"]["createOrder"]["id"]
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        events = get(f"/api/order?id={order_id}", operator_token())
        subjects = [e["subject"] for e in events.json()["events"]] if events.status_code == 200 \
            else []
        if subjects.count("events.order.status_updated") == 2:
            return order_id, identifier
        if time.monotonic() > deadline:
            pytest.fail(f"the event log never held the whole flow of {order_id}: {subjects}")
        time.sleep(0.1)


def test_only_an_operator_reads_the_api_while_health_stays_open():
    assert get("/api/overview").status_code == 401
    assert get("/api/overview").headers["www-authenticate"] == "Bearer"
    assert get("/api/overview", "not-a-token").status_code == 401
    refused = get("/api/overview", USER_TOKEN)
    assert refused.status_code == 403, refused.text
    assert "operator" in refused.json()["error"]
    assert get("/api/order?id=" + str(uuid.uuid4()), USER_TOKEN).status_code == 403
    for open_path in ("/healthz", "/readyz", "/metrics"):
        assert get(open_path).status_code == 200, open_path


def test_the_overview_shows_lag_rates_latency_and_the_newest_orders():
    order_id, identifier = shipped_order()
    response = get("/api/overview", operator_token())
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    overview = response.json()
    durables = {c["name"]: c for c in overview["consumers"]}
    assert {"inventory_processors", "payment_processors", "shipping_handlers",
            "event_monitoring"} <= durables.keys()
    assert all("num_pending" in c and "num_ack_pending" in c for c in durables.values())
    assert overview["events"]["events.order.created"]["count"] >= 1
    assert overview["throughput"]["created_per_second"] > 0
    assert overview["latency"]["orders"] >= 1
    assert 0 <= overview["latency"]["created_to_shipped_p50_ms"] <= \
        overview["latency"]["created_to_shipped_p99_ms"]
    newest = {o["order_id"]: o for o in overview["recent_orders"]}
    assert order_id in newest, overview["recent_orders"]
    assert newest[order_id]["identifier"] == identifier
    assert newest[order_id]["status"] == "shipped"


def test_one_order_reads_as_its_events_in_stream_order():
    order_id, _ = shipped_order()
    response = get(f"/api/order?id={order_id}", operator_token())
    assert response.status_code == 200, response.text
    timeline = response.json()
    subjects = [event["subject"] for event in timeline["events"]]
    assert subjects[0] == "events.order.created"
    assert "events.order.shipped" in subjects
    sequences = [event["stream_seq"] for event in timeline["events"]]
    assert sequences == sorted(sequences)
    assert timeline["trace_id"] and len(timeline["trace_id"]) == 32
    assert {event["trace_id"] for event in timeline["events"]} == {timeline["trace_id"]}
    assert timeline["duration_ms"] >= 0
    assert get(f"/api/order?id={uuid.uuid4()}", operator_token()).status_code == 404
    assert get("/api/order?id=not-a-uuid", operator_token()).status_code == 400
