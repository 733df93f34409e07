"""What must hold once the run is quiet, checked against each service's data and JetStream.

Each check returns (name, violations): an empty list means it holds. Violations are short
human-readable lines naming the order, product or consumer concerned.
"""

import collections

from harness.stack.services import SERVICES

# Subjects an order's life may publish at most once each (status updates repeat per transition).
ONCE_PER_ORDER = [
    "events.order.created", "events.inventory.reserved", "events.inventory.released",
    "events.payment.charged", "events.payment.failed", "events.order.shipped",
    "events.order.failed",
]
# What each final state needs to have been published, beyond order.created.
REQUIRED = {
    "shipped": ["events.inventory.reserved", "events.payment.charged", "events.order.shipped"],
    "payment_failed": ["events.inventory.reserved", "events.payment.failed",
                       "events.inventory.released", "events.order.failed"],
    "inventory_unavailable": ["events.order.failed"],
}


def run_orders_sql(run_id):
    return f"o.identifier LIKE 'chaos-{run_id}-%'"


class RunData:
    """What each service recorded about the run's orders, read through that service's own
    database URL (its role, its schema): the checks compare services by order UUID and event id,
    never by a join across their tables, so they hold whether the services share one database
    or each has its own."""

    def __init__(self, stack, run_id, run_started_sql):
        in_run = run_orders_sql(run_id)
        self.orders = {order_id: (identifier, status, reason)
                       for order_id, identifier, status, reason in stack.sql(
                           f"SELECT o.id::text, o.identifier, o.status, "
                           f"coalesce(o.failure_reason, '') FROM tb_order o WHERE {in_run}",
                           service="order-service")}
        ids = "'{" + ",".join(self.orders) + "}'::uuid[]"
        texts = "'{" + ",".join(self.orders) + "}'::text[]"
        # sku -> quantity held by the run's orders that did not fail (the catalogue's items).
        self.held = {sku: int(held) for sku, held in stack.sql(
            f"SELECT p.identifier, sum(oi.quantity) FROM tb_order_item oi "
            f"JOIN tb_order o ON o.pk_order = oi.fk_order "
            f"JOIN tb_product p ON p.pk_product = oi.fk_product "
            f"WHERE {in_run} AND o.status <> 'failed' GROUP BY p.identifier",
            service="order-service")}
        self.payments = collections.defaultdict(list)  # order id -> [status]
        for order_id, status in stack.sql(
                f"SELECT order_id::text, status FROM tb_payment WHERE order_id = ANY ({ids})",
                service="payment-worker"):
            self.payments[order_id].append(status)
        self.charges = {order_id: (int(charges), int(approved))
                        for order_id, charges, approved in stack.sql(
                            f"SELECT order_id, count(*), count(*) FILTER (WHERE approved) "
                            f"FROM tb_provider_charge WHERE order_id = ANY ({texts}) "
                            f"GROUP BY order_id", service="payment-worker")}
        self.reservations = {order_id: status for order_id, status in stack.sql(
            f"SELECT order_id::text, status FROM tb_reservation_set "
            f"WHERE order_id = ANY ({ids})", service="inventory-worker")}
        self.stock = {sku: (int(reserved), int(quantity))
                      for sku, reserved, quantity in stack.sql(
                          f"SELECT sku, reserved, quantity FROM tb_inventory "
                          f"WHERE sku LIKE 'chaos-{run_id}-%'", service="inventory-worker")}
        self.shipments = collections.Counter(order_id for (order_id,) in stack.sql(
            f"SELECT order_id::text FROM tb_shipping WHERE order_id = ANY ({ids})",
            service="shipping-worker"))
        # Every service's announced events about the run's orders: event id -> subject.
        self.announced = {}
        for service in SERVICES:
            for event_id, subject in stack.sql(
                    f"SELECT event_id::text, subject FROM tb_outbox "
                    f"WHERE payload->>'order_id' = ANY ({texts})", service=service):
                self.announced[event_id] = subject
        # The audit trail: (identifier, event type, order id, previous status, status).
        self.logged = stack.sql(
            f"SELECT identifier, event_type, order_id::text, coalesce(data->>'previous_status', "
            f"''), coalesce(data->>'status', '') FROM tb_event_log "
            f"WHERE order_id = ANY ({ids}) ORDER BY stream_seq", service="event-monitor")
        self.dead_letters = []
        for service in SERVICES:
            self.dead_letters += [
                (f"{service}/{pk}", consumer, subject, reason, attempts)
                for pk, consumer, subject, reason, attempts in stack.sql(
                    f"SELECT pk_dead_letter, consumer, subject, reason, attempts "
                    f"FROM tb_dead_letter WHERE created_at >= {run_started_sql} "
                    f"ORDER BY pk_dead_letter", service=service)]


def check_all(stack, run_id, orders, run_started_sql):
    """Every invariant of the run; returns [(name, violations)]."""
    data = RunData(stack, run_id, run_started_sql)
    by_identifier = {identifier: (order_id, status, reason)
                     for order_id, (identifier, status, reason) in data.orders.items()}
    results = []

    missing = [f"{o.identifier}: accepted as {o.order_id} but has no row"
               for o in orders if o.order_id and o.identifier not in by_identifier]
    refused = [f"{o.identifier}: never accepted ({o.error})" for o in orders if not o.order_id]
    results.append(("every accepted createOrder has its order row", missing + refused))

    not_final = [f"{identifier}: {status}" for identifier, (_, status, _) in by_identifier.items()
                 if status not in ("shipped", "failed")]
    results.append(("every order is shipped or failed", not_final))

    wrong = []
    for order in orders:
        if order.identifier not in by_identifier:
            continue
        _, status, reason = by_identifier[order.identifier]
        outcome = status if status != "failed" else f"failed:{reason}"
        if order.expected == "either":
            if outcome not in ("shipped", "failed:inventory_unavailable"):
                wrong.append(f"{order.identifier} ({order.kind}): {outcome}")
        elif outcome != order.expected:
            wrong.append(f"{order.identifier} ({order.kind}): {outcome}, expected {order.expected}")
    results.append(("each order ends as its kind requires", wrong))

    payments = []
    for order_id, (identifier, status, _) in data.orders.items():
        rows = data.payments.get(order_id, [])
        succeeded = rows.count("succeeded")
        if succeeded != (1 if status in ("paid", "shipped") else 0) or len(rows) > 1:
            payments.append(f"{identifier} ({status}): {succeeded} succeeded, {len(rows)} "
                            f"payment rows")
    results.append(("one succeeded payment per paid/shipped order, none for failed ones",
                    payments))

    # The provider's own ledger (the payment simulator's, on in the chaos profile): a card is
    # charged at most once, and even a declined card is not asked twice.
    results.append(("the provider charged (or declined) each order at most once",
                    [f"{data.orders[order_id][0]}: {charges} charges, {approved} approved"
                     for order_id, (charges, approved) in data.charges.items() if charges > 1]))

    results.append(("every declined payment's reservation released",
                    [f"{identifier}: reservation {data.reservations.get(order_id) or 'missing'}"
                     for order_id, (identifier, _, reason) in data.orders.items()
                     if reason == "payment_failed"
                     and data.reservations.get(order_id) != "released"]))

    results.append(("reserved = quantities held by orders not failed; 0 <= reserved <= quantity",
                    [f"{sku}: reserved {reserved}, held {data.held.get(sku, 0)}, quantity "
                     f"{quantity}"
                     for sku, (reserved, quantity) in sorted(data.stock.items())
                     if reserved != data.held.get(sku, 0) or not 0 <= reserved <= quantity]))

    results.append(("one shipment per shipped order, none for the others",
                    [f"{identifier} ({status}): {data.shipments[order_id]} shipments"
                     for order_id, (identifier, status, _) in data.orders.items()
                     if data.shipments[order_id] != (1 if status == "shipped" else 0)]))

    logged = collections.Counter(identifier for identifier, *_ in data.logged)
    results.append(("exactly one audit-log row per published event id",
                    [f"event {event_id} ({subject}): {logged[event_id]} audit rows"
                     for event_id, subject in data.announced.items() if logged[event_id] != 1]
                    + [f"audit row {identifier} ({subject}) was never in an outbox"
                       for identifier, subject, *_ in data.logged
                       if identifier not in data.announced]))

    results.append(("each order's events: every step once, every transition present",
                    event_violations(data)))

    results.append(("every consumer drained (num_pending and num_ack_pending 0)",
                    [f"{name}: {pending} pending, {ack_pending} awaiting ack"
                     for name, (pending, ack_pending) in sorted(stack.consumer_states().items())
                     if pending or ack_pending]))

    results.append(("no dead letters",
                    [f"{ref} {consumer} {subject}: {reason} ({attempts} attempts)"
                     for ref, consumer, subject, reason, attempts in data.dead_letters]))
    return results


def event_violations(data):
    counts = collections.defaultdict(collections.Counter)
    # The status updates must chain from pending to the final status (pending -> paid -> shipped,
    # or straight to shipped when the order service saw the shipment first: forward only).
    chains = collections.defaultdict(list)
    for _, subject, order_id, previous, current in data.logged:
        counts[order_id][subject] += 1
        if subject == "events.order.status_updated":
            chains[order_id].append((previous, current))
    violations = []
    for order_id, (identifier, status, reason) in data.orders.items():
        subjects = counts[order_id]
        for subject in ONCE_PER_ORDER:
            if subjects[subject] > 1:
                violations.append(f"{identifier}: {subject} {subjects[subject]} times")
        needed = ["events.order.created"] + REQUIRED.get(status if status == "shipped" else reason,
                                                          [])
        for subject in needed:
            if subjects[subject] == 0:
                violations.append(f"{identifier} ({status} {reason}): no {subject}")
        expected_from = "pending"
        chain = chains.get(order_id, [])
        for previous, current in chain:
            if previous != expected_from:
                violations.append(f"{identifier}: status update {previous} -> {current} after "
                                  f"{expected_from}")
            expected_from = current
        if expected_from != status:
            steps = " -> ".join(["pending"] + [current for _, current in chain])
            violations.append(f"{identifier} ({status}): status updates end at {steps}")
    return violations
