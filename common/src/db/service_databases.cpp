#include "db/service_databases.hpp"

#include <stdexcept>

#include "runtime/service_names.hpp"

namespace choreo::db {

std::vector<ServiceDatabase> service_databases(const config::EnvReader& env) {
  const auto owner = env.optional("DATABASE_URL");
  std::vector<ServiceDatabase> databases;
  for (const auto name : runtime::kServiceNames) {
    const std::string service(name);
    const auto variable = runtime::database_url_variable(service);
    auto url = env.optional(variable);
    if (!url)
      url = owner;
    if (!url) {
      throw config::ConfigError(
          "configuration: set DATABASE_URL (the database owner's URL, e.g. "
          "postgresql://orders:orders@127.0.0.1:55432/orders) or each service's " +
          variable);
    }
    databases.push_back({service, runtime::service_schema(service), *url});
  }
  return databases;
}

const ServiceDatabase& database_of(const std::vector<ServiceDatabase>& databases,
                                   const std::string& service) {
  for (const auto& database : databases) {
    if (database.service == service)
      return database;
  }
  throw std::logic_error("no database for service " + service);
}

}  // namespace choreo::db
