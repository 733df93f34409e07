#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"
#include "runtime/service_names.hpp"

namespace choreo::testing {

// Direct clients of the stack's PostgreSQL and JetStream, as a test (not a service) uses them.
std::unique_ptr<pqxx::connection> connect_database();
std::unique_ptr<bus::JetStreamClient> connect_jetstream(const std::string& client_name);
// A pool on the stack's database, as a service would have one.
std::unique_ptr<db::ConnectionPool> make_pool(std::size_t size,
                                              std::vector<db::PreparedStatement> statements = {});

// A scalar query result as text ("" for NULL).
std::string query_value(pqxx::connection& connection, const std::string& sql);
long long query_count(pqxx::connection& connection, const std::string& sql);

// The payloads of one order's events on `subject`, as the event monitor recorded them, in stream
// order.
std::vector<nlohmann::json> logged_events(pqxx::connection& connection, const std::string& order_id,
                                          const std::string& subject);

// Creates a user and an order row directly (the order service is not part of these tests) and
// returns the order's UUID.
std::string insert_order(pqxx::connection& connection, const std::string& identifier);

}  // namespace choreo::testing
