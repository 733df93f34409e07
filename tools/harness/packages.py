"""The Debian packages each part of the work needs (installed when missing, never upgraded)."""

# To build, run and test the system.
BUILD_AND_RUN = [
    "build-essential", "cmake", "pkg-config", "git",
    "libboost-dev", "libpqxx-dev", "libnats-dev", "nlohmann-json3-dev", "libspdlog-dev",
    "libgtest-dev", "libgmock-dev", "prometheus-cpp-dev", "libcpp-jwt-dev", "libcpptoml-dev",
    "libssl-dev",
    "nats-server", "postgresql", "postgresql-client",
    "curl", "ca-certificates", "procps",
    "python3", "python3-pytest", "python3-httpx", "python3-pytest-asyncio",
    # The OIDC suite (tests/oidc): its issuer's keys, certificates and tokens.
    "python3-jwt", "python3-cryptography",
]
# Node.js and npm for the GraphQL conformance suite (graphql-js, tests/graphql). Installed only
# when `node` or `npm` is missing: a machine with Node.js from elsewhere (NodeSource, bundling
# npm) keeps it, since Debian's npm package would conflict with it.
NODE = ["nodejs", "npm"]
# The dashboard's browser tests (tests/browser/, with playwright-core from npm): Debian's
# Chromium, since playwright's own browser download cannot be had here.
BROWSER = ["chromium"]
# The checks ./dev test runs over the sources.
SOURCE_CHECKS = ["shellcheck", "clang-format"]
# Only `./dev fuzz`: clang with libFuzzer and the sanitizer runtimes.
FUZZ = ["clang-14", "libclang-rt-14-dev"]
# Only `./dev compose-check`: a Docker engine, Compose, and debootstrap for the base images.
COMPOSE = ["docker.io", "docker-compose", "debootstrap"]
