"""The seed's acceptance tests, against a running stack.

Run by `./dev test` against its test stack (GRAPHQL_URL and TOKEN come from the stack's env
file), or by hand against `./dev up`:

    source .stack/env && /usr/bin/python3 -m pytest tests/ -v

Each run uses fresh order identifiers, so it can run again against the same database. The tests
poll for the order's final status instead of sleeping a fixed time.
"""

import asyncio
import os
import time
import uuid

import httpx
import pytest

GRAPHQL_URL = os.environ.get("GRAPHQL_URL", "http://127.0.0.1:8080/graphql")
TEST_TOKEN = os.environ.get("TOKEN", "")
# Generous: a healthy stack settles in well under a second; a loaded CI machine may not.
SETTLE_TIMEOUT_SECONDS = 30.0
FINAL_STATUSES = {"shipped", "failed"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def graphql(client: httpx.AsyncClient, query: str) -> dict:
    response = await client.post(
        GRAPHQL_URL,
        json={"query": query},
        headers={"Authorization": f"Bearer {TEST_TOKEN}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def wait_for_final_status(client: httpx.AsyncClient, order_id: str) -> dict:
    """Polls the order until it is shipped or failed; returns the last answer."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    delay = 0.05
    while True:
        data = await graphql(
            client,
            f'query {{ order(id: "{order_id}") {{ id status failureReason '
            f"payment {{ status }} shipment {{ carrier trackingNumber }} }} }}",
        )
        order = data["order"]
        if order["status"] in FINAL_STATUSES or time.monotonic() > deadline:
            return order
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.5)


@pytest.mark.asyncio
async def test_full_order_choreography():
    """Happy path through all services via the GraphQL API."""
    identifier = unique("ord-test")
    async with httpx.AsyncClient(timeout=10.0) as client:
        data = await graphql(
            client,
            f'mutation {{ createOrder(input: {{ identifier: "{identifier}", total: "49.99" }}) '
            f"{{ id status }} }}",
        )
        order_id = data["createOrder"]["id"]
        assert data["createOrder"]["status"] == "pending"

        final = await wait_for_final_status(client, order_id)
        assert final["status"] == "shipped", final
        assert final["payment"]["status"] == "succeeded"
        assert final["shipment"]["trackingNumber"]


@pytest.mark.asyncio
async def test_payment_failure_compensation():
    """A declined card fails the order, and the compensation releases what was reserved."""
    identifier = unique("ord-bad-card")
    async with httpx.AsyncClient(timeout=10.0) as client:
        data = await graphql(
            client,
            f'mutation {{ createOrder(input: {{ identifier: "{identifier}", total: "49.99", '
            f'items: [{{ sku: "widget", quantity: 1 }}] }}) {{ id }} }}',
        )
        order_id = data["createOrder"]["id"]

        final = await wait_for_final_status(client, order_id)
        assert final["status"] == "failed", final
        assert final["failureReason"] == "payment_failed"
        assert final["payment"]["status"] == "failed"
        assert final["shipment"] is None

        # The event monitor logs each event on its own schedule: poll for the release.
        deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
        while True:
            events = await graphql(
                client, f'query {{ order(id: "{order_id}") {{ events {{ type data }} }} }}'
            )
            logged = {event["type"]: event["data"] for event in events["order"]["events"]}
            if "events.inventory.released" in logged or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert logged.get("events.inventory.released", {}).get("items") == [
            {"sku": "widget", "quantity": 1}
        ], logged
