"""What must hold once the run is quiet, checked in SQL and against JetStream.

Each check returns (name, violations): an empty list means it holds. Violations are short
human-readable lines naming the order, product or consumer concerned.
"""

import collections

from harness.stack.services import every_service_table

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


def check_all(stack, run_id, orders, run_started_sql):
    """Every invariant of the run; returns [(name, violations)]."""
    in_run = run_orders_sql(run_id)
    rows = stack.sql(f"SELECT o.id::text, o.identifier, o.status, coalesce(o.failure_reason, '') "
                     f"FROM tb_order o WHERE {in_run}")
    by_identifier = {identifier: (order_id, status, reason)
                     for order_id, identifier, status, reason in rows}
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

    results.append(("one succeeded payment per paid/shipped order, none for failed ones",
                    [f"{identifier} ({status}): {succeeded} succeeded, {total} payment rows"
                     for identifier, status, succeeded, total in stack.sql(
                         f"SELECT o.identifier, o.status, "
                         f"  count(*) FILTER (WHERE p.status = 'succeeded'), count(p.*) "
                         f"FROM tb_order o LEFT JOIN tb_payment p ON p.order_id = o.id "
                         f"WHERE {in_run} GROUP BY o.identifier, o.status "
                         f"HAVING count(*) FILTER (WHERE p.status = 'succeeded') <> "
                         f"  CASE WHEN o.status IN ('paid', 'shipped') THEN 1 ELSE 0 END "
                         f"  OR count(p.*) > 1")]))

    # The provider's own ledger (the payment simulator's, on in the chaos profile): a card is
    # charged at most once, and even a declined card is not asked twice.
    results.append(("the provider charged (or declined) each order at most once",
                    [f"{identifier}: {charges} charges, {approved} approved"
                     for identifier, charges, approved in stack.sql(
                         f"SELECT o.identifier, count(*), count(*) FILTER (WHERE c.approved) "
                         f"FROM tb_provider_charge c JOIN tb_order o ON o.id::text = c.order_id "
                         f"WHERE {in_run} GROUP BY o.identifier HAVING count(*) > 1")]))

    results.append(("every declined payment's reservation released",
                    [f"{identifier}: reservation {status or 'missing'}"
                     for identifier, status in stack.sql(
                         f"SELECT o.identifier, coalesce(r.status, '') FROM tb_order o "
                         f"LEFT JOIN tb_reservation_set r ON r.order_id = o.id "
                         f"WHERE {in_run} AND o.failure_reason = 'payment_failed' "
                         f"AND coalesce(r.status, '') <> 'released'")]))

    results.append(("reserved = quantities held by orders not failed; 0 <= reserved <= quantity",
                    [f"{sku}: reserved {reserved}, held {held}, quantity {quantity}"
                     for sku, reserved, held, quantity in stack.sql(
                         f"SELECT i.sku, i.reserved, coalesce(h.held, 0), i.quantity "
                         f"FROM tb_inventory i "
                         f"LEFT JOIN (SELECT p.identifier AS sku, sum(oi.quantity) AS held "
                         f"  FROM tb_order_item oi JOIN tb_order o ON o.pk_order = oi.fk_order "
                         f"  JOIN tb_product p ON p.pk_product = oi.fk_product "
                         f"  WHERE {in_run} AND o.status <> 'failed' GROUP BY p.identifier) h "
                         f"  ON h.sku = i.sku "
                         f"WHERE i.sku LIKE 'chaos-{run_id}-%' "
                         f"AND (i.reserved <> coalesce(h.held, 0) OR i.reserved < 0 "
                         f"     OR i.reserved > i.quantity)")]))

    results.append(("one shipment per shipped order, none for the others",
                    [f"{identifier} ({status}): {shipments} shipments"
                     for identifier, status, shipments in stack.sql(
                         f"SELECT o.identifier, o.status, count(s.*) FROM tb_order o "
                         f"LEFT JOIN tb_shipping s ON s.order_id = o.id WHERE {in_run} "
                         f"GROUP BY o.identifier, o.status "
                         f"HAVING count(s.*) <> CASE WHEN o.status = 'shipped' THEN 1 ELSE 0 END")]))

    results.append(("exactly one audit-log row per published event id",
                    [f"event {event_id} ({subject}): {logged} audit rows"
                     for event_id, subject, logged in stack.sql(
                         f"SELECT x.event_id::text, x.subject, count(l.*) "
                         f"FROM {every_service_table('tb_outbox', 'x')} "
                         f"JOIN tb_order o ON o.id::text = x.payload->>'order_id' "
                         f"LEFT JOIN tb_event_log l ON l.identifier = x.event_id::text "
                         f"WHERE {in_run} GROUP BY x.event_id, x.subject "
                         f"HAVING count(l.*) <> 1")]
                    + [f"audit row {identifier} ({subject}) was never in an outbox"
                       for identifier, subject in stack.sql(
                           f"SELECT l.identifier, l.event_type FROM tb_event_log l "
                           f"JOIN tb_order o ON o.id = l.order_id WHERE {in_run} AND NOT EXISTS "
                           f"(SELECT 1 FROM {every_service_table('tb_outbox', 'x')} "
                           f"WHERE x.event_id::text = l.identifier)")]))

    results.append(("each order's events: every step once, every transition present",
                    event_violations(stack, in_run)))

    results.append(("every consumer drained (num_pending and num_ack_pending 0)",
                    [f"{name}: {pending} pending, {ack_pending} awaiting ack"
                     for name, (pending, ack_pending) in sorted(stack.consumer_states().items())
                     if pending or ack_pending]))

    results.append(("no dead letters",
                    [f"#{pk} {consumer} {subject}: {reason} ({attempts} attempts)"
                     for pk, consumer, subject, reason, attempts in stack.sql(
                         f"SELECT pk_dead_letter, consumer, subject, reason, attempts "
                         f"FROM {every_service_table('tb_dead_letter')} "
                         f"WHERE created_at >= {run_started_sql} "
                         f"ORDER BY created_at")]))
    return results


def event_violations(stack, in_run):
    final = {identifier: (status, reason) for identifier, status, reason in stack.sql(
        f"SELECT o.identifier, o.status, coalesce(o.failure_reason, '') FROM tb_order o "
        f"WHERE {in_run}")}
    counts = collections.defaultdict(collections.Counter)
    for identifier, subject, logged in stack.sql(
            f"SELECT o.identifier, l.event_type, count(*) FROM tb_order o "
            f"JOIN tb_event_log l ON l.order_id = o.id WHERE {in_run} GROUP BY 1, 2"):
        counts[identifier][subject] = int(logged)
    violations = []
    for identifier, (status, reason) in final.items():
        subjects = counts[identifier]
        for subject in ONCE_PER_ORDER:
            if subjects[subject] > 1:
                violations.append(f"{identifier}: {subject} {subjects[subject]} times")
        needed = ["events.order.created"] + REQUIRED.get(status if status == "shipped" else reason,
                                                          [])
        for subject in needed:
            if subjects[subject] == 0:
                violations.append(f"{identifier} ({status} {reason}): no {subject}")
    # The status updates must chain from pending to the final status (pending -> paid -> shipped,
    # or straight to shipped when the order service saw the shipment first: forward only).
    chains = collections.defaultdict(list)
    for identifier, previous, current in stack.sql(
            f"SELECT o.identifier, l.data->>'previous_status', l.data->>'status' "
            f"FROM tb_order o JOIN tb_event_log l ON l.order_id = o.id "
            f"WHERE {in_run} AND l.event_type = 'events.order.status_updated' "
            f"ORDER BY o.identifier, l.stream_seq"):
        chains[identifier].append((previous, current))
    for identifier, (status, _) in final.items():
        chain = chains.get(identifier, [])
        expected_from = "pending"
        for previous, current in chain:
            if previous != expected_from:
                violations.append(f"{identifier}: status update {previous} -> {current} after "
                                  f"{expected_from}")
            expected_from = current
        if expected_from != status:
            steps = " -> ".join(["pending"] + [current for _, current in chain])
            violations.append(f"{identifier} ({status}): status updates end at {steps}")
    return violations
