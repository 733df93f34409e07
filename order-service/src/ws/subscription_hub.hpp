#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/read_models.hpp"
#include "db/connection_pool.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema.hpp"
#include "ws/work_queue.hpp"

namespace choreo::bus {
class CoreSubscription;
class JetStreamClient;
}  // namespace choreo::bus

namespace choreo::order_service::ws {

// events.order.status_updated, as the observer publishes it.
struct StatusUpdate {
  std::string order_id;
  std::string status;
  std::string previous_status;
};

// nullopt for a payload that is not such an event (logged by the caller, never delivered).
std::optional<StatusUpdate> decode_status_update(std::string_view payload);

// Where a subscription's results go: the WebSocket session that asked. Called on the hub's
// worker threads.
class SubscriptionSink {
 public:
  virtual ~SubscriptionSink() = default;
  // An execution result (JSON text) for the operation `id`.
  virtual void deliver(const std::string& id, const std::string& result) = 0;
};

struct Subscription {
  std::string user;                     // only this user's orders, as RLS lets them see
  std::string id;                       // the operation's id on its connection
  std::optional<std::string> order_id;  // the orderId filter; nullopt: every order of the user
  graphql::PreparedOperation operation;
  graphql::InputObject variables;
  std::weak_ptr<SubscriptionSink> sink;
};

struct SubscriptionHubSettings {
  int threads = 2;                    // events of one order always go to the same thread
  std::size_t max_pending = 100'000;  // events waiting per thread before new ones are dropped
};

// Fans each order status update out to the subscriptions it concerns. One NATS subscription per
// process feeds it; per update it reads the order's owner once, then loads the order as that user
// (role order_api, app.user_id set: row-level security decides, as for any API request) and runs
// each matching subscription's selection against it. The order's status is the update's, so
// every subscriber sees each step (paid, then shipped) even when the next step is already stored.
class SubscriptionHub {
 public:
  using Key = std::uint64_t;

  // `read_models`: where Order.events and Product.available read (GraphQLEndpoint's).
  SubscriptionHub(SubscriptionHubSettings settings, const graphql::Schema& schema,
                  db::ConnectionPool& pool, ReadModelRunners read_models);
  ~SubscriptionHub();
  SubscriptionHub(const SubscriptionHub&) = delete;
  SubscriptionHub& operator=(const SubscriptionHub&) = delete;

  // The statements the hub's reads use (besides GraphQLEndpoint's api_begin and the store's).
  static std::vector<db::PreparedStatement> prepared_statements();

  // Subscribes to events.order.status_updated on `bus`; again after a retry is a no-op.
  void listen(bus::JetStreamClient& bus);
  // Stops listening and drops the updates not yet delivered.
  void stop();

  Key add(Subscription subscription);
  void remove(Key key);
  std::size_t size() const;

  // Queues an update for delivery (any thread).
  void publish(StatusUpdate update);

 private:
  void deliver(const StatusUpdate& update);

  SubscriptionHubSettings settings_;
  const graphql::Schema& schema_;
  db::ConnectionPool& pool_;
  ReadModelRunners read_models_;
  std::vector<std::unique_ptr<WorkQueue>> shards_;

  mutable std::mutex mutex_;
  Key next_key_ = 1;
  // user -> key -> subscription; shared so a delivery works on a snapshot without the lock.
  std::map<std::string, std::map<Key, std::shared_ptr<const Subscription>>> by_user_;
  std::map<Key, std::string> user_of_;

  std::mutex listen_mutex_;
  std::unique_ptr<bus::CoreSubscription> feed_;
};

}  // namespace choreo::order_service::ws
