#include "runtime/service_settings.hpp"

namespace choreo::runtime {

ServiceSettings load_service_settings(const config::EnvReader& env, const std::string& name,
                                      const std::string& default_listen) {
  ServiceSettings settings;
  settings.name = name;
  settings.log = logging::load_log_settings(env, name);
  settings.database.url =
      env.required("DATABASE_URL", "e.g. postgresql://orders:orders@127.0.0.1:5432/orders");
  if (settings.database.url.rfind("postgres", 0) != 0 &&
      settings.database.url.find('=') == std::string::npos) {
    throw config::ConfigError(
        "configuration: DATABASE_URL is not a PostgreSQL URL; set "
        "DATABASE_URL to postgresql://user:password@host:port/database");
  }
  settings.database.size = static_cast<std::size_t>(env.integer_or("DB_POOL_SIZE", 4, 1, 100));
  settings.database.application_name = name;
  // order-service -> order_service: each service's tables live in its own schema.
  settings.database.search_path = service_schema(name);
  settings.nats = bus::load_nats_settings(env, name);
  settings.listen =
      config::parse_listen_address("LISTEN_ADDR", env.string_or("LISTEN_ADDR", default_listen));
  settings.http.host = settings.listen.host;
  settings.http.port = settings.listen.port;
  settings.http.body_limit = static_cast<std::size_t>(
      env.integer_or("HTTP_BODY_LIMIT", static_cast<std::int64_t>(settings.http.body_limit), 1024,
                     std::int64_t{64} << 20));
  settings.http.read_timeout = env.duration_or("HTTP_READ_TIMEOUT", settings.http.read_timeout);
  settings.http.idle_timeout = env.duration_or("HTTP_IDLE_TIMEOUT", settings.http.idle_timeout);
  settings.http.worker_threads =
      static_cast<int>(env.integer_or("HTTP_WORKER_THREADS", settings.http.worker_threads, 1, 256));
  // Each connection is a file descriptor: main() raises the open-file limit and warns when this
  // does not fit under it. The upper bound only catches typos (the kernel's nr_open is 1 << 20).
  settings.http.max_connections = static_cast<std::size_t>(
      env.integer_or("HTTP_MAX_CONNECTIONS",
                     static_cast<std::int64_t>(settings.http.max_connections), 1, 1'000'000));
  settings.migrate_on_start = env.boolean_or("MIGRATE_ON_START", true);
  settings.shutdown_timeout = env.duration_or("SHUTDOWN_TIMEOUT", settings.shutdown_timeout);
  settings.faults = FaultPoints::parse(env.string_or("FAULT_POINT", ""));
  return settings;
}

}  // namespace choreo::runtime
