"""A steady stream of createOrder requests that keeps going through faults.

Each order gets its identifier before its first attempt and keeps it through every retry, so a
request whose answer was lost (the order service killed mid-request, PostgreSQL restarting) is
retried as the same order: `createOrder` with a used identifier returns that order again. An
order counts as *accepted* once an attempt returned it; the invariants then require its row.
"""

import random
import threading
import time

import httpx

# The catalogue the run seeds for itself (so no other test's orders touch its stock):
# plenty of the regular products, and one scarce product that runs out during the run.
REGULAR_PRODUCTS = [("gear", "12.50"), ("bolt", "0.75"), ("lamp", "31.00")]
SCARCE_PRODUCT = ("relic", "99.00")

ORDER_KINDS = [
    # kind, weight, what the order must end as
    ("normal", 70, "shipped"),
    ("bad-card", 12, "failed:payment_failed"),
    ("over-stock", 8, "failed:inventory_unavailable"),
    ("scarce", 10, "either"),  # competes for the scarce product: shipped or inventory_unavailable
]

# Errors that say the request itself is wrong; anything else (503, INTERNAL_SERVER_ERROR, a
# dropped connection) is a fault of the moment and the same request is sent again.
FINAL_ERROR_CODES = {"BAD_USER_INPUT", "CONFLICT", "GRAPHQL_VALIDATION_FAILED",
                     "GRAPHQL_PARSE_FAILED", "UNAUTHENTICATED"}

MUTATION = ("mutation($input: CreateOrderInput!) "
            "{ createOrder(input: $input) { id identifier status } }")


class PlannedOrder:
    def __init__(self, identifier, kind, expected, items, total):
        self.identifier = identifier
        self.kind = kind
        self.expected = expected
        self.items = items
        self.total = total
        self.order_id = None
        self.attempts = 0
        self.error = None


def sku(run_id, name):
    return f"chaos-{run_id}-{name}"


def plan_orders(count, run_id, rng):
    """The run's orders, decided up front from the seed."""
    weights = [weight for _, weight, _ in ORDER_KINDS]
    orders = []
    for index in range(count):
        kind, _, expected = rng.choices(ORDER_KINDS, weights=weights)[0]
        identifier = f"chaos-{run_id}-{index:05d}"
        if kind == "bad-card":
            identifier += "-bad-card"
        if kind == "scarce":
            name, price = SCARCE_PRODUCT
            lines = [(sku(run_id, name), rng.randint(1, 2), price)]
        elif kind == "over-stock":
            name, price = rng.choice(REGULAR_PRODUCTS)
            lines = [(sku(run_id, name), 1_000_000, price)]
        else:
            chosen = rng.sample(REGULAR_PRODUCTS, rng.randint(1, 2))
            lines = [(sku(run_id, name), rng.randint(1, 3), price) for name, price in chosen]
        total_cents = sum(quantity * int(price.replace(".", "")) for _, quantity, price in lines)
        total = f"{total_cents // 100}.{total_cents % 100:02d}"
        items = [{"sku": line_sku, "quantity": quantity} for line_sku, quantity, _ in lines]
        orders.append(PlannedOrder(identifier, kind, expected, items, total))
    return orders


def seed_catalogue(stack, run_id, order_count):
    """Inserts the run's products: regular stock for every order three times over, scarce stock
    for about half the scarce orders."""
    regular_stock = order_count * 3 * 3 + 10
    scarce_stock = max(2, order_count // 20)
    values = [(sku(run_id, name), name, price, regular_stock) for name, price in REGULAR_PRODUCTS]
    values.append((sku(run_id, SCARCE_PRODUCT[0]), SCARCE_PRODUCT[0], SCARCE_PRODUCT[1],
                   scarce_stock))
    # The order service's catalogue and the inventory worker's stock, each in its own service's
    # tables, both by SKU.
    stack.sql("INSERT INTO tb_product (identifier, name, price) VALUES "
              + ", ".join(f"('{s}', '{n}', {p})" for s, n, p, _ in values),
              service="order-service")
    stack.sql("INSERT INTO tb_inventory (sku, quantity) VALUES "
              + ", ".join(f"('{s}', {q})" for s, _, _, q in values),
              service="inventory-worker")


class LoadGenerator:
    """Creates the planned orders from a few threads at a steady rate, never faster than the
    number of orders released so far (the fault schedule releases them slice by slice, so faults
    always land while orders are in flight)."""

    def __init__(self, stack, orders, rate, threads=8, give_up_after=300.0):
        self.stack = stack
        self.orders = orders
        self.interval = 1.0 / rate
        self.threads = threads
        self.give_up_after = give_up_after
        self.released = 0
        self.next_index = 0  # orders taken by a thread (each then waits for its due time)
        self.sent = 0  # orders whose first request has gone out
        self.finished = 0
        self.failed_attempts = 0
        self.lock = threading.Condition()
        self.next_due = 0.0
        self.workers = []

    def release(self, count):
        with self.lock:
            self.released = max(self.released, min(count, len(self.orders)))
            self.lock.notify_all()

    def created(self):
        """Orders sent so far: the fault schedule keys on it, so it must not count the orders
        the threads have taken but are still pacing."""
        with self.lock:
            return self.sent

    def done(self):
        with self.lock:
            return self.finished == len(self.orders)

    def start(self):
        self.next_due = time.monotonic()
        for number in range(self.threads):
            worker = threading.Thread(target=self._run, name=f"load-{number}", daemon=True)
            worker.start()
            self.workers.append(worker)

    def join(self):
        for worker in self.workers:
            worker.join()

    def _take(self):
        """The next order to create, paced to the rate; None when all are taken."""
        with self.lock:
            while self.next_index < len(self.orders) and self.next_index >= self.released:
                self.lock.wait(0.5)
            if self.next_index >= len(self.orders):
                return None
            # A steady rate from now on (not a schedule to catch up with after a pause), so
            # requests keep arriving while a fault is going on.
            due = max(self.next_due, time.monotonic())
            self.next_due = due + self.interval
            order = self.orders[self.next_index]
            self.next_index += 1
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing an open-loop load: waiting for the clock, not a condition
        with self.lock:
            self.sent += 1
        return order

    def _run(self):
        headers = {"Authorization": f"Bearer {self.stack.token}"}
        with httpx.Client(timeout=10.0, headers=headers) as client:
            while (order := self._take()) is not None:
                self._create(client, order)
                with self.lock:
                    self.finished += 1

    def _create(self, client, order):
        variables = {"input": {"identifier": order.identifier, "total": order.total,
                               "items": order.items}}
        deadline = time.monotonic() + self.give_up_after
        backoff = random.Random(order.identifier)
        while time.monotonic() < deadline:
            order.attempts += 1
            try:
                response = client.post(self.stack.graphql_url,
                                       json={"query": MUTATION, "variables": variables})
                body = response.json() if response.status_code in (200, 400) else None
                if body and body.get("data") and body["data"].get("createOrder"):
                    order.order_id = body["data"]["createOrder"]["id"]
                    order.error = None
                    return
                order.error = (f"HTTP {response.status_code}: "
                               f"{(body or {}).get('errors') or response.text[:200]}")
                codes = {((e.get("extensions") or {}).get("code")) for e in
                         (body or {}).get("errors") or []}
                if codes & FINAL_ERROR_CODES:
                    return  # a refusal is an answer: retrying the same input cannot change it
            except (httpx.HTTPError, ValueError) as error:
                order.error = f"{type(error).__name__}: {error}"
            with self.lock:
                self.failed_attempts += 1
            time.sleep(0.2 + backoff.random() * 0.5)  # retrying later (service restarting)
