#include "observers/observer_installer.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>
#include <set>

namespace choreo::order_service {

std::string trigger_ddl(const ObserverRule& rule, const std::string& source) {
  // Names were validated as plain identifiers when the rules were read, and the subject and
  // source against strict patterns, so they can be spliced in as they are.
  std::string ddl =
      "CREATE CONSTRAINT TRIGGER " + rule.trigger_name(source) + " AFTER " + rule.event;
  if (!rule.columns.empty()) {
    ddl += " OF ";
    for (std::size_t i = 0; i < rule.columns.size(); ++i)
      ddl += (i ? ", " : "") + rule.columns[i];
  }
  ddl += " ON " + rule.table + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW";
  if (!rule.columns.empty()) {
    ddl += " WHEN (";
    for (std::size_t i = 0; i < rule.columns.size(); ++i) {
      ddl += (i ? " OR " : "") + std::string("OLD.") + rule.columns[i] + " IS DISTINCT FROM NEW." +
             rule.columns[i];
    }
    ddl += ")";
  }
  ddl += " EXECUTE FUNCTION fn_observe('" + source + "', '" + rule.subject + "')";
  return ddl;
}

InstallReport install_observers(pqxx::connection_base& connection, const ObserverConfig& config) {
  InstallReport report;
  pqxx::work tx(connection, "install_observers");
  tx.exec("SELECT pg_advisory_xact_lock(hashtext('choreo:install-observers'))");

  std::map<std::string, std::string> existing;  // trigger name -> table
  for (const auto& row : tx.exec_params(
           "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE NOT t.tgisinternal AND starts_with(t.tgname::text, $1) "
           "AND n.nspname = current_schema()",
           observer_trigger_prefix(config.source))) {
    existing.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  std::set<std::string> wanted;
  for (const auto& rule : config.rules) {
    const auto name = rule.trigger_name(config.source);
    wanted.insert(name);
    if (existing.count(name) != 0) {
      ++report.unchanged;
      continue;
    }
    tx.exec0(trigger_ddl(rule, config.source));
    report.created.push_back(name);
  }
  for (const auto& [name, table] : existing) {
    if (wanted.count(name) != 0)
      continue;
    tx.exec0("DROP TRIGGER " + tx.quote_name(name) + " ON " + tx.quote_name(table));
    report.dropped.push_back(name);
  }
  tx.commit();
  for (const auto& name : report.created)
    spdlog::info("observer trigger {} installed", name);
  for (const auto& name : report.dropped)
    spdlog::info("observer trigger {} removed", name);
  return report;
}

}  // namespace choreo::order_service
