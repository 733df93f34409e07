#pragma once

#include <iosfwd>
#include <string>

#include "config/env.hpp"

namespace choreo::runtime {

// The URL of a service's own /readyz as seen from inside its host or container: a wildcard
// listen host (0.0.0.0, ::, empty) is reached on loopback.
std::string own_readiness_url(const config::ListenAddress& listen);

// `<binary> --healthcheck`, the container health check: asks the running service's /readyz and
// returns 0 on 200, 1 otherwise, with one line saying which, so an image needs no curl or wget.
int probe_own_readiness(const config::ListenAddress& listen, std::ostream& out);

}  // namespace choreo::runtime
