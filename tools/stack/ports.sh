# shellcheck shell=bash
# Ports: is one taken, and picking free ones for stacks that must run beside `./dev up`'s stack.
# Sourced by ./dev.

# True when something accepts connections on 127.0.0.1:PORT (bash's /dev/tcp, no extra tools).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Free ports come from below Linux's ephemeral range (32768+), so outgoing connections never hold
# them, and above the fixed ports of the `./dev up` stack.
FREE_PORT_MIN=20000
FREE_PORT_MAX=32000

# Ports handed to stacks, as "PORT EPOCH STACK_DIR" lines. A port that is free right now may
# still belong to a stack whose service is stopped for a moment (a chaos test): such a port stays
# claimed while that stack's stack.conf names it (or for two minutes, while it is being written).
PORT_CLAIMS_FILE=/tmp/choreo-port-claims.$EUID

claim_is_live() {
  local port=$1 epoch=$2 dir=$3
  ((EPOCHSECONDS - epoch < 120)) || grep -qs "=$port\$" "$dir/stack.conf"
}

port_claimed_by_other_stack() {
  local port=$1 claimed_port epoch claimed_dir
  [[ -f $PORT_CLAIMS_FILE ]] || return 1
  while read -r claimed_port epoch claimed_dir; do
    [[ $claimed_port == "$port" && $claimed_dir != "$STACK_DIR" ]] || continue
    claim_is_live "$claimed_port" "$epoch" "$claimed_dir" && return 0
  done <"$PORT_CLAIMS_FILE"
  return 1
}

# allocate_ports COUNT: prints COUNT distinct free ports and claims them for $STACK_DIR.
allocate_ports() {
  local count=$1 port attempts=0
  local -a chosen=()
  (
    flock -w 30 8 || die "could not lock $PORT_CLAIMS_FILE.lock"
    # Forget claims of stacks that are gone or that moved to other ports; drop our own old claims.
    if [[ -f $PORT_CLAIMS_FILE ]]; then
      local claimed_port epoch claimed_dir
      while read -r claimed_port epoch claimed_dir; do
        [[ $claimed_dir != "$STACK_DIR" ]] || continue
        if claim_is_live "$claimed_port" "$epoch" "$claimed_dir"; then
          printf '%s %s %s\n' "$claimed_port" "$epoch" "$claimed_dir"
        fi
      done <"$PORT_CLAIMS_FILE" >"$PORT_CLAIMS_FILE.new"
      mv -f -- "$PORT_CLAIMS_FILE.new" "$PORT_CLAIMS_FILE"
    fi
    while ((${#chosen[@]} < count)); do
      attempts=$((attempts + 1))
      ((attempts < 1000)) || die "found no free ports between $FREE_PORT_MIN and $FREE_PORT_MAX"
      port=$((FREE_PORT_MIN + (RANDOM * 32768 + RANDOM) % (FREE_PORT_MAX - FREE_PORT_MIN)))
      [[ " ${chosen[*]} " != *" $port "* ]] || continue
      port_in_use "$port" && continue
      port_claimed_by_other_stack "$port" && continue
      chosen+=("$port")
    done
    for port in "${chosen[@]}"; do
      printf '%s %s %s\n' "$port" "$EPOCHSECONDS" "$STACK_DIR" >>"$PORT_CLAIMS_FILE"
    done
    printf '%s\n' "${chosen[@]}"
  ) 8>>"$PORT_CLAIMS_FILE.lock"
}
