// The PostgreSQL pool against the stack's real server.
#include <gtest/gtest.h>

#include "db/connection_pool.hpp"
#include "db/errors.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

db::PoolSettings pool_settings() {
  db::PoolSettings settings;
  settings.url = StackEnv::current().database_url();
  settings.size = 2;
  settings.application_name = "pool-test";
  return settings;
}

TEST(ConnectionPool, PreparesStatementsOnEveryConnection) {
  db::ConnectionPool pool(pool_settings(), {{"answer", "SELECT $1::int + 1"}});
  auto a = pool.acquire();
  auto b = pool.acquire();
  for (auto* lease : {&a, &b}) {
    pqxx::nontransaction tx(**lease);
    EXPECT_EQ(tx.exec_prepared1("answer", 41)[0].as<int>(), 42);
  }
}

TEST(ConnectionPool, ReplacesAConnectionTheServerKilled) {
  db::ConnectionPool pool(pool_settings());
  int backend = 0;
  {
    auto lease = pool.acquire();
    backend = lease->backendpid();
  }
  auto admin = connect_database();
  {
    pqxx::nontransaction tx(*admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", backend);
  }
  {
    auto lease = pool.acquire();
    try {
      pqxx::nontransaction tx(*lease);
      tx.exec("SELECT 1");
      ADD_FAILURE() << "the terminated connection still answered";
    } catch (const std::exception& error) {
      EXPECT_TRUE(db::breaks_connection(error)) << error.what();
      EXPECT_TRUE(db::is_transient(error));
      lease.mark_broken();
    }
  }
  EXPECT_TRUE(pool.ping()) << "the pool reconnects on the next lease";
  auto lease = pool.acquire();
  EXPECT_NE(lease->backendpid(), backend);
}

TEST(ConnectionPool, PingFailsCleanlyWhenTheServerIsUnreachable) {
  auto settings = pool_settings();
  settings.url = "postgresql://orders:orders@127.0.0.1:1/orders";
  db::ConnectionPool pool(settings);
  EXPECT_FALSE(pool.ping());
}

}  // namespace
}  // namespace choreo::testing
