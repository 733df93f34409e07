# shellcheck shell=bash
# A whole stack: bring it up (PostgreSQL, NATS, schema, env file, the implemented services), show
# it, take it down, wipe it. Sourced by ./dev.

component_names() { printf '%s\n' postgres nats "${ALL_SERVICES[@]}"; }

is_component() {
  [[ $1 == postgres || $1 == nats ]] || is_nats_node "$1" || is_service "$1"
}

stack_anything_running() {
  local service
  pg_pid >/dev/null && return 0
  nats_pid >/dev/null && return 0
  for service in "${ALL_SERVICES[@]}"; do
    service_pid "$service" >/dev/null && return 0
  done
  return 1
}

# stack_configure PROFILE PORT_MODE(fixed|free): settings for a stack about to come up. A stack
# with something still running keeps the settings it runs with; otherwise it takes the new ones
# (and, for free ports, a new set of free ports).
stack_configure() {
  local profile=$1 port_mode=$2 service
  local -a ports
  mkdir -p -- "$STACK_DIR/logs" "$STACK_DIR/pids"
  if stack_exists; then
    stack_load
    if stack_anything_running; then
      [[ $STACK_PROFILE == "$profile" ]] ||
        warn "$(stack_label) already runs with profile '$STACK_PROFILE'; keeping it (./dev stack down first to change it)"
      return 0
    fi
  fi
  profile_env "$profile" >/dev/null
  NATS_CLUSTER=${REQUESTED_NATS_CLUSTER:-no}
  STACK_PROFILE=$profile
  STACK_PORT_MODE=$port_mode
  STACK_BUILD_DIR=$CHOREO_BUILD_DIR
  STACK_LOG_LEVEL=${LOG_LEVEL:-info}
  STACK_LOG_FORMAT=${LOG_FORMAT:-text}
  # A cluster's other two nodes need client, monitoring and cluster ports; node 1 a cluster port.
  local extra=0
  [[ $NATS_CLUSTER == yes ]] && extra=7
  if [[ $port_mode == fixed ]]; then
    PG_PORT=55432 NATS_PORT=14222 NATS_MONITOR_PORT=18222
    for service in "${ALL_SERVICES[@]}"; do
      set_service_port "$service" "${SERVICE_DEFAULT_PORT[$service]}"
    done
    ((extra == 0)) || mapfile -t ports < <(allocate_ports "$extra")
  else
    mapfile -t ports < <(allocate_ports $((3 + ${#ALL_SERVICES[@]} + extra)))
    ((${#ports[@]} == 3 + ${#ALL_SERVICES[@]} + extra)) || die "could not find free ports"
    PG_PORT=${ports[0]} NATS_PORT=${ports[1]} NATS_MONITOR_PORT=${ports[2]}
    local index=3
    for service in "${ALL_SERVICES[@]}"; do
      set_service_port "$service" "${ports[index]}"
      index=$((index + 1))
    done
    ports=("${ports[@]:index}")
  fi
  NATS_NODE_PORTS=$NATS_PORT NATS_NODE_MONITOR_PORTS=$NATS_MONITOR_PORT NATS_NODE_CLUSTER_PORTS=''
  if [[ $NATS_CLUSTER == yes ]]; then
    ((${#ports[@]} >= 7)) || die "could not find free ports for the NATS cluster"
    NATS_NODE_PORTS="$NATS_PORT ${ports[0]} ${ports[1]}"
    NATS_NODE_MONITOR_PORTS="$NATS_MONITOR_PORT ${ports[2]} ${ports[3]}"
    NATS_NODE_CLUSTER_PORTS="${ports[4]} ${ports[5]} ${ports[6]}"
  fi
  stack_save
  ensure_jwt_secret
}

stack_migrate() {
  local choreoctl log offset
  choreoctl=$(choreoctl_binary)
  [[ -x $choreoctl ]] || die "$choreoctl is missing: build first (./dev build)"
  log="$STACK_DIR/logs/migrate.log"
  offset=$(log_size "$log")
  printf '\n=== %s: choreoctl migrate ===\n' "$(date -Is)" >>"$log"
  if ! env -i "PATH=$SYSTEM_PATH" "HOME=${HOME:-/}" "DATABASE_URL=$(database_url)" \
    "$choreoctl" migrate >>"$log" 2>&1; then
    error "choreoctl migrate failed"
    show_log_tail "$log" 30 "$offset" >&2
    return 1
  fi
  ok "schema is up to date (log: $log)"
}

# A numbered step of its own, or (inside ./dev test's "test stack" phase) a detail line.
STACK_STEPS_AS_DETAILS=no
stack_step() {
  if [[ $STACK_STEPS_AS_DETAILS == yes ]]; then
    detail "$*"
  else
    step "$*"
  fi
}

# stack_up PROFILE PORT_MODE: the four steps after dependencies and build; the caller has called
# steps_begin with room for them.
stack_up() {
  local profile=$1 port_mode=$2 service failed=()
  stack_configure "$profile" "$port_mode"
  stack_step "starting PostgreSQL"
  pg_start || return 1
  if [[ $NATS_CLUSTER == yes ]]; then
    stack_step "starting NATS JetStream (a 3-node cluster)"
  else
    stack_step "starting NATS JetStream"
  fi
  nats_start || return 1
  stack_step "applying the schema and writing $(stack_label)/env"
  stack_migrate || return 1
  write_env_file
  ok "wrote $(stack_env_file)"
  stack_step "starting the services: ${CHOREO_SERVICES[*]} (waiting for each /readyz)"
  for service in "${CHOREO_SERVICES[@]}"; do
    service_start "$service" yes || failed+=("$service")
  done
  if ((${#failed[@]} > 0)); then
    error "did not become ready: ${failed[*]} (logs in $STACK_DIR/logs/)"
    return 1
  fi
}

# stack_status: one line per component; true when everything `up` starts is running.
stack_status() {
  local service healthy=0
  say "Stack $STACK_DIR (profile $STACK_PROFILE):"
  pg_status_line || healthy=1
  nats_status_line || healthy=1
  for service in "${ALL_SERVICES[@]}"; do
    if ! service_status_line "$service" && is_implemented "$service"; then
      healthy=1
    fi
  done
  return "$healthy"
}

stack_summary() {
  local shown_dir=$STACK_DIR
  [[ $STACK_DIR != "$DEFAULT_STACK_DIR" ]] || shown_dir=.stack
  say ""
  stack_status || true
  say ""
  say "Try it:"
  say "  source $shown_dir/env       # DATABASE_URL, NATS_URL, GRAPHQL_URL, TOKEN, …"
  if service_pid order-service >/dev/null; then
    say "  curl -s \"\$GRAPHQL_URL\" -H \"Authorization: Bearer \$TOKEN\" -H 'Content-Type: application/json' \\"
    say "       -d '{\"query\":\"{ products { sku name price available } }\"}'"
  fi
  say "  curl -s \"\$EVENT_MONITOR_URL/readyz\""
  say "  curl -s \"\$NATS_MONITOR_URL/jsz?streams=true\""
  say "  psql \"\$DATABASE_URL\" -c '\\dt'"
  say "Logs: $shown_dir/logs/ (./dev logs SERVICE).  Stop: ./dev down  (--wipe also deletes the data)"
}

# Stops what this stack started, by PID: the services, then NATS, then PostgreSQL.
stack_down() {
  local service index status=0
  for ((index = ${#ALL_SERVICES[@]} - 1; index >= 0; index--)); do
    service=${ALL_SERVICES[index]}
    service_pid "$service" >/dev/null || continue
    service_stop "$service" || status=1
  done
  nats_stop || status=1
  pg_stop || status=1
  return "$status"
}

# What ./dev puts in a stack folder; a folder holding anything else is not deleted.
STACK_ENTRIES=" stack.conf stack.conf.tmp env env.tmp .lock logs pids secrets nats nats.conf nats-1.conf nats-2.conf nats-3.conf pgdata "

# Deletes the stack's folder and its PostgreSQL folder (under /var/tmp when run as root).
stack_wipe() {
  local home entry
  home=$(pg_home)
  [[ $STACK_DIR != "$CHOREO_ROOT" && $CHOREO_ROOT != "$STACK_DIR"/* ]] ||
    die "refusing to delete $STACK_DIR: it contains the repository"
  if [[ -d $STACK_DIR ]]; then
    while IFS= read -r -d '' entry; do
      entry=$(basename -- "$entry")
      [[ $STACK_ENTRIES == *" $entry "* ]] ||
        die "not deleting $STACK_DIR: it holds '$entry', which ./dev did not put there"
    done < <(find "$STACK_DIR" -mindepth 1 -maxdepth 1 -print0)
    rm -rf -- "$STACK_DIR"
  fi
  if [[ $home == /var/tmp/choreo-* && -d $home ]]; then
    rm -rf -- "$home"
    say "wiped $STACK_DIR and $home"
  else
    say "wiped $STACK_DIR"
  fi
}

# stack_up_fresh PROFILE: the current stack (see use_stack) stopped if running, wiped, and brought
# up anew on free ports, so that a run never depends on what an earlier one left behind. Keeps the
# stack's lock; callers that drive the stack through ./dev stack release it (stack_unlock).
stack_up_fresh() {
  local profile=$1
  stack_lock
  if stack_exists; then
    stack_load
    stack_down >/dev/null || warn "the earlier stack in $(stack_label) did not stop cleanly"
  fi
  stack_wipe >/dev/null
  stack_lock # the wipe deleted the lock file; hold a lock on its successor
  stack_up "$profile" free
}
