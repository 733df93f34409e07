#include "stack_clients.hpp"

#include "runtime/service_names.hpp"
#include "stack_env.hpp"

namespace choreo::testing {

std::unique_ptr<pqxx::connection> connect_database() {
  return std::make_unique<pqxx::connection>(StackEnv::current().database_url());
}

std::unique_ptr<bus::JetStreamClient> connect_jetstream(const std::string& client_name) {
  bus::NatsSettings settings;
  settings.urls = {StackEnv::current().nats_url()};
  settings.client_name = client_name;
  auto client = std::make_unique<bus::JetStreamClient>(settings);
  client->ensure_stream(bus::StreamSettings{});
  return client;
}

std::unique_ptr<db::ConnectionPool> make_pool(std::size_t size,
                                              std::vector<db::PreparedStatement> statements) {
  db::PoolSettings settings;
  settings.url = StackEnv::current().database_url();
  settings.size = size;
  return std::make_unique<db::ConnectionPool>(settings, std::move(statements));
}

std::string query_value(pqxx::connection& connection, const std::string& sql) {
  pqxx::nontransaction tx(connection);
  const auto row = tx.exec1(sql);
  return row[0].is_null() ? "" : row[0].as<std::string>();
}

long long query_count(pqxx::connection& connection, const std::string& sql) {
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<long long>();
}

std::string insert_order(pqxx::connection& connection, const std::string& identifier) {
  pqxx::work tx(connection);
  tx.exec_params(
      "INSERT INTO tb_user (identifier) VALUES ('integration-tests') ON CONFLICT DO NOTHING");
  const auto id =
      tx.exec_params1(
            "INSERT INTO tb_order (identifier, fk_user, total) "
            "SELECT $1, pk_user, 10.00 FROM tb_user WHERE identifier = 'integration-tests' "
            "RETURNING id::text",
            identifier)[0]
          .as<std::string>();
  tx.commit();
  return id;
}

std::vector<nlohmann::json> logged_events(pqxx::connection& connection, const std::string& order_id,
                                          const std::string& subject) {
  pqxx::nontransaction tx(connection);
  std::vector<nlohmann::json> payloads;
  for (const auto& row : tx.exec_params(
           "SELECT data::text FROM tb_event_log WHERE order_id = $1::uuid AND event_type = $2 "
           "ORDER BY stream_seq",
           order_id, subject)) {
    payloads.push_back(nlohmann::json::parse(row[0].as<std::string>()));
  }
  return payloads;
}

}  // namespace choreo::testing
