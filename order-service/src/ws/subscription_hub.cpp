#include "ws/subscription_hub.hpp"

#include <spdlog/spdlog.h>

#include <any>
#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/order_store.hpp"
#include "bus/jetstream.hpp"
#include "db/errors.hpp"
#include "events/event.hpp"
#include "events/payloads.hpp"
#include "events/subjects.hpp"

namespace choreo::order_service::ws {

std::optional<StatusUpdate> decode_status_update(std::string_view payload) {
  try {
    auto update =
        events::decode<events::OrderStatusUpdated>(nlohmann::json::parse(payload, nullptr, false));
    return StatusUpdate{std::move(update.order_id), std::move(update.status),
                        std::move(update.previous_status)};
  } catch (const events::PayloadError&) {
    return std::nullopt;
  }
}

SubscriptionHub::SubscriptionHub(SubscriptionHubSettings settings, const graphql::Schema& schema,
                                 db::ConnectionPool& pool, ReadModelRunners read_models)
    : settings_(settings), schema_(schema), pool_(pool), read_models_(read_models) {
  for (int i = 0; i < std::max(1, settings_.threads); ++i) {
    shards_.push_back(
        std::make_unique<WorkQueue>("subscription delivery", 1, settings_.max_pending));
  }
}

SubscriptionHub::~SubscriptionHub() {
  stop();
}

std::vector<db::PreparedStatement> SubscriptionHub::prepared_statements() {
  // Run as the service's own role, before the transaction switches to order_api: it only picks
  // whose subscriptions to consider. Whether that user may see the order is RLS's call, next.
  return {{"ws_order_owner",
           "SELECT u.identifier FROM tb_order o JOIN tb_user u ON u.pk_user = o.fk_user"
           " WHERE o.id = $1::uuid"}};
}

void SubscriptionHub::listen(bus::JetStreamClient& bus) {
  std::lock_guard lock(listen_mutex_);
  if (feed_)
    return;
  feed_ = bus.subscribe(std::string(events::subjects::kOrderStatusUpdated),
                        [this](const bus::CoreMessage& message) {
                          if (auto update = decode_status_update(message.data)) {
                            publish(std::move(*update));
                          } else {
                            spdlog::warn("subscriptions: ignoring a malformed status update");
                          }
                        });
  spdlog::info("subscriptions: listening to {}", events::subjects::kOrderStatusUpdated);
}

void SubscriptionHub::stop() {
  {
    std::lock_guard lock(listen_mutex_);
    feed_.reset();  // waits until no NATS callback runs
  }
  for (auto& shard : shards_)
    shard->stop();
}

SubscriptionHub::Key SubscriptionHub::add(Subscription subscription) {
  std::lock_guard lock(mutex_);
  const Key key = next_key_++;
  const auto user = subscription.user;
  by_user_[user].emplace(key, std::make_shared<const Subscription>(std::move(subscription)));
  user_of_.emplace(key, user);
  return key;
}

void SubscriptionHub::remove(Key key) {
  std::lock_guard lock(mutex_);
  const auto user = user_of_.find(key);
  if (user == user_of_.end())
    return;
  const auto subscriptions = by_user_.find(user->second);
  if (subscriptions != by_user_.end()) {
    subscriptions->second.erase(key);
    if (subscriptions->second.empty())
      by_user_.erase(subscriptions);
  }
  user_of_.erase(user);
}

std::size_t SubscriptionHub::size() const {
  std::lock_guard lock(mutex_);
  return user_of_.size();
}

void SubscriptionHub::publish(StatusUpdate update) {
  {
    std::lock_guard lock(mutex_);
    if (by_user_.empty())
      return;  // nobody listens: no database work at all
  }
  auto& shard = *shards_[std::hash<std::string>{}(update.order_id) % shards_.size()];
  if (!shard.post([this, update = std::move(update)] { deliver(update); })) {
    spdlog::warn("subscriptions: delivery queue full; dropping an update");
  }
}

void SubscriptionHub::deliver(const StatusUpdate& update) {
  if (!events::is_uuid(update.order_id))
    return;
  struct Outgoing {
    std::shared_ptr<SubscriptionSink> sink;
    std::string id;
    std::string result;
  };
  std::vector<Outgoing> outgoing;
  try {
    auto connection = pool_.acquire();
    pqxx::work transaction(*connection);
    const auto owner_rows = transaction.exec_prepared("ws_order_owner", update.order_id);
    if (owner_rows.empty())
      return;
    const auto owner = owner_rows[0][0].as<std::string>();

    std::vector<std::shared_ptr<const Subscription>> matching;
    {
      std::lock_guard lock(mutex_);
      const auto subscriptions = by_user_.find(owner);
      if (subscriptions == by_user_.end())
        return;
      for (const auto& [key, subscription] : subscriptions->second) {
        if (!subscription->order_id || *subscription->order_id == update.order_id)
          matching.push_back(subscription);
      }
    }
    if (matching.empty())
      return;

    transaction.exec_prepared("api_begin", owner);
    OrderStore store(transaction, read_models_);
    auto record = store.order(update.order_id);
    if (!record)
      return;  // row-level security does not show it to this user
    record->status = update.status;
    ApiContext context{owner, store};
    std::any request_context = &context;
    for (const auto& subscription : matching) {
      auto sink = subscription->sink.lock();
      if (!sink)
        continue;
      graphql::ExecutionOptions options;
      options.root_value = *record;
      options.request_context = &request_context;
      options.on_internal_error = [](const std::exception& error, const auto&) {
        spdlog::error("subscriptions: resolving a field failed: {}", db::describe(error));
      };
      const auto result =
          graphql::execute(schema_, subscription->operation, subscription->variables, options);
      outgoing.push_back({std::move(sink), subscription->id, graphql::to_json(result)});
    }
    transaction.abort();  // read only
  } catch (const std::exception& error) {
    // Subscriptions are live-only: an update that cannot be read now is not retried later.
    spdlog::warn("subscriptions: could not deliver the update of order {}: {}", update.order_id,
                 db::describe(error));
    return;
  }
  for (const auto& message : outgoing)
    message.sink->deliver(message.id, message.result);
}

}  // namespace choreo::order_service::ws
