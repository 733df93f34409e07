# shellcheck shell=bash
# Where things live: the repository, its build, and a stack's folder with its settings file
# (stack.conf, internal) and its env file (env, for people and tests). Sourced by ./dev, which sets
# CHOREO_ROOT first.

CHOREO_DEV="$CHOREO_ROOT/dev"
CHOREO_BUILD_DIR=${CHOREO_BUILD_DIR:-$CHOREO_ROOT/build}
DEFAULT_STACK_DIR="$CHOREO_ROOT/.stack"
TEST_STACK_DIR="$CHOREO_ROOT/.stack-test"
# Services get this PATH rather than the caller's, so a stack behaves the same from any shell.
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The stack every function below works on; set by use_stack.
STACK_DIR=''

# use_stack DIR: selects the stack in DIR (relative to the current directory; need not exist yet).
use_stack() {
  [[ -n $1 ]] || usage_error "empty stack directory"
  STACK_DIR=$(realpath -m -- "$1")
  [[ $STACK_DIR != / ]] || usage_error "refusing to use / as a stack directory"
}

stack_conf_file() { printf '%s/stack.conf\n' "$STACK_DIR"; }
stack_env_file() { printf '%s/env\n' "$STACK_DIR"; }
stack_exists() { [[ -f $STACK_DIR/stack.conf ]]; }

# A short name for messages: ".stack" for the repository's stacks, the full path otherwise.
stack_label() {
  if [[ $(dirname -- "$STACK_DIR") == "$CHOREO_ROOT" ]]; then
    basename -- "$STACK_DIR"
  else
    printf '%s\n' "$STACK_DIR"
  fi
}

# Settings of the stack, kept in stack.conf so that every later `./dev stack` call (from a test, in
# another process) sees the ports, profile and binaries the stack was brought up with.
STACK_PROFILE=default
STACK_PORT_MODE=fixed
STACK_BUILD_DIR=$CHOREO_BUILD_DIR
STACK_LOG_LEVEL=info
STACK_LOG_FORMAT=text
PG_PORT=''
NATS_PORT=''
NATS_MONITOR_PORT=''
# NATS_CLUSTER=yes: three nodes; their ports, space-separated, node 1 first (node 1's are also
# NATS_PORT and NATS_MONITOR_PORT).
NATS_CLUSTER=no
NATS_NODE_PORTS=''
NATS_NODE_MONITOR_PORTS=''
NATS_NODE_CLUSTER_PORTS=''

stack_load() {
  stack_exists || die "no stack in $STACK_DIR (bring one up with ./dev up, or ./dev stack --dir $STACK_DIR up)"
  # shellcheck source=/dev/null
  source "$(stack_conf_file)"
}

stack_save() {
  local file tmp service
  file=$(stack_conf_file)
  tmp="$file.tmp"
  {
    printf '# Written by ./dev; read by every ./dev stack command on this stack. Do not edit.\n'
    printf 'STACK_PROFILE=%q\n' "$STACK_PROFILE"
    printf 'STACK_PORT_MODE=%q\n' "$STACK_PORT_MODE"
    printf 'STACK_BUILD_DIR=%q\n' "$STACK_BUILD_DIR"
    printf 'STACK_LOG_LEVEL=%q\n' "$STACK_LOG_LEVEL"
    printf 'STACK_LOG_FORMAT=%q\n' "$STACK_LOG_FORMAT"
    printf 'PG_PORT=%q\n' "$PG_PORT"
    printf 'NATS_PORT=%q\n' "$NATS_PORT"
    printf 'NATS_MONITOR_PORT=%q\n' "$NATS_MONITOR_PORT"
    printf 'NATS_CLUSTER=%q\n' "$NATS_CLUSTER"
    printf 'NATS_NODE_PORTS=%q\n' "$NATS_NODE_PORTS"
    printf 'NATS_NODE_MONITOR_PORTS=%q\n' "$NATS_NODE_MONITOR_PORTS"
    printf 'NATS_NODE_CLUSTER_PORTS=%q\n' "$NATS_NODE_CLUSTER_PORTS"
    for service in "${ALL_SERVICES[@]}"; do
      printf '%s=%q\n' "$(service_port_var "$service")" "$(service_port "$service")"
    done
  } >"$tmp"
  mv -f -- "$tmp" "$file"
}

# Serialises commands that change a stack (start/stop/up/down…) between ./dev processes. Held on
# fd 9 until the process ends; everything launched long-lived closes fd 9 (`9>&-`) so a daemon never
# keeps the lock.
stack_lock() {
  mkdir -p -- "$STACK_DIR"
  exec 9>>"$STACK_DIR/.lock"
  if ! flock -n 9; then
    say "waiting for another ./dev command on $(stack_label) to finish…"
    flock -w 300 9 || die "timed out waiting for the lock on $STACK_DIR/.lock"
  fi
}
stack_unlock() { exec 9>&-; }

database_url() { printf 'postgresql://orders:orders@127.0.0.1:%s/orders\n' "$PG_PORT"; }
# Every node's URL, comma-separated: the services fail over between them.
nats_url() {
  local port urls=()
  for port in ${NATS_NODE_PORTS:-$NATS_PORT}; do urls+=("nats://127.0.0.1:$port"); done
  (IFS=,; printf '%s\n' "${urls[*]}")
}
nats_monitor_url() { printf 'http://127.0.0.1:%s\n' "$NATS_MONITOR_PORT"; }
nats_monitor_urls() {
  local port urls=()
  for port in ${NATS_NODE_MONITOR_PORTS:-$NATS_MONITOR_PORT}; do urls+=("http://127.0.0.1:$port"); done
  (IFS=,; printf '%s\n' "${urls[*]}")
}
choreoctl_binary() { printf '%s/choreoctl/choreoctl\n' "$STACK_BUILD_DIR"; }
jwt_secret_file() { printf '%s/secrets/jwt_secret\n' "$STACK_DIR"; }

# The stack's JWT secret: random, made once per stack, kept until the stack is wiped.
ensure_jwt_secret() {
  local file
  file=$(jwt_secret_file)
  if [[ ! -s $file ]]; then
    mkdir -p -- "$(dirname -- "$file")"
    chmod 700 -- "$(dirname -- "$file")"
    (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
}
jwt_secret() { cat -- "$(jwt_secret_file)"; }

# make_token SUB: a token for SUB signed with the stack's secret, valid 7 days (168h: choreoctl
# takes hours, not days).
make_token() {
  local choreoctl
  choreoctl=$(choreoctl_binary)
  [[ -x $choreoctl ]] || die "$choreoctl is missing: build first (./dev build)"
  JWT_SECRET=$(jwt_secret) "$choreoctl" token --sub "$1" --ttl 168h
}

# Writes $STACK_DIR/env: `export` lines that a shell can source and a test can parse. Values are
# quoted only when the shell needs it (none of the usual ones do).
write_env_file() {
  local token file service
  token=$(make_token demo) || die "choreoctl token failed"
  file=$(stack_env_file)
  {
    printf '# Stack %s: load it with: source %s. Written by ./dev.\n' "$(stack_label)" "$file"
    printf 'export %s=%q\n' STACK_DIR "$STACK_DIR" CHOREO_DEV "$CHOREO_DEV" \
      DATABASE_URL "$(database_url)" NATS_URL "$(nats_url)" \
      NATS_MONITOR_URL "$(nats_monitor_url)" NATS_MONITOR_URLS "$(nats_monitor_urls)" \
      GRAPHQL_URL "$(service_url order-service)/graphql" \
      JWT_SECRET "$(jwt_secret)" TOKEN "$token"
    for service in "${ALL_SERVICES[@]}"; do
      printf 'export %s=%q\n' "$(service_url_var "$service")" "$(service_url "$service")"
    done
    # The retry settings this stack's services run with (none: the services' own defaults), so
    # tests can compute what to expect.
    local setting
    while IFS= read -r setting; do
      [[ -n $setting ]] && printf 'export %s=%q\n' "${setting%%=*}" "${setting#*=}"
    done < <(profile_env "$STACK_PROFILE")
  } >"$file.tmp"
  chmod 600 -- "$file.tmp"
  mv -f -- "$file.tmp" "$file"
}
