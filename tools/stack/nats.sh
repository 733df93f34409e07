# shellcheck shell=bash
# The stack's private nats-server with JetStream, on 127.0.0.1, its data under <stack>/nats: one
# server, or (NATS_CLUSTER=yes) three nodes nats-1..nats-3 forming a JetStream cluster, so the
# stream can keep 3 replicas and survive one node at a time going down. Each node runs under
# supervise.sh like a service (PID, exit status and log in the same places). Sourced by ./dev.

# The harness targets: "nats" alone, or every node of the cluster ("nats" then means all of them).
nats_nodes() {
  if [[ ${NATS_CLUSTER:-no} == yes ]]; then
    printf '%s\n' nats-1 nats-2 nats-3
  else
    printf '%s\n' nats
  fi
}

is_nats_node() {
  [[ ${NATS_CLUSTER:-no} == yes && $1 =~ ^nats-[123]$ ]]
}

# nats-2 -> 2 (the single server is node 1).
nats_node_index() {
  if [[ $1 == nats ]]; then printf '1\n'; else printf '%s\n' "${1#nats-}"; fi
}

# Ports of node N: its client, monitoring and cluster ports, from stack.conf.
# (A stack.conf written before clusters existed names only NATS_PORT and NATS_MONITOR_PORT.)
# shellcheck disable=SC2206
nats_node_port() { local -a p=(${NATS_NODE_PORTS:-$NATS_PORT}); printf '%s\n' "${p[$(($1 - 1))]}"; }
# shellcheck disable=SC2206
nats_node_monitor_port() {
  local -a p=(${NATS_NODE_MONITOR_PORTS:-$NATS_MONITOR_PORT})
  printf '%s\n' "${p[$(($1 - 1))]}"
}
# shellcheck disable=SC2206
nats_node_cluster_port() { local -a p=($NATS_NODE_CLUSTER_PORTS); printf '%s\n' "${p[$(($1 - 1))]}"; }

nats_node_monitor_url() {
  printf 'http://127.0.0.1:%s\n' "$(nats_node_monitor_port "$(nats_node_index "$1")")"
}

nats_conf_file() { printf '%s/%s.conf\n' "$STACK_DIR" "${1:-nats}"; }
nats_store_dir() {
  if [[ ${1:-nats} == nats ]]; then printf '%s/nats\n' "$STACK_DIR"; else printf '%s/nats/%s\n' "$STACK_DIR" "$1"; fi
}

nats_write_conf() {
  local node=${1:-nats} name index store
  index=$(nats_node_index "$node")
  store=$(nats_store_dir "$node")
  # server_name must be a single token; the stack folder's name is readable enough.
  name="choreo_$(basename -- "$STACK_DIR" | tr -c 'A-Za-z0-9_\n' '_')"
  [[ $node == nats ]] || name="${name}_${node/-/_}"
  mkdir -p -- "$store"
  {
    printf '# Written by ./dev at every start of %s for this stack.\n' "$node"
    printf 'server_name: "%s"\n' "$name"
    printf 'listen: "127.0.0.1:%s"\n' "$(nats_node_port "$index")"
    printf 'http: "127.0.0.1:%s"\n' "$(nats_node_monitor_port "$index")"
    printf 'jetstream {\n'
    printf '  # nats-server keeps its streams in a "jetstream" folder inside store_dir\n'
    printf '  store_dir: "%s"\n' "$store"
    printf '}\n'
    if [[ $node != nats ]]; then
      local other routes=()
      for other in 1 2 3; do
        routes+=("\"nats-route://127.0.0.1:$(nats_node_cluster_port "$other")\"")
      done
      printf 'cluster {\n  name: "choreo"\n  listen: "127.0.0.1:%s"\n' "$(nats_node_cluster_port "$index")"
      printf '  routes: [%s]\n}\n' "$(IFS=,; printf '%s' "${routes[*]}")"
    fi
  } >"$(nats_conf_file "$node")"
}

nats_node_pid() { proc_pid "$1" "$(nats_conf_file "$1")"; }

# The first running node's PID (any node: something of NATS runs).
nats_pid() {
  local node
  for node in $(nats_nodes); do
    nats_node_pid "$node" && return 0
  done
  return 1
}

nats_node_ready() {
  curl -fsS -o /dev/null --max-time 2 "$(nats_node_monitor_url "$1")/healthz" 2>/dev/null
}

nats_ready() {
  local node
  for node in $(nats_nodes); do
    nats_node_ready "$node" || return 1
  done
}

# nats_node_launch NODE: starts one node without waiting (cluster nodes only report healthy once
# a quorum is up, so all of them are launched before any is waited for).
nats_node_launch() {
  local node=$1 pid binary index
  if pid=$(nats_node_pid "$node"); then
    say "$node: already running (pid $pid)"
    return 0
  fi
  binary=$(command -v nats-server) || die "nats-server is not installed (apt-get install nats-server)"
  index=$(nats_node_index "$node")
  ! port_in_use "$(nats_node_port "$index")" ||
    die "$node: port $(nats_node_port "$index") on 127.0.0.1 is taken by another program"
  ! port_in_use "$(nats_node_monitor_port "$index")" ||
    die "$node: monitoring port $(nats_node_monitor_port "$index") on 127.0.0.1 is taken by another program"
  nats_write_conf "$node"
  proc_launch "$node" "PATH=$SYSTEM_PATH" "$binary" -c "$(nats_conf_file "$node")"
}

# nats_node_wait NODE OFFSET: until the node reports healthy (30 s), failing fast when it exits.
nats_node_wait() {
  local node=$1 offset=$2 log deadline
  log=$(proc_log_file "$node")
  deadline=$((SECONDS + 30))
  until nats_node_ready "$node"; do
    if [[ -f $(proc_exit_file "$node") ]]; then
      error "$node exited with status $(<"$(proc_exit_file "$node")") while starting"
      show_log_tail "$log" 30 "$offset" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      error "$node did not report healthy on $(nats_node_monitor_url "$node")/healthz within 30s"
      show_log_tail "$log" 30 "$offset" >&2
      return 1
    fi
    sleep 0.1
  done
  say "$node: ready (pid $(nats_node_pid "$node"), monitoring $(nats_node_monitor_url "$node"))"
}

# nats_start [NODE]: one node, or every node of the stack.
nats_start() {
  local node nodes offsets=()
  if [[ -n ${1:-} && $1 != nats ]]; then nodes=("$1"); else mapfile -t nodes < <(nats_nodes); fi
  for node in "${nodes[@]}"; do
    offsets+=("$(log_size "$(proc_log_file "$node")")")
    nats_node_launch "$node" || return 1
  done
  local index=0
  for node in "${nodes[@]}"; do
    nats_node_wait "$node" "${offsets[index]}" || return 1
    index=$((index + 1))
  done
}

nats_stop() {
  local node status=0
  if [[ -n ${1:-} && $1 != nats ]]; then
    proc_stop "$1" "$(nats_conf_file "$1")" 20
    return
  fi
  for node in $(nats_nodes); do
    proc_stop "$node" "$(nats_conf_file "$node")" 20 || status=1
  done
  return "$status"
}

nats_kill() {
  local node status=0
  if [[ -n ${1:-} && $1 != nats ]]; then
    proc_kill "$1" "$(nats_conf_file "$1")"
    return
  fi
  for node in $(nats_nodes); do
    proc_kill "$node" "$(nats_conf_file "$node")" || status=1
  done
  return "$status"
}

nats_status_line() {
  local node pid index healthy=0
  for node in $(nats_nodes); do
    index=$(nats_node_index "$node")
    if pid=$(nats_node_pid "$node"); then
      printf '  %-18s running  pid %-8s nats://127.0.0.1:%s  monitoring %s\n' "$node" "$pid" \
        "$(nats_node_port "$index")" "$(nats_node_monitor_url "$node")"
    else
      printf '  %-18s stopped%s\n' "$node" "$(last_exit_note "$node")"
      healthy=1
    fi
  done
  return "$healthy"
}
