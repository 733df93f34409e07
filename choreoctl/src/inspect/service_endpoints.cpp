#include "inspect/service_endpoints.hpp"

#include <nlohmann/json.hpp>

#include "http/http_client.hpp"
#include "runtime/service_names.hpp"

namespace choreo::ctl::inspect {
namespace {

// ./dev up's ports: the API on 8080, the workers' and the monitor's HTTP in choreography order.
std::string default_url(std::size_t index) {
  return index == 0 ? "http://127.0.0.1:8080" : "http://127.0.0.1:" + std::to_string(9100 + index);
}

std::string url_variable(std::string_view service) {
  auto variable = runtime::service_schema(service);
  for (auto& c : variable) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  }
  return variable + "_URL";
}

}  // namespace

std::vector<ServiceEndpoint> service_endpoints(const config::EnvReader& env) {
  std::vector<ServiceEndpoint> endpoints;
  for (std::size_t i = 0; i < runtime::kServiceNames.size(); ++i) {
    const std::string service(runtime::kServiceNames[i]);
    const auto variable = url_variable(service);
    auto url = env.string_or(variable, default_url(i));
    while (!url.empty() && url.back() == '/')
      url.pop_back();
    endpoints.push_back({service, variable, url});
  }
  return endpoints;
}

std::string Readiness::state() const {
  if (http_status == 0)
    return "unreachable";
  return ready() ? "ready" : "not ready";
}

Readiness probe_readiness(const ServiceEndpoint& endpoint, std::chrono::milliseconds timeout) {
  Readiness readiness{endpoint.service, endpoint.url, 0, ""};
  try {
    const auto response = http::http_get(endpoint.url + "/readyz", timeout);
    readiness.http_status = response.status;
    if (response.status == 0) {
      readiness.detail = "no answer from " + endpoint.url;
      return readiness;
    }
    // {"status": "not ready", "checks": {"database": "down", ...}} (http/health.cpp)
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("checks") && body["checks"].is_object()) {
      for (const auto& [name, state] : body["checks"].items()) {
        if (state != "ok")
          readiness.detail += (readiness.detail.empty() ? "" : ", ") + name + ": " +
                              (state.is_string() ? state.get<std::string>() : state.dump());
      }
    }
    if (readiness.detail.empty() && !readiness.ready())
      readiness.detail = "HTTP " + std::to_string(response.status);
  } catch (const std::exception& error) {
    readiness.detail = error.what();
  }
  return readiness;
}

}  // namespace choreo::ctl::inspect
