# shellcheck shell=bash
# Debian packages the project needs to build, run and test; installs the missing ones.
# Sourced by ./dev.

CHOREO_APT_PACKAGES=(
  build-essential cmake pkg-config git
  libboost-dev libpqxx-dev libnats-dev nlohmann-json3-dev libspdlog-dev
  libgtest-dev libgmock-dev prometheus-cpp-dev libcpp-jwt-dev libcpptoml-dev libssl-dev
  nats-server postgresql postgresql-client
  curl ca-certificates procps
  python3 python3-pytest python3-httpx python3-pytest-asyncio
)

# Node.js and npm for the GraphQL conformance suite (graphql-js, tests/graphql). Installed only
# when `node` or `npm` is missing: a machine with Node.js from elsewhere (NodeSource, bundling
# npm) keeps it, since Debian's npm package would conflict with it.
CHOREO_NODE_PACKAGES=(nodejs npm)

# Only `./dev fuzz` needs these (clang with libFuzzer and the sanitizer runtimes), so a plain
# build and CI do not download them.
CHOREO_FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

# Prints the packages of the named list (default CHOREO_APT_PACKAGES) that are not installed,
# one per line.
missing_packages() {
  local -n wanted=${1:-CHOREO_APT_PACKAGES}
  local installed package
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null |
    awk '$2 == "installed" { print $1 }') || true
  for package in "${wanted[@]}"; do
    grep -qxF -- "$package" <<<"$installed" || printf '%s\n' "$package"
  done
}

# Installs the missing packages of the named list (default CHOREO_APT_PACKAGES): as root, or
# through sudo; `apt-get update` only when something is missing.
install_dependencies() {
  local list=${1:-CHOREO_APT_PACKAGES}
  local -n wanted=$list
  local -a missing sudo=()
  mapfile -t missing < <(missing_packages "$list")
  if ((${#missing[@]} == 0)); then
    ok "all ${#wanted[@]} Debian packages are installed"
    return 0
  fi
  if ((EUID != 0)); then
    command -v sudo >/dev/null ||
      die "missing packages and no sudo; as root run: apt-get install --no-install-recommends ${missing[*]}"
    sudo=(sudo)
  fi
  detail "installing ${#missing[@]} missing packages: ${missing[*]}"
  detail "(apt-get; this takes a few minutes on a fresh machine)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" || die "apt-get install failed"
  ok "installed: ${missing[*]}"
}
