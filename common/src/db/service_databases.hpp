#pragma once

#include <string>
#include <vector>

#include "config/env.hpp"

namespace choreo::db {

// Where one service's tables are: its schema, and the database URL to reach them through.
struct ServiceDatabase {
  std::string service;  // order-service, ...
  std::string schema;   // order_service, ...
  std::string url;
};

// Every service's, in the order of the choreography: through the service's own
// <SERVICE>_DATABASE_URL when it is set (e.g. PAYMENT_WORKER_DATABASE_URL; its role owns the
// schema), else through DATABASE_URL (the database's owner, who sees every schema). ConfigError
// when neither is set for some service.
std::vector<ServiceDatabase> service_databases(const config::EnvReader& env);

// The one of `databases` of `service` (which must be one of runtime::kServiceNames).
const ServiceDatabase& database_of(const std::vector<ServiceDatabase>& databases,
                                   const std::string& service);

}  // namespace choreo::db
