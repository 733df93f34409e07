#!/usr/bin/env bash
# The seed's walkthrough, step by step: the same requests and the same expected answers, against
# a running stack. GRAPHQL_URL, TOKEN, NATS_MONITOR_URL and the event monitor's and inventory
# worker's database URLs come from the stack's env file; psql on the service's own URL stands in
# for `docker-compose exec postgres psql` (the same query, and it also works when each service
# has a database of its own).
#
#   ./dev up && source .stack/env && bash tests/walkthrough.sh
#
# Run by `./dev test` against its test stack. Identifiers get a per-run suffix ("ord-001-<run>")
# so the walkthrough can run again against the same database: createOrder with a used
# identifier returns the existing order (a safe retry), which would already be shipped.
set -euo pipefail

: "${GRAPHQL_URL:?source the stack env file first (e.g. source .stack/env)}"
: "${TOKEN:?source the stack env file first}"
: "${EVENT_MONITOR_DATABASE_URL:?source the stack env file first}"
: "${INVENTORY_WORKER_DATABASE_URL:?source the stack env file first}"
: "${NATS_MONITOR_URL:?source the stack env file first}"

RUN=${WALKTHROUGH_RUN:-$(date +%s)-$$}
SETTLE_SECONDS=${WALKTHROUGH_TIMEOUT:-30}
STEP=0
STEPS=6

step() {
  STEP=$((STEP + 1))
  printf '\n[%d/%d] %s\n' "$STEP" "$STEPS" "$*"
}
ok() { printf '  ok: %s\n' "$*"; }
fail() {
  printf '  FAILED: %s\n' "$*" >&2
  exit 1
}

graphql() {
  curl -sS -X POST "$GRAPHQL_URL" \
    -H "Content-Type: application/json" \
    -H "Authorization: Bearer $TOKEN" \
    -d "$1"
}

# A JSON value out of a response: json_get '<json>' data createOrder id
json_get() {
  /usr/bin/python3 -c '
import json, sys
value = json.loads(sys.argv[1])
for key in sys.argv[2:]:
    value = value[key] if isinstance(value, dict) else None
print("" if value is None else value)' "$@"
}

# Polls the order until it reaches $2 (instead of the seed's fixed sleep).
await_status() {
  local id=$1 want=$2 status="" waited=0
  while ((waited < SETTLE_SECONDS * 10)); do
    status=$(json_get "$(graphql "{\"query\": \"query { order(id: \\\"$id\\\") { status } }\"}")" \
      data order status)
    [[ $status == "$want" ]] && return 0
    sleep 0.1
    waited=$((waited + 1))
  done
  fail "order $id is '$status' after ${SETTLE_SECONDS}s, expected '$want'"
}

step "NATS is ready, with JetStream enabled"
jetstream=$(curl -sS "$NATS_MONITOR_URL/jsz")
[[ $jetstream == *'"config"'* ]] || fail "JetStream is not enabled: $jetstream"
ok "JetStream is enabled"

step "Create a test order"
response=$(graphql "{ \"query\": \"mutation { createOrder(input: { identifier: \\\"ord-001-$RUN\\\", total: \\\"49.99\\\" }) { id status } }\" }")
echo "  $response"
order_id=$(json_get "$response" data createOrder id)
[[ $order_id =~ ^[0-9a-f-]{36}$ ]] || fail "no order id in the answer"
[[ $(json_get "$response" data createOrder status) == pending ]] || fail "status is not pending"
ok "order $order_id is pending"

step "Wait for the choreography, then check the order reached its final state"
await_status "$order_id" shipped
response=$(graphql "{ \"query\": \"query { order(id: \\\"$order_id\\\") { id status } }\" }")
echo "  $response"
expected="{\"data\":{\"order\":{\"id\":\"$order_id\",\"status\":\"shipped\"}}}"
[[ $response == "$expected" ]] || fail "expected $expected"
ok "order is shipped"

step "Check the event log for the complete flow"
flow() {
  psql "$EVENT_MONITOR_DATABASE_URL" -X -v ON_ERROR_STOP=1 -At -c \
    "SELECT event_type FROM tb_event_log WHERE order_id = '$order_id'
       AND event_type <> 'events.order.status_updated' ORDER BY stream_seq;" | paste -sd' '
}
want="events.order.created events.inventory.reserved events.payment.charged events.order.shipped"
waited=0
until [[ $(flow) == "$want" ]]; do
  ((waited < SETTLE_SECONDS * 10)) || fail "event log shows '$(flow)', expected '$want'"
  sleep 0.1
  waited=$((waited + 1))
done
psql "$EVENT_MONITOR_DATABASE_URL" -X -c \
  "SELECT event_type, recorded_at FROM tb_event_log WHERE order_id = '$order_id' ORDER BY stream_seq;" |
  sed 's/^/  /'
ok "created → reserved → charged → shipped, in order"

step "Test compensation (failure scenario): a total above the decline limit"
response=$(graphql "{ \"query\": \"mutation { createOrder(input: { identifier: \\\"ord-fail-001-$RUN\\\", total: \\\"9999.99\\\" }) { id } }\" }")
echo "  $response"
fail_id=$(json_get "$response" data createOrder id)
[[ -n $fail_id ]] || fail "no order id in the answer"
await_status "$fail_id" failed
response=$(graphql "{\"query\": \"query { order(id: \\\"$fail_id\\\") { status } }\"}")
echo "  $response"
[[ $(json_get "$response" data order status) == failed ]] || fail "expected {\"status\": \"failed\"}"
ok "order $fail_id failed"

step "A declined card (identifier with bad-card) fails and its reservation is released"
response=$(graphql "{ \"query\": \"mutation { createOrder(input: { identifier: \\\"ord-bad-card-$RUN\\\", total: \\\"49.99\\\", items: [{ sku: \\\"widget\\\", quantity: 1 }] }) { id } }\" }")
bad_id=$(json_get "$response" data createOrder id)
[[ -n $bad_id ]] || fail "no order id in the answer: $response"
await_status "$bad_id" failed
released=$(psql "$INVENTORY_WORKER_DATABASE_URL" -X -At -c \
  "SELECT count(*) FROM tb_reservation WHERE order_id = '$bad_id' AND released_at IS NULL;")
[[ $released == 0 ]] || fail "$released reservation(s) of $bad_id are still held"
ok "order $bad_id failed and holds no stock"

printf '\nwalkthrough passed: %d steps\n' "$STEPS"
