"""The seeded fault schedule and its injection through the stack harness.

A fault takes one component away and brings it back: services are SIGKILLed (no chance to
finish anything: the worst case for the outbox and the inbox), nats-server is stopped or
killed, PostgreSQL gets a fast shutdown (every connection dropped, in-flight transactions rolled
back). In a NATS cluster one node at a time goes down.
"""

import time

SERVICES = ["order-service", "inventory-worker", "payment-worker", "shipping-worker",
            "event-monitor"]


class Fault:
    def __init__(self, target, action, down_for):
        self.target = target
        self.action = action  # "kill" or "stop"
        self.down_for = down_for  # seconds the component stays away
        self.started_at = None
        self.recovered_after = None  # seconds from the fault until it was ready again
        self.error = None

    def describe(self):
        return f"{self.action} {self.target}"


def plan_faults(rng, total, nats_nodes):
    """At least one fault per service, NATS (per node in a cluster) and PostgreSQL, then random
    ones up to `total`, in a random order."""
    nats_targets = [f"nats-{node}" for node in range(1, nats_nodes + 1)] if nats_nodes > 1 \
        else ["nats"]
    everyone = SERVICES + nats_targets + ["postgres"]
    targets = list(everyone)
    while len(targets) < total:
        # Services fail most often in real life; the servers still get their share.
        targets.append(rng.choice(SERVICES * 3 + nats_targets + ["postgres"]))
    rng.shuffle(targets)
    faults = []
    for target in targets:
        if target == "postgres":
            action = "stop"  # pg_ctl stop -m fast
        elif target.startswith("nats"):
            action = rng.choice(["stop", "kill"])
        else:
            action = "kill"
        faults.append(Fault(target, action, round(rng.uniform(0.2, 2.5), 2)))
    return faults


def inject(stack, fault):
    """Takes the component down, waits, brings it back and waits until it is ready."""
    fault.started_at = time.monotonic()
    try:
        stack.harness(fault.action, fault.target)
        time.sleep(fault.down_for)  # the outage itself: a chosen duration, not a wait for a state
        stack.harness("start", fault.target, timeout=180)
        stack.harness("wait-ready", fault.target, "--timeout", "120", timeout=180)
    except (RuntimeError, OSError) as error:
        fault.error = str(error)
        # Whatever happened, try to leave the component running so the run can still settle.
        stack.harness("start", fault.target, check=False, timeout=180)
    fault.recovered_after = time.monotonic() - fault.started_at
