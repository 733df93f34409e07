"""The five services: names, ports, and the retry settings of each stack profile."""

from __future__ import annotations

SERVICES = ("order-service", "inventory-worker", "payment-worker", "shipping-worker",
            "event-monitor")

# Ports of the `./dev up` stack; other stacks pick free ports.
DEFAULT_PORTS = {"order-service": 8080, "inventory-worker": 9101, "payment-worker": 9102,
                 "shipping-worker": 9103, "event-monitor": 9104}
DEFAULT_PG_PORT = 55432
DEFAULT_NATS_PORT = 14222
DEFAULT_NATS_MONITOR_PORT = 18222

_FAST_RETRIES = {"RETRY_BACKOFF": "100ms,200ms,400ms,800ms,1s", "ACK_WAIT": "2s"}

# Retry timing per stack profile: `default` leaves the services' own defaults; `test` keeps
# redelivery fast so suites stay short.
PROFILES: dict[str, dict[str, str]] = {
    "default": {},
    # WS_*: the subscription tests need a short init timeout and a small send queue.
    "test": {"MAX_DELIVER": "5", **_FAST_RETRIES, "WS_INIT_TIMEOUT": "1s",
             "WS_SEND_QUEUE_BYTES": "65536"},
    # chaos: fast redelivery like test, more deliveries before a dead letter (a message may be in
    # flight through several crashes), and the payment simulator's ledger, so the run can count
    # what each card was really charged.
    "chaos": {"MAX_DELIVER": "10", **_FAST_RETRIES, "PAYMENT_SIMULATOR_LEDGER": "1"},
}
# chaos-unsafe: the same with every idempotency guard off (test-only), for the check that the
# chaos run's checker does see double effects.
PROFILES["chaos-unsafe"] = {**PROFILES["chaos"], "CHOREO_UNSAFE_DISABLE_IDEMPOTENCY": "1"}


def profile_env(profile: str) -> dict[str, str]:
    from ..errors import Fatal
    if profile not in PROFILES:
        raise Fatal(f"unknown stack profile '{profile}' (known: {', '.join(PROFILES)})")
    return dict(PROFILES[profile])


def service_role(service: str) -> str:
    """order-service -> order_service: the database role and schema the service owns."""
    return service.replace("-", "_")


def variable_stem(service: str) -> str:
    """order-service -> ORDER_SERVICE (PORT_ORDER_SERVICE in stack.conf, ORDER_SERVICE_URL)."""
    return service.replace("-", "_").upper()
