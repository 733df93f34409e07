# shellcheck shell=bash
# ./dev chaos: orders under a seeded schedule of crashes and restarts on a private stack
# (.stack-chaos), then the invariants (tests/chaos/chaos.py). Sourced by ./dev.

CHAOS_STACK_DIR="$CHOREO_ROOT/.stack-chaos"

chaos_usage() {
  cat <<'USAGE'
Usage: ./dev chaos [--orders N] [--seed S] [--faults F] [--nats-cluster] [--unsafe] [--keep]

  --orders N      orders to create during the run (default 200)
  --seed S        the fault schedule's and the orders' seed (default: random; printed)
  --faults F      faults to inject (default: each service, NATS and PostgreSQL once; 30 or more
                  from 2,000 orders)
  --nats-cluster  three nats-server nodes, the stream at 3 replicas; faults hit one node at a time
  --unsafe        every idempotency guard off (test-only switch): the run must REPORT violations,
                  which shows that the checker can fail
  --keep          leave the stack running afterwards (./dev stack --dir .stack-chaos down)
USAGE
}

chaos_command() {
  local keep=no profile=chaos cluster=no
  local -a runner=()
  while (($# > 0)); do
    case $1 in
      --orders | --seed | --faults)
        [[ ${2:-} =~ ^[0-9]+$ ]] || usage_error "$1 takes a number"
        runner+=("$1" "$2")
        shift ;;
      --nats-cluster) cluster=yes ;;
      --unsafe) profile=chaos-unsafe runner+=(--expect-violations) ;;
      --keep) keep=yes ;;
      -h | --help | help) chaos_usage; return 0 ;;
      *) usage_error "unknown option '$1' for ./dev chaos (./dev chaos --help)" ;;
    esac
    shift
  done
  SECONDS=0
  steps_begin 7
  if [[ ${CHOREO_SKIP_DEPS:-} == 1 ]]; then
    step "checking Debian packages: skipped (CHOREO_SKIP_DEPS=1)"
  else
    step "checking Debian packages"
    install_dependencies
  fi
  step "building"
  build_project || die "the build failed"
  local status=0
  chaos_run "$profile" "$cluster" "$keep" "${runner[@]}" || status=$?
  say "./dev chaos finished in $(format_duration "$SECONDS") with status $status"
  return "$status"
}

# chaos_run PROFILE CLUSTER(yes|no) KEEP(yes|no) [RUNNER ARGS…]: a fresh .stack-chaos, the run,
# and (unless KEEP) the stack stopped again; returns the run's status. Used by ./dev chaos and by
# ./dev test's reduced run (which has built already).
chaos_run() {
  local profile=$1 cluster=$2 keep=$3 status=0
  shift 3
  local -a runner=("$@")
  use_stack "$CHAOS_STACK_DIR"
  REQUESTED_NATS_CLUSTER=$cluster
  stack_up_fresh "$profile" || {
    error "the chaos stack did not come up (logs in $STACK_DIR/logs)"
    return 1
  }
  stack_unlock # the run drives the stack through ./dev stack, which takes the lock per command
  stack_step "running the chaos schedule (tests/chaos/chaos.py)"
  [[ $cluster == yes ]] && runner+=(--nats-nodes 3)
  /usr/bin/python3 "$CHOREO_ROOT/tests/chaos/chaos.py" --stack-dir "$STACK_DIR" \
    --dev "$CHOREO_DEV" "${runner[@]}" || status=$?
  if [[ $keep == no ]]; then
    say ""
    say "stopping the chaos stack (logs stay in $STACK_DIR/logs)"
    stack_load
    stack_down || warn "the chaos stack did not stop cleanly"
  else
    say "the chaos stack keeps running: ./dev stack --dir $STACK_DIR down"
  fi
  return "$status"
}
