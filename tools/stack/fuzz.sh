# shellcheck shell=bash
# ./dev fuzz [SECONDS]: builds the GraphQL engine's libFuzzer targets with clang-14 (ASan, UBSan,
# LeakSanitizer) into build-fuzz/ and runs each for its share of SECONDS (default 600 in all).
# Not part of CI. Sourced by ./dev.

FUZZ_CXX=${FUZZ_CXX:-clang++-14}
FUZZ_TARGETS=(parser_fuzzer prepare_fuzzer execute_fuzzer)

# Compiles what changed: an object is rebuilt when its source or any engine header is newer.
fuzz_build() {
  local build=$1 engine=$CHOREO_ROOT/order-service/graphql
  local -a flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -Wall -Wextra -I "$engine/src")
  mkdir -p "$build/obj"
  local newest_header source object
  newest_header=$(ls -t "$engine"/src/graphql/*.hpp | head -n 1)
  local -a objects=() stale=()
  for source in "$engine"/src/graphql/*.cpp; do
    [[ $source == *_test.cpp ]] && continue
    object=$build/obj/$(basename "${source%.cpp}").o
    objects+=("$object")
    if [[ ! -e $object || $source -nt $object || $newest_header -nt $object ]]; then
      stale+=("$source")
    fi
  done
  if ((${#stale[@]} > 0)); then
    detail "compiling ${#stale[@]} engine sources"
    local running=0 failed=0
    for source in "${stale[@]}"; do
      "$FUZZ_CXX" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$source" \
        -o "$build/obj/$(basename "${source%.cpp}").o" &
      if ((++running >= 2)); then
        wait -n || failed=1
        running=$((running - 1))
      fi
    done
    while ((running > 0)); do
      wait -n || failed=1
      running=$((running - 1))
    done
    ((failed == 0)) || return 1
  fi
  local target
  for target in "${FUZZ_TARGETS[@]}"; do
    if [[ ! -e $build/$target || $engine/fuzz/$target.cpp -nt $build/$target ||
      -n $(find "$build/obj" -newer "$build/$target" -name '*.o' | head -n 1) ]]; then
      detail "linking $target"
      "$FUZZ_CXX" "${flags[@]}" -fsanitize=fuzzer "$engine/fuzz/$target.cpp" "${objects[@]}" \
        -o "$build/$target" || return 1
    fi
  done
}

# The last libFuzzer status line of a log ("#123456 pulse cov: ... exec/s: 4000 ..."), if any.
fuzz_status_line() {
  grep -aE '^#[0-9]+' "$1" 2>/dev/null | tail -n 1
}

fuzz_command() {
  local total=${1:-600}
  [[ $total =~ ^[0-9]+$ ]] && ((total >= ${#FUZZ_TARGETS[@]})) ||
    usage_error "./dev fuzz takes a number of seconds (at least ${#FUZZ_TARGETS[@]})"
  install_dependencies CHOREO_FUZZ_PACKAGES
  command -v "$FUZZ_CXX" >/dev/null ||
    die "$FUZZ_CXX is missing: apt-get install ${CHOREO_FUZZ_PACKAGES[*]}"
  local build=${CHOREO_FUZZ_DIR:-$CHOREO_ROOT/build-fuzz}
  local seeds=$CHOREO_ROOT/order-service/graphql/fuzz/corpus
  local share=$((total / ${#FUZZ_TARGETS[@]}))
  steps_begin $((1 + ${#FUZZ_TARGETS[@]}))
  step "building the fuzzers with $FUZZ_CXX into $build"
  fuzz_build "$build" || die "the fuzzers did not build"

  local target failures=0 summary=""
  for target in "${FUZZ_TARGETS[@]}"; do
    step "running $target for ${share}s"
    local work=$build/corpus/$target artifacts=$build/artifacts/$target/ log=$build/$target.log
    mkdir -p "$work" "$artifacts"
    local before
    before=$(find "$artifacts" -type f | wc -l)
    # New inputs go to the working corpus in build-fuzz/, never into the committed seeds.
    "$build/$target" "$work" "$seeds" -max_total_time="$share" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      sleep 15
      local line
      line=$(fuzz_status_line "$log")
      [[ -n $line ]] && detail "$line"
    done
    local status=0
    wait "$pid" || status=$?
    local execs found
    execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
    found=$(($(find "$artifacts" -type f | wc -l) - before))
    if ((status != 0 || found > 0)); then
      failures=$((failures + 1))
      error "$target failed (exit $status); new artifacts in $artifacts; log: $log"
      grep -aE 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5 >&2 || true
    else
      ok "$target: ${execs:-?} executions, no crash, leak or timeout"
    fi
    summary+="$(printf '  %-16s %12s executions  %s finding(s)' "$target" "${execs:-?}" "$found")"$'\n'
  done
  say ""
  say "Fuzzing summary (${total}s in all):"
  printf '%s' "$summary"
  ((failures == 0)) || die "$failures fuzzer(s) found problems"
}
