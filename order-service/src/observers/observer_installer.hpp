#pragma once

#include <string>
#include <vector>

#include "observers/observer_config.hpp"

namespace pqxx {
class connection_base;
}

namespace choreo::order_service {

struct InstallReport {
  std::vector<std::string> created;
  std::vector<std::string> dropped;
  std::size_t unchanged = 0;
};

// The DDL of one rule's trigger: a deferred constraint trigger, so it runs at commit and sees
// everything the transaction wrote (an order's items, inserted after the order row).
std::string trigger_ddl(const ObserverRule& rule, const std::string& source);

// Makes the database's observer triggers match `config`, in one transaction under an advisory
// lock (instances starting together do it once): creates missing triggers, drops ones no rule
// asks for any more, leaves the rest untouched.
InstallReport install_observers(pqxx::connection_base& connection, const ObserverConfig& config);

}  // namespace choreo::order_service
