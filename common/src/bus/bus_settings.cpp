#include "bus/bus_settings.hpp"

#include "config/env.hpp"

namespace choreo::bus {

NatsSettings load_nats_settings(const config::EnvReader& env, std::string client_name) {
  NatsSettings settings;
  const auto urls =
      env.required("NATS_URL", "e.g. nats://127.0.0.1:4222, comma-separated for a cluster");
  std::size_t start = 0;
  while (start < urls.size()) {
    auto comma = urls.find(',', start);
    if (comma == std::string::npos)
      comma = urls.size();
    auto url = urls.substr(start, comma - start);
    url.erase(0, url.find_first_not_of(' '));
    url.erase(url.find_last_not_of(' ') + 1);
    if (!url.empty()) {
      if (url.rfind("nats://", 0) != 0 && url.rfind("tls://", 0) != 0) {
        throw config::ConfigError("configuration: NATS_URL=\"" + urls +
                                  "\" is not valid; set NATS_URL to nats://host:port[,nats://…]");
      }
      settings.urls.push_back(url);
    }
    start = comma + 1;
  }
  if (settings.urls.empty()) {
    throw config::ConfigError("configuration: set NATS_URL (e.g. nats://127.0.0.1:4222)");
  }
  settings.client_name = std::move(client_name);
  settings.reconnect_wait = env.duration_or("NATS_RECONNECT_WAIT", settings.reconnect_wait);
  settings.request_timeout = env.duration_or("NATS_REQUEST_TIMEOUT", settings.request_timeout);
  settings.stream_replicas = static_cast<int>(env.integer_or("NATS_STREAM_REPLICAS", 1, 1, 5));
  return settings;
}

StreamSettings events_stream(const NatsSettings& nats) {
  StreamSettings stream;
  stream.replicas = nats.stream_replicas;
  return stream;
}

}  // namespace choreo::bus
