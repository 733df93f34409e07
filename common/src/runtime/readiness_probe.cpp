#include "runtime/readiness_probe.hpp"

#include <ostream>

#include "http/http_client.hpp"

namespace choreo::runtime {

std::string own_readiness_url(const config::ListenAddress& listen) {
  std::string host = listen.host;
  if (host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]")
    host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(listen.port) + "/readyz";
}

int probe_own_readiness(const config::ListenAddress& listen, std::ostream& out) {
  const auto url = own_readiness_url(listen);
  // Well inside the shortest health-check timeout an orchestrator is likely to give.
  const auto response = http::http_get(url, std::chrono::seconds(2));
  if (response.status == 200) {
    out << "ready: " << url << " answered 200\n";
    return 0;
  }
  if (response.status == 0) {
    out << "not ready: no answer from " << url << "\n";
  } else {
    out << "not ready: " << url << " answered " << response.status << " " << response.body << "\n";
  }
  return 1;
}

}  // namespace choreo::runtime
