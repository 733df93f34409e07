# shellcheck shell=bash
# The stack's private nats-server with JetStream, on 127.0.0.1, its data under <stack>/nats.
# It runs under supervise.sh like a service (PID, exit status and log in the same places).
# Sourced by ./dev.

nats_conf_file() { printf '%s/nats.conf\n' "$STACK_DIR"; }

nats_write_conf() {
  local name
  # server_name must be a single token; the stack folder's name is readable enough.
  name="choreo_$(basename -- "$STACK_DIR" | tr -c 'A-Za-z0-9_\n' '_')"
  mkdir -p -- "$STACK_DIR/nats"
  cat >"$(nats_conf_file)" <<CONF
# Written by ./dev at every start of nats-server for this stack.
server_name: "$name"
listen: "127.0.0.1:$NATS_PORT"
http: "127.0.0.1:$NATS_MONITOR_PORT"
jetstream {
  # nats-server keeps its streams in a "jetstream" folder inside store_dir: <stack>/nats/jetstream
  store_dir: "$STACK_DIR/nats"
}
CONF
}

nats_pid() { proc_pid nats "$(nats_conf_file)"; }

nats_ready() {
  curl -fsS -o /dev/null --max-time 2 "$(nats_monitor_url)/healthz" 2>/dev/null
}

nats_start() {
  local pid binary log offset deadline
  if pid=$(nats_pid); then
    say "nats: already running (pid $pid, $(nats_url))"
    return 0
  fi
  binary=$(command -v nats-server) || die "nats-server is not installed (apt-get install nats-server)"
  ! port_in_use "$NATS_PORT" || die "nats: port $NATS_PORT on 127.0.0.1 is taken by another program"
  ! port_in_use "$NATS_MONITOR_PORT" ||
    die "nats: monitoring port $NATS_MONITOR_PORT on 127.0.0.1 is taken by another program"
  nats_write_conf
  log=$(proc_log_file nats)
  offset=$(log_size "$log")
  proc_launch nats "PATH=$SYSTEM_PATH" "$binary" -c "$(nats_conf_file)" || return 1
  deadline=$((SECONDS + 30))
  until nats_ready; do
    if [[ -f $(proc_exit_file nats) ]]; then
      error "nats-server exited with status $(<"$(proc_exit_file nats)") while starting"
      show_log_tail "$log" 30 "$offset" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      error "nats-server did not report healthy on $(nats_monitor_url)/healthz within 30s"
      show_log_tail "$log" 30 "$offset" >&2
      return 1
    fi
    sleep 0.1
  done
  say "nats: ready (pid $(nats_pid), $(nats_url), monitoring $(nats_monitor_url))"
}

nats_stop() { proc_stop nats "$(nats_conf_file)" 20; }
nats_kill() { proc_kill nats "$(nats_conf_file)"; }

nats_status_line() {
  local pid
  if pid=$(nats_pid); then
    printf '  %-18s running  pid %-8s %s  monitoring %s\n' nats "$pid" "$(nats_url)" "$(nats_monitor_url)"
    return 0
  fi
  printf '  %-18s stopped%s\n' nats "$(last_exit_note nats)"
  return 1
}
