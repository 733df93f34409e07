# shellcheck shell=bash
# `./dev test`: dependencies, build, unit tests, then a fresh test stack (.stack-test, free ports,
# test profile) for the integration, acceptance and walkthrough tests. The test stack is stopped
# at the end whatever happens; its logs stay. Sourced by ./dev.

TEST_PHASES=()

record_phase() { TEST_PHASES+=("$1|$2|$3|${4:-}"); }

# run_phase NAME COMMAND…: a timed phase. COMMAND runs in a subshell with errexit on, so one
# failing command fails the phase without ending ./dev test.
run_phase() {
  local name=$1 started=$SECONDS status=0
  shift
  step "$name"
  set +e
  (
    set -e
    "$@"
  )
  status=$?
  set -e
  if ((status == 0)); then
    record_phase "$name" passed $((SECONDS - started))
  else
    record_phase "$name" FAILED $((SECONDS - started))
    error "$name failed"
  fi
  return "$status"
}

skip_phase() {
  step "$1: skipped ($2)"
  record_phase "$1" skipped 0 "$2"
}

test_unit() {
  ctest --test-dir "$CHOREO_BUILD_DIR" -L unit --output-on-failure
}

# The Python harness (tools/harness) and its own unit tests.
harness_python() {
  PYTHONPATH="$CHOREO_ROOT/tools${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 "$@"
}
test_harness_unit() {
  harness_python -m unittest discover -s "$CHOREO_ROOT/tools/harness/tests" -t "$CHOREO_ROOT/tools"
}
test_compose_check() { harness_python -m harness compose-check; }

test_stack_fresh() {
  STACK_STEPS_AS_DETAILS=yes
  stack_up_fresh test
}

# The stack's env (STACK_DIR, CHOREO_DEV, DATABASE_URL, TOKEN, …) for the tests.
with_test_stack_env() {
  # shellcheck source=/dev/null
  source "$(stack_env_file)"
  "$@"
}

test_integration() {
  with_test_stack_env ctest --test-dir "$CHOREO_BUILD_DIR" -L integration --output-on-failure
}

have_python_tests() {
  [[ -n $(find "$CHOREO_ROOT/tests" -name node_modules -prune -o -name 'test_*.py' -print -quit) ]]
}

test_acceptance() {
  cd -- "$CHOREO_ROOT"
  with_test_stack_env /usr/bin/python3 -m pytest tests/ -q
}

test_walkthrough() {
  cd -- "$CHOREO_ROOT"
  with_test_stack_env bash tests/walkthrough.sh
}

# The reduced chaos run: ~200 orders while each service is killed once and NATS and PostgreSQL
# restart once. A fixed seed keeps CI repeatable; `./dev chaos` picks a new one each time.
CHAOS_CI_SEED=20261124
test_chaos_reduced() {
  STACK_STEPS_AS_DETAILS=yes
  chaos_run chaos no no --orders 200 --seed "$CHAOS_CI_SEED"
}

test_stack_teardown() {
  trap - EXIT INT TERM
  say ""
  say "stopping the test stack (logs stay in $STACK_DIR/logs)"
  if stack_exists; then
    (
      stack_load
      stack_down
    ) || warn "the test stack did not stop cleanly"
  fi
}

show_test_stack_logs() {
  local name log
  say ""
  say "Tail of each service log of the test stack:"
  for name in "${ALL_SERVICES[@]}" nats; do
    log=$(proc_log_file "$name")
    [[ -f $log ]] || continue
    say "  $name:"
    show_log_tail "$log" 40
  done
  say "  (PostgreSQL: $STACK_DIR/logs/postgres.log, migrations: $STACK_DIR/logs/migrate.log)"
}

print_test_summary() {
  local entry name result seconds note failed=()
  say ""
  say "${UI_BOLD}./dev test summary${UI_RESET}"
  for entry in "${TEST_PHASES[@]}"; do
    IFS='|' read -r name result seconds note <<<"$entry"
    case $result in
      passed) printf '  %-22s %spassed%s   %s\n' "$name" "$UI_GREEN" "$UI_RESET" "$(format_duration "$seconds")" ;;
      FAILED) printf '  %-22s %sFAILED%s   %s\n' "$name" "$UI_RED" "$UI_RESET" "$(format_duration "$seconds")"
        failed+=("$name") ;;
      *) printf '  %-22s skipped  (%s)\n' "$name" "$note" ;;
    esac
  done
  if ((${#failed[@]} == 0)); then
    say "${UI_GREEN}all tests passed${UI_RESET} in $(format_duration "$SECONDS")"
    return 0
  fi
  say "${UI_RED}FAILED:${UI_RESET} $(IFS=,; printf '%s' "${failed[*]}" | sed 's/,/, /g') (after $(format_duration "$SECONDS"))"
  return 1
}

test_command() {
  (($# == 0)) || usage_error "./dev test takes no arguments"
  SECONDS=0
  use_stack "$TEST_STACK_DIR"
  steps_begin 12
  local stack_ok=no
  if [[ ${CHOREO_SKIP_DEPS:-} == 1 ]]; then
    skip_phase "dependencies" "CHOREO_SKIP_DEPS=1"
  elif ! run_phase "dependencies" install_dependencies; then
    print_test_summary
    return 1
  fi
  if ! run_phase "build" build_project; then
    print_test_summary
    return 1
  fi
  run_phase "unit tests" test_unit || true
  run_phase "harness unit tests" test_harness_unit || true

  trap test_stack_teardown EXIT
  trap 'exit 130' INT TERM
  run_phase "test stack" test_stack_fresh && stack_ok=yes
  if [[ $stack_ok == yes ]]; then
    run_phase "integration tests" test_integration || true
    run_phase "graphql conformance" with_test_stack_env test_graphql_conformance || true
    if have_python_tests; then
      run_phase "acceptance (pytest)" test_acceptance || true
    else
      skip_phase "acceptance (pytest)" "no tests/**/test_*.py yet"
    fi
    if [[ -f $CHOREO_ROOT/tests/walkthrough.sh ]]; then
      run_phase "walkthrough" test_walkthrough || true
    else
      skip_phase "walkthrough" "no tests/walkthrough.sh yet"
    fi
  else
    skip_phase "integration tests" "no test stack"
    skip_phase "graphql conformance" "no test stack"
    skip_phase "acceptance (pytest)" "no test stack"
    skip_phase "walkthrough" "no test stack"
  fi

  local passed=yes
  local entry
  for entry in "${TEST_PHASES[@]}"; do
    [[ $entry != *'|FAILED|'* ]] || passed=no
  done
  [[ $passed == yes ]] || show_test_stack_logs
  test_stack_teardown
  # On stacks of their own, after the test stack is gone (two cores do not run both well).
  run_phase "chaos (reduced)" test_chaos_reduced || true
  # A smoke test of ./dev bench: every order terminates and every invariant holds under a short
  # saturation; it asserts no speed.
  run_phase "bench (quick)" bench_smoke || true
  # docker-compose.yml on a real Docker engine: its images built (one Release build of the
  # services), the walkthrough, a scaled worker, a crash, `down -v`.
  run_phase "compose check" test_compose_check || true
  print_test_summary
}
