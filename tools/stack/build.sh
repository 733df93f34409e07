# shellcheck shell=bash
# Configure and build with CMake into $CHOREO_BUILD_DIR (default build/). Sourced by ./dev.

# build_project [CMAKE_BUILD_ARGS…]: e.g. `build_project --target event-monitor`.
build_project() {
  local jobs log
  jobs=$(nproc)
  mkdir -p -- "$CHOREO_BUILD_DIR"
  log="$CHOREO_BUILD_DIR/build.log"
  detail "cmake into $CHOREO_BUILD_DIR with $jobs jobs; full output also in $log"
  if ! {
    cmake -S "$CHOREO_ROOT" -B "$CHOREO_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
      cmake --build "$CHOREO_BUILD_DIR" -j"$jobs" "$@"
  } 2>&1 | tee "$log"; then
    error "the build failed; its first errors:"
    grep -m 10 -E 'error:|Error [0-9]|CMake Error' -- "$log" | sed 's/^/      /' >&2 || true
    return 1
  fi
}
