# shellcheck shell=bash
# `./dev stack`: the stack harness that ./dev and every test suite share. It starts, stops, kills
# and restarts one component of a given stack, and brings whole stacks up and down.
# Sourced by ./dev.

stack_usage() {
  cat <<'USAGE'
Usage: ./dev stack [--dir DIR] VERB [TARGET] [OPTIONS] [KEY=VAL…]   (options in any order)

DIR is the stack folder (default: .stack of the repository). TARGET is one of
  postgres  nats  order-service  inventory-worker  payment-worker  shipping-worker  event-monitor
(in a stack up with --nats-cluster also nats-1, nats-2, nats-3: one node; nats means all three)

Verbs on one component:
  start [--no-wait] TARGET [KEY=VAL…]  start it; waits for /readyz 200 (60 s; fails fast with the
                                       log's tail if the process exits). KEY=VAL (services only)
                                       apply to this run, e.g. FAULT_POINT=after_commit_before_ack
  stop TARGET                          SIGTERM, wait up to 20 s, then SIGKILL with a warning
                                       (postgres: pg_ctl stop -m fast)
  kill TARGET                          SIGKILL (postgres: the postmaster and its children)
  restart [--no-wait] TARGET [KEY=VAL…]  stop, then start
  status [TARGET]                      exit 0 when running (no TARGET: the whole stack)
  wait-ready TARGET [--timeout S]      wait until it answers ready (default 60 s)
  pid TARGET                           print its PID (exit 1 when not running)
  exit-code TARGET                     print the exit status of its last run (128+N: killed by
                                       signal N); exit 1 when none is recorded (still running,
                                       never run, or postgres)

Verbs on the whole stack:
  up [--profile P] [--nats-cluster]    PostgreSQL, NATS (3 nodes with --nats-cluster), schema,
                                       env file, the services. P: default, test, chaos or
                                       chaos-unsafe. Stacks other than .stack use free ports.
  down [--wipe]                        stop everything it started; --wipe deletes its data too
USAGE
}

# harness_parse_arguments VERB ARGS…: the arguments of a one-component verb, in any order: the
# TARGET, --no-wait, --timeout S and KEY=VAL. Sets HARNESS_TARGET, HARNESS_WAIT, HARNESS_TIMEOUT
# and HARNESS_EXTRA.
HARNESS_TARGET=''
HARNESS_WAIT=yes
HARNESS_TIMEOUT=60
HARNESS_EXTRA=()
harness_parse_arguments() {
  local verb=$1
  shift
  while (($# > 0)); do
    case $1 in
      --no-wait)
        [[ $verb == start || $verb == restart ]] || usage_error "--no-wait is for start/restart"
        HARNESS_WAIT=no ;;
      --timeout)
        [[ $verb == wait-ready && ${2:-} =~ ^[0-9]+$ ]] || usage_error "wait-ready takes --timeout SECONDS"
        HARNESS_TIMEOUT=$2
        shift ;;
      -*) usage_error "unknown option '$1' for $verb" ;;
      *=*)
        [[ $verb == start || $verb == restart ]] || usage_error "KEY=VAL is for start/restart"
        [[ ${1%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || usage_error "bad variable name in '$1'"
        HARNESS_EXTRA+=("$1") ;;
      *)
        [[ -z $HARNESS_TARGET ]] || usage_error "$verb takes one target ('$HARNESS_TARGET' and '$1' given)"
        is_component "$1" || usage_error "unknown target '$1' (postgres, nats, ${ALL_SERVICES[*]})"
        HARNESS_TARGET=$1 ;;
    esac
    shift
  done
  [[ -n $HARNESS_TARGET ]] || usage_error "$verb needs a target: postgres, nats or a service"
  if ((${#HARNESS_EXTRA[@]} > 0)) && ! is_service "$HARNESS_TARGET"; then
    usage_error "KEY=VAL applies to services, not $HARNESS_TARGET"
  fi
}

component_start() {
  case $1 in
    postgres) pg_start ;;
    nats | nats-[123]) nats_start "$1" ;;
    *) service_start "$1" "$HARNESS_WAIT" "${HARNESS_EXTRA[@]}" ;;
  esac
}

component_stop() {
  case $1 in
    postgres) pg_stop ;;
    nats | nats-[123]) nats_stop "$1" ;;
    *) service_stop "$1" ;;
  esac
}

component_kill() {
  case $1 in
    postgres) pg_kill ;;
    nats | nats-[123]) nats_kill "$1" ;;
    *) service_kill "$1" ;;
  esac
}

component_pid() {
  case $1 in
    postgres) pg_pid ;;
    nats) nats_pid ;;
    nats-[123]) nats_node_pid "$1" ;;
    *) service_pid "$1" ;;
  esac
}

component_status() {
  case $1 in
    postgres) pg_status_line ;;
    nats) nats_status_line ;;
    nats-[123]) nats_node_pid "$1" >/dev/null && say "$1: running (pid $(nats_node_pid "$1"))" ;;
    *) service_status_line "$1" ;;
  esac
}

component_wait_ready() {
  local target=$1 timeout=$2 deadline
  case $target in
    postgres | nats | nats-[123])
      deadline=$((SECONDS + timeout))
      until case $target in
        postgres) pg_ready ;;
        nats) nats_ready ;;
        *) nats_node_ready "$target" ;;
      esac; do
        ((SECONDS < deadline)) || die "$target is not ready after ${timeout}s"
        sleep 0.2
      done ;;
    *)
      service_pid "$target" >/dev/null || die "$target is not running$(last_exit_note "$target")"
      wait_until_ready "$target" "$timeout" ;;
  esac
  say "$target: ready"
}

component_exit_code() {
  [[ $1 != postgres ]] || die "postgres runs under pg_ctl; its exit status is not recorded"
  proc_exit_code "$1" && return 0
  if component_pid "$1" >/dev/null; then
    error "$1 is running; it has no exit status yet"
  else
    error "no exit status recorded for $1 in $STACK_DIR"
  fi
  return 1
}

stack_command() {
  local dir=$DEFAULT_STACK_DIR verb target
  while (($# > 0)); do
    case $1 in
      --dir) (($# >= 2)) || usage_error "--dir needs a folder"
        dir=$2
        shift 2 ;;
      --dir=*) dir=${1#--dir=}
        shift ;;
      -h | --help | help) stack_usage
        return 0 ;;
      *) break ;;
    esac
  done
  (($# > 0)) || {
    stack_usage
    exit 2
  }
  verb=$1
  shift
  use_stack "$dir"

  case $verb in
    up) stack_command_up "$@" ;;
    down) stack_command_down "$@" ;;
    status)
      stack_load
      if (($# == 0)); then
        stack_status
      else
        is_component "$1" || usage_error "unknown target '$1'"
        component_status "$1"
      fi ;;
    start | stop | kill | restart | wait-ready | pid | exit-code)
      stack_load # first: whether nats-1..3 are targets depends on the stack
      harness_parse_arguments "$verb" "$@"
      target=$HARNESS_TARGET
      case $verb in
        start) stack_lock; component_start "$target" ;;
        stop) stack_lock; component_stop "$target" ;;
        kill) stack_lock; component_kill "$target" ;;
        restart)
          stack_lock
          component_stop "$target"
          component_start "$target" ;;
        wait-ready) component_wait_ready "$target" "$HARNESS_TIMEOUT" ;;
        pid) component_pid "$target" || {
          error "$target is not running$(last_exit_note "$target")"
          return 1
        } ;;
        exit-code) component_exit_code "$target" ;;
      esac ;;
    *) usage_error "unknown stack verb '$verb'" ;;
  esac
}

stack_command_up() {
  local profile=default port_mode=free
  while (($# > 0)); do
    case $1 in
      --profile) profile=${2:-}
        shift 2 || usage_error "--profile needs a name" ;;
      --nats-cluster) REQUESTED_NATS_CLUSTER=yes
        shift ;;
      *) usage_error "unexpected argument '$1' for up" ;;
    esac
  done
  [[ $STACK_DIR == "$DEFAULT_STACK_DIR" ]] && port_mode=fixed
  stack_lock
  steps_begin 4
  local started=$SECONDS
  stack_up "$profile" "$port_mode" || die "$(stack_label) is not fully up (see above)"
  say "$(stack_label) is up in $(format_duration $((SECONDS - started))); env: $(stack_env_file)"
}

stack_command_down() {
  local wipe=no
  while (($# > 0)); do
    case $1 in
      --wipe) wipe=yes ;;
      *) usage_error "unexpected argument '$1' for down" ;;
    esac
    shift
  done
  if [[ -d $STACK_DIR ]]; then
    stack_lock
  fi
  if stack_exists; then
    stack_load
    stack_down || die "some processes of $(stack_label) did not stop"
    say "$(stack_label) is down."
  else
    say "no stack in $STACK_DIR: nothing to stop"
  fi
  [[ $wipe == no ]] || stack_wipe
}
