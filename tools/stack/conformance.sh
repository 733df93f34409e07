# shellcheck shell=bash
# The GraphQL conformance suite (tests/graphql/): graphql-js, pinned by tests/graphql/
# package-lock.json, against the order service's engine. The verdict comparison needs only the
# build (graphql-verdict); the data and introspection checks need a running stack's GRAPHQL_URL
# and TOKEN (./dev test runs them inside with_test_stack_env). Sourced by ./dev.

CONFORMANCE_DIR=$CHOREO_ROOT/tests/graphql

# Installs graphql-js into tests/graphql/node_modules with `npm ci`, only when node_modules is
# missing or was installed from another package-lock.json (a hash of it is kept beside it).
conformance_install_node_deps() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [[ ${CHOREO_SKIP_DEPS:-} == 1 ]]; then
      die "node and npm are missing (Debian: apt-get install nodejs npm)"
    fi
    install_dependencies CHOREO_NODE_PACKAGES
  fi
  local lock=$CONFORMANCE_DIR/package-lock.json stamp=$CONFORMANCE_DIR/node_modules/.choreo-lock-sha256
  local wanted
  wanted=$(sha256sum "$lock" | cut -d' ' -f1)
  if [[ -f $stamp && $(<"$stamp") == "$wanted" ]]; then
    return 0
  fi
  detail "installing graphql-js for the conformance suite (npm ci in tests/graphql)"
  (cd -- "$CONFORMANCE_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
    die "npm ci failed in $CONFORMANCE_DIR"
  printf '%s\n' "$wanted" >"$stamp"
}

# The whole suite: verdicts on the corpus always, and with GRAPHQL_URL and TOKEN set (a stack's
# env), the data check and the introspection round trip as well.
test_graphql_conformance() {
  conformance_install_node_deps
  local verdict=$CHOREO_BUILD_DIR/order-service/graphql-verdict
  [[ -x $verdict ]] || die "$verdict is missing: build the target graphql-verdict"
  local -a live=()
  if [[ -n ${GRAPHQL_URL:-} && -n ${TOKEN:-} ]]; then
    live=(--live)
  else
    warn "GRAPHQL_URL or TOKEN unset: checking verdicts only (no data or introspection checks)"
  fi
  node --no-warnings "$CONFORMANCE_DIR/conformance.mjs" --verdict "$verdict" "${live[@]}"
}
