# Every dependency comes from Debian 12's packages (docs/development.md, "Building").
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
if(CHOREO_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
find_package(prometheus-cpp REQUIRED COMPONENTS core)
find_package(OpenSSL REQUIRED)

# libnats-dev's CMake package names a static library Debian does not ship: use pkg-config.
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)

# cpptoml and cpp-jwt are header-only; make sure their headers are present.
find_path(CPPTOML_INCLUDE_DIR cpptoml.h REQUIRED)
find_path(CPPJWT_INCLUDE_DIR jwt/jwt.hpp REQUIRED)
