# shellcheck shell=bash
# `./dev bench [--quick] [--rate N] [--scenarios LIST] [--keep]`: builds (Release, into build-release/, unless
# CHOREO_BUILD_DIR names a build), brings up a fresh private stack in .stack-bench/ with the
# production-like defaults (default profile; PostgreSQL fsync and synchronous_commit on; JetStream
# file storage), runs the load generator (tools/bench, choreo-bench) against it, and stops the
# stack at the end whatever happens (--keep leaves it running). Sourced by ./dev.
#
# bench_smoke is the quick run for `./dev test`: it reuses that build as it is.

# CHOREO_BENCH_STACK_DIR: another directory, so that two benches can run side by side.
BENCH_STACK_DIR="${CHOREO_BENCH_STACK_DIR:-$CHOREO_ROOT/.stack-bench}"
BENCH_RELEASE_DIR="$CHOREO_ROOT/build-release"
BENCH_TARGETS=(choreo-bench choreoctl "${CHOREO_SERVICES[@]}")

bench_usage() {
  cat <<'USAGE'
Usage: ./dev bench [--quick] [--rate N] [--scenarios LIST] [--keep]

  --quick    each scenario for a few seconds; asserts only that every order terminated (this is
             the smoke test ./dev test runs), never a speed
  --rate N   orders per second of the open-loop latency scenario (default 200)
  --scenarios LIST
             only these of saturation, latency, reads (e.g. reads,latency)
  --keep     leave the bench stack (.stack-bench) running afterwards, to look around;
             stop it with ./dev stack --dir .stack-bench down

Builds Release into build-release/ (CHOREO_BUILD_DIR=DIR: use that build instead), starts a fresh
stack in .stack-bench/ with durable settings, and runs, one after the other:
  saturation  64 clients creating one-item orders back to back for 30 s, then the drain
  latency     an open loop at --rate orders/s for 30 s: createOrder and createOrder->shipped
  reads       32 clients reading order(id) with items, payment and shipment for 15 s
then prints one line per scenario, the peak RSS and CPU per 1,000 orders of every process
(PostgreSQL and nats-server included), and a JSON object (also in .stack-bench/logs/bench.out).
It exits non-zero when an invariant does not hold after the drain (an order not terminal or
failed, a shipped order without exactly one succeeded payment and one shipment, reserved stock
out of bounds, a dead letter, a failed request).
USAGE
}

# True when the caller chose the build (CHOREO_BUILD_DIR exported by the environment); env.sh only
# gives the shell variable a default.
bench_build_dir_given() {
  [[ $(declare -p CHOREO_BUILD_DIR 2>/dev/null) == 'declare -x'* ]]
}

# bench_build DIR TYPE(Release|keep): the binaries the bench runs, and nothing else.
bench_build() {
  local dir=$1 type=$2 jobs log
  local -a configure=(cmake -S "$CHOREO_ROOT" -B "$dir")
  [[ $type == keep ]] || configure+=(-DCMAKE_BUILD_TYPE="$type")
  jobs=$(nproc)
  mkdir -p -- "$dir"
  log="$dir/build.log"
  detail "cmake into $dir ($([[ $type == keep ]] && printf 'its build type' || printf '%s' "$type")) with $jobs jobs; full output also in $log"
  if ! {
    "${configure[@]}" && cmake --build "$dir" -j"$jobs" --target "${BENCH_TARGETS[@]}"
  } >"$log" 2>&1; then
    error "the build failed; its first errors:"
    grep -m 10 -E 'error:|Error [0-9]|CMake Error' -- "$log" | sed 's/^/      /' >&2 || true
    return 1
  fi
  ok "built ${BENCH_TARGETS[*]}"
}

bench_stack_teardown() {
  local keep=$1
  trap - EXIT INT TERM
  if [[ $keep == yes ]]; then
    say ""
    say "The bench stack stays up ($(stack_label)): source $STACK_DIR/env;" \
      "stop it with ./dev stack --dir $(stack_label) down"
    return 0
  fi
  say ""
  say "stopping the bench stack (logs stay in $STACK_DIR/logs)"
  if stack_exists; then
    (
      stack_load
      stack_down >/dev/null
    ) || warn "the bench stack did not stop cleanly"
  fi
}

# A numbered step of ./dev bench, or a detail line inside a phase of ./dev test.
BENCH_STEPS_AS_DETAILS=no
bench_step() {
  if [[ $BENCH_STEPS_AS_DETAILS == yes ]]; then
    detail "$*"
  else
    step "$*"
  fi
}

# BENCH_PROCESSES: --process NAME=PID for every service and nats-server, and --process-tree for
# PostgreSQL (its CPU is the postmaster's plus every backend's).
BENCH_PROCESSES=()
bench_collect_processes() {
  local service pid
  BENCH_PROCESSES=()
  for service in "${CHOREO_SERVICES[@]}"; do
    pid=$(service_pid "$service") || die "$service is not running"
    BENCH_PROCESSES+=(--process "$service=$pid")
  done
  pid=$(nats_pid) || die "nats-server is not running"
  BENCH_PROCESSES+=(--process "nats-server=$pid")
  pid=$(pg_pid) || die "PostgreSQL is not running"
  BENCH_PROCESSES+=(--process-tree "postgres=$pid")
}

# bench_run BUILD_DIR KEEP GENERATOR_ARGS…: the stack, the generator, the teardown.
bench_run() {
  local build=$1 keep=$2
  shift 2
  local binary=$build/tools/bench/choreo-bench out status=0
  [[ -x $binary ]] || die "$binary is missing (the build did not make it)"
  use_stack "$BENCH_STACK_DIR"
  # The stack is stopped however this ends: success, failure or Ctrl-C.
  # shellcheck disable=SC2064
  trap "bench_stack_teardown $keep" EXIT
  trap 'exit 130' INT TERM
  CHOREO_BUILD_DIR=$build
  # shellcheck disable=SC2034 # read by stack_step (stack.sh)
  STACK_STEPS_AS_DETAILS=yes
  bench_step "starting a fresh bench stack in $(stack_label) (default profile, durable settings)"
  stack_up_fresh default || die "the bench stack did not come up (logs in $STACK_DIR/logs)"
  stack_unlock

  bench_collect_processes
  bench_step "running the load generator ($binary)"
  out="$STACK_DIR/logs/bench.out"
  (
    # shellcheck source=/dev/null
    source "$(stack_env_file)"
    exec "$binary" "$@" "${BENCH_PROCESSES[@]}" 9>&-
  ) 2>&1 | tee "$out" || status=$? # ./dev runs with pipefail: the generator's status
  if ((status == 0)); then
    ok "all invariants hold (output also in $out)"
  else
    error "the bench failed (exit status $status); see above, $out and $STACK_DIR/logs/"
  fi
  bench_stack_teardown "$keep"
  return "$status"
}

bench_command() {
  local keep=no
  local -a generator=()
  while (($# > 0)); do
    case $1 in
      --quick) generator+=(--quick) ;;
      --rate)
        [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage_error "--rate takes a whole number of orders per second"
        generator+=(--rate "$2")
        shift ;;
      --scenarios)
        [[ ${2:-} =~ ^[a-z,]+$ ]] || usage_error "--scenarios takes a list such as reads,latency"
        generator+=(--scenarios "$2")
        shift ;;
      --keep) keep=yes ;;
      -h | --help | help)
        bench_usage
        return 0 ;;
      *) usage_error "unknown argument '$1' for ./dev bench" ;;
    esac
    shift
  done
  SECONDS=0
  steps_begin 4
  step "checking Debian packages"
  if [[ ${CHOREO_SKIP_DEPS:-} == 1 ]]; then
    detail "skipped (CHOREO_SKIP_DEPS=1)"
  else
    install_dependencies
  fi
  local build
  step "building the services and the load generator"
  if bench_build_dir_given; then
    build=$CHOREO_BUILD_DIR
    bench_build "$build" keep || die "the build failed"
  else
    build=$BENCH_RELEASE_DIR
    bench_build "$build" Release || die "the build failed"
  fi
  local status=0
  bench_run "$build" "$keep" "${generator[@]}" || status=$?
  say "./dev bench took $(format_duration "$SECONDS")."
  return "$status"
}

# For ./dev test: the quick bench on the build ./dev test made (CHOREO_BUILD_DIR), which already
# holds every binary; it builds nothing unless the generator is missing.
bench_smoke() {
  local build=$CHOREO_BUILD_DIR
  if [[ ! -x $build/tools/bench/choreo-bench ]]; then
    bench_build "$build" keep || return 1
  fi
  BENCH_STEPS_AS_DETAILS=yes
  bench_run "$build" no --quick
}
