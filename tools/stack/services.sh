# shellcheck shell=bash
# The five services: names, ports, environment, and the harness verbs for one service
# (start / stop / kill / wait-ready / status). Sourced by ./dev.

ALL_SERVICES=(order-service inventory-worker payment-worker shipping-worker event-monitor)

# The services that `./dev up` and the test stacks start: the implemented ones (all of them now).
CHOREO_SERVICES=(order-service inventory-worker payment-worker shipping-worker event-monitor)

# Ports of the `./dev up` stack (CONTRACT §6); other stacks pick free ports.
declare -A SERVICE_DEFAULT_PORT=(
  [order-service]=8080 [inventory-worker]=9101 [payment-worker]=9102
  [shipping-worker]=9103 [event-monitor]=9104
)

# Retry timing per stack profile: `default` leaves the services' own defaults; `test` keeps
# redelivery fast so suites stay short.
profile_env() {
  case $1 in
    default) ;;
    # WS_*: the subscription tests need a short init timeout and a small send queue.
    test) printf '%s\n' MAX_DELIVER=5 RETRY_BACKOFF=100ms,200ms,400ms,800ms,1s ACK_WAIT=2s \
      WS_INIT_TIMEOUT=1s WS_SEND_QUEUE_BYTES=65536 ;;
    # chaos: fast redelivery like test, more deliveries before a dead letter (a message may be
    # in flight through several crashes), and the payment simulator's ledger, so the run can
    # count what each card was really charged.
    chaos) printf '%s\n' MAX_DELIVER=10 RETRY_BACKOFF=100ms,200ms,400ms,800ms,1s ACK_WAIT=2s \
      PAYMENT_SIMULATOR_LEDGER=1 ;;
    # chaos-unsafe: the same with every idempotency guard off (test-only), for the check that
    # the chaos run's checker does see double effects.
    chaos-unsafe) profile_env chaos
      printf '%s\n' CHOREO_UNSAFE_DISABLE_IDEMPOTENCY=1 ;;
    *) die "unknown stack profile '$1' (known: default, test, chaos, chaos-unsafe)" ;;
  esac
}

is_service() {
  local service
  for service in "${ALL_SERVICES[@]}"; do
    [[ $service == "$1" ]] && return 0
  done
  return 1
}

is_implemented() {
  local service
  for service in "${CHOREO_SERVICES[@]}"; do
    [[ $service == "$1" ]] && return 0
  done
  return 1
}

# order-service -> ORDER_SERVICE; the port lives in stack.conf as PORT_ORDER_SERVICE.
service_var_stem() {
  local stem=${1//-/_}
  printf '%s\n' "${stem^^}"
}
service_port_var() { printf 'PORT_%s\n' "$(service_var_stem "$1")"; }
service_url_var() { printf '%s_URL\n' "$(service_var_stem "$1")"; }
service_port() {
  local var
  var=$(service_port_var "$1")
  printf '%s\n' "${!var:-}"
}
set_service_port() { printf -v "$(service_port_var "$1")" '%s' "$2"; }
service_url() { printf 'http://127.0.0.1:%s\n' "$(service_port "$1")"; }
service_binary() { printf '%s/%s/%s\n' "$STACK_BUILD_DIR" "$1" "$1"; }

service_pid() { proc_pid "$1" "$(service_binary "$1")"; }

service_ready() {
  curl -fsS -o /dev/null --max-time 2 "$(service_url "$1")/readyz" 2>/dev/null
}

# The whole environment of one run: nothing leaks in from the caller's shell (a stray FAULT_POINT
# or DATABASE_URL there must not change a stack), and EXTRA (KEY=VAL…) comes last so it wins.
service_environment() {
  local service=$1
  shift
  printf '%s\n' "PATH=$SYSTEM_PATH" "HOME=${HOME:-/}" "LANG=C.UTF-8" \
    "CHOREO_SERVICE=$service" \
    "DATABASE_URL=$(database_url)" "NATS_URL=$(nats_url)" \
    "LISTEN_ADDR=127.0.0.1:$(service_port "$service")" \
    "LOG_LEVEL=$STACK_LOG_LEVEL" "LOG_FORMAT=$STACK_LOG_FORMAT"
  [[ $service == order-service ]] && printf '%s\n' "JWT_SECRET=$(jwt_secret)"
  # In a cluster the stream keeps a copy on every node, so one node down loses nothing.
  [[ $NATS_CLUSTER == yes ]] && printf '%s\n' "NATS_STREAM_REPLICAS=3"
  profile_env "$STACK_PROFILE"
  (($# == 0)) || printf '%s\n' "$@"
}

# " with FAULT_POINT=x JWT_SECRET=***" for the log: the run's extra settings, secrets masked.
describe_extra_env() {
  local assignment
  (($# > 0)) || return 0
  printf ' with'
  for assignment in "$@"; do
    case ${assignment%%=*} in
      *SECRET* | *PASSWORD* | *TOKEN*) printf ' %s=***' "${assignment%%=*}" ;;
      *) printf ' %s' "$assignment" ;;
    esac
  done
}

# service_start SERVICE WAIT(yes|no) [KEY=VAL…]
service_start() {
  local service=$1 wait=$2
  shift 2
  local pid binary port log offset environment
  if pid=$(service_pid "$service"); then
    (($# == 0)) || die "$service is already running (pid $pid); to start it with $*, use restart"
    say "$service: already running (pid $pid, $(service_url "$service"))"
    return 0
  fi
  binary=$(service_binary "$service")
  [[ -x $binary ]] || die "$binary is missing: build first (./dev build)"
  port=$(service_port "$service")
  ! port_in_use "$port" || die "$service: port $port on 127.0.0.1 is taken by another program"
  ensure_jwt_secret
  environment=$(service_environment "$service" "$@")
  log=$(proc_log_file "$service")
  offset=$(log_size "$log")
  printf '\n=== %s: starting %s%s ===\n' "$(date -Is)" "$service" "$(describe_extra_env "$@")" >>"$log"
  proc_launch "$service" "$environment" "$binary" || return 1
  pid=$(<"$(proc_pid_file "$service")")
  if [[ $wait == no ]]; then
    say "$service: started (pid $pid), not waiting for /readyz"
    return 0
  fi
  wait_until_ready "$service" 60 "$offset" || return 1
  say "$service: ready (pid $pid, $(service_url "$service"))"
}

# wait_until_ready SERVICE TIMEOUT_S [LOG_OFFSET]: polls /readyz; fails fast when the process ends.
wait_until_ready() {
  local service=$1 timeout=$2 offset=${3:-0} deadline exit_file
  exit_file=$(proc_exit_file "$service")
  deadline=$((SECONDS + timeout))
  until service_ready "$service"; do
    if [[ -f $exit_file ]]; then
      error "$service exited with status $(<"$exit_file") before it was ready"
      show_log_tail "$(proc_log_file "$service")" 30 "$offset" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      error "$service did not answer 200 on $(service_url "$service")/readyz within ${timeout}s (it is left running)"
      show_log_tail "$(proc_log_file "$service")" 30 "$offset" >&2
      return 1
    fi
    sleep 0.2
  done
}

service_stop() { proc_stop "$1" "$(service_binary "$1")" 20; }
service_kill() { proc_kill "$1" "$(service_binary "$1")"; }

service_status_line() {
  local service=$1 pid note=''
  is_implemented "$service" || note=' (not implemented yet)'
  if pid=$(service_pid "$service"); then
    if service_ready "$service"; then
      printf '  %-18s running  pid %-8s %s  ready\n' "$service" "$pid" "$(service_url "$service")"
    else
      printf '  %-18s running  pid %-8s %s  NOT ready\n' "$service" "$pid" "$(service_url "$service")"
    fi
    return 0
  fi
  printf '  %-18s stopped%s%s\n' "$service" "$(last_exit_note "$service")" "$note"
  return 1
}
