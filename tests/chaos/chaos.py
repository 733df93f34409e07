"""`./dev chaos`: orders under a seeded storm of crashes and restarts, then the invariants.

Run by ./dev chaos (tools/harness) on a stack it brought up (its env file names everything); by
hand, with the harness package on the path:

    PYTHONPATH=tools /usr/bin/python3 tests/chaos/chaos.py --stack-dir .stack-chaos --orders 200

Exit status: 0 when every invariant holds, 1 on any violation (or, with --expect-violations, 0
only when some invariant was violated: the check that the checker can fail).
"""

import argparse
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import faults as faults_module  # noqa: E402
import invariants  # noqa: E402
import load  # noqa: E402
import stack as stack_module  # noqa: E402
from report import Report  # noqa: E402

from harness.stack.services import SERVICES  # noqa: E402


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack-dir", required=True)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--faults", type=int, default=None,
                        help="faults to inject (default: one per component, at least 30 for "
                             "2,000 orders or more)")
    parser.add_argument("--rate", type=float, default=None, help="orders per second")
    parser.add_argument("--nats-nodes", type=int, default=1)
    parser.add_argument("--quiesce-timeout", type=float, default=300.0)
    parser.add_argument("--expect-violations", action="store_true")
    return parser.parse_args()


def wait_for_quiet(stack, run_id, deadline, report):
    """Polls until every run order is final, every outbox row published and every consumer
    drained; returns the seconds it took (None on timeout)."""
    started = time.monotonic()
    in_run = invariants.run_orders_sql(run_id)
    last_line = 0.0
    while time.monotonic() < deadline:
        try:
            open_orders = int(stack.sql_value(
                f"SELECT count(*) FROM tb_order o WHERE {in_run} "
                f"AND o.status NOT IN ('shipped', 'failed')", "order-service"))
            unpublished = sum(int(stack.sql_value(
                "SELECT count(*) FROM tb_outbox WHERE published_at IS NULL", service))
                for service in SERVICES)
        except RuntimeError:
            open_orders = unpublished = -1  # PostgreSQL still coming back
        consumers = stack.consumer_states()
        busy = sum(pending + ack for pending, ack in consumers.values())
        if open_orders == 0 and unpublished == 0 and consumers and busy == 0:
            return time.monotonic() - started
        if time.monotonic() - last_line >= 5:
            report.progress(f"settling: {open_orders} orders open, {unpublished} events "
                            f"unpublished, {busy} messages pending in consumers")
            last_line = time.monotonic()
        time.sleep(0.5)  # polling interval
    return None


FAULT_EXIT_CODE = 86  # runtime::FaultPoints::kFaultExitCode
FORCED_CRASH_TIMEOUT = 120.0


def force_one_redelivery(stack, report):
    """For the checker check: the payment worker crashes once right after committing a batch and
    before acknowledging it, so that batch is certainly delivered again (a kill may or may not
    catch messages in flight). With idempotency off, that repeat charges the cards again.

    Returns an Event set once the crash has happened, been confirmed by its exit status and the
    worker restarted; the fault schedule waits for it, since a fault that killed the worker first
    would restart it without the fault point and the repeat would never happen."""
    stack.harness("restart", "payment-worker", "FAULT_POINT=after_commit_before_ack@3")
    crashed = threading.Event()

    def restart_after_crash():
        while stack.harness("pid", "payment-worker", check=False) == 0:
            time.sleep(0.2)  # polling for the crash
        code = stack.exit_code("payment-worker")
        if code == FAULT_EXIT_CODE:
            report.progress("payment-worker crashed at after_commit_before_ack; restarting it")
        else:
            report.progress(f"payment-worker exited with status {code}, not at the fault point "
                            f"({FAULT_EXIT_CODE}); restarting it")
        stack.harness("start", "payment-worker", check=False, timeout=180)
        if code == FAULT_EXIT_CODE:
            crashed.set()

    threading.Thread(target=restart_after_crash, name="redelivery", daemon=True).start()
    return crashed


def main():
    arguments = parse_arguments()
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    run_id = f"{int(time.time()) % 100000:05d}{rng.randrange(1000):03d}"
    env = stack_module.read_env_file(os.path.join(arguments.stack_dir, "env"))
    stack = stack_module.Stack(arguments.stack_dir, env)
    report = Report()

    fault_count = arguments.faults
    if fault_count is None:
        fault_count = max(7 + arguments.nats_nodes - 1, 30 if arguments.orders >= 2000 else 0)
    faults = faults_module.plan_faults(rng, fault_count, arguments.nats_nodes)
    # Slow enough that orders keep arriving through each fault (about 5 s from the fault until
    # the component is ready again).
    rate = arguments.rate or max(3.0, min(40.0, arguments.orders / ((fault_count + 1) * 5.0)))
    orders = load.plan_orders(arguments.orders, run_id, rng)
    report.progress(f"chaos run {run_id}: seed {seed}, {len(orders)} orders at {rate:.0f}/s, "
                    f"{len(faults)} faults, stack {arguments.stack_dir}")

    load.seed_catalogue(stack, run_id, len(orders))
    run_started_sql = f"'{stack.sql_value('SELECT now()')}'::timestamptz"

    forced_crash = force_one_redelivery(stack, report) if arguments.expect_violations else None
    generator = load.LoadGenerator(stack, orders, rate)
    slices = len(faults) + 1
    generator.release(len(orders) // slices)
    started = time.monotonic()
    generator.start()
    if forced_crash is not None and not forced_crash.wait(FORCED_CRASH_TIMEOUT):
        report.progress(f"the payment worker did not crash at its fault point within "
                        f"{FORCED_CRASH_TIMEOUT:.0f}s of the first orders: the redelivery this "
                        f"check relies on did not happen")
        return 1
    for number, fault in enumerate(faults, start=1):
        # Fault N waits until its slice of orders is being created, so it hits orders in flight.
        target = len(orders) * number // slices
        while generator.created() < max(1, target - len(orders) // (2 * slices)):
            time.sleep(0.05)  # polling the load's progress
        generator.release(target + len(orders) // slices)
        report.progress(f"fault {number}/{len(faults)}: {fault.describe()} for {fault.down_for}s "
                        f"({generator.created()}/{len(orders)} orders sent)")
        faults_module.inject(stack, fault)
        if fault.error:
            report.progress(f"  fault {number} went wrong: {fault.error.splitlines()[0]}")
    generator.release(len(orders))
    while not generator.done():
        time.sleep(0.2)  # polling the load's progress
    generator.join()
    load_seconds = time.monotonic() - started
    accepted = sum(1 for order in orders if order.order_id)
    report.progress(f"all {len(orders)} orders sent in {load_seconds:.1f}s ({accepted} accepted, "
                    f"{generator.failed_attempts} attempts retried); waiting for quiet")

    quiet_after = wait_for_quiet(stack, run_id, time.monotonic() + arguments.quiesce_timeout,
                                 report)
    results = invariants.check_all(stack, run_id, orders, run_started_sql)
    if quiet_after is None:
        results.insert(0, ("the system settled within the timeout",
                           [f"not quiet after {arguments.quiesce_timeout:.0f}s"]))
    outcome_rows = stack.sql(
        f"SELECT o.status, coalesce(o.failure_reason, ''), count(*) FROM tb_order o "
        f"WHERE {invariants.run_orders_sql(run_id)} GROUP BY 1, 2 ORDER BY 1, 2",
        service="order-service")
    violated = report.summary(seed=seed, run_id=run_id, faults=faults, orders=orders,
                              outcomes=outcome_rows, load_seconds=load_seconds,
                              quiet_after=quiet_after, results=results)
    if arguments.expect_violations:
        if violated:
            report.progress("violations found, as expected with idempotency switched off: "
                            "the checker can fail")
            return 0
        report.progress("expected violations (idempotency switched off) but every invariant "
                        "held: the checker proves nothing")
        return 1
    return 1 if violated else 0


if __name__ == "__main__":
    threading.current_thread().name = "chaos"
    sys.exit(main())
