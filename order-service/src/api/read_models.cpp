#include "api/read_models.hpp"

#include <algorithm>

#include "api/order_store.hpp"

namespace choreo::order_service {

ReadModelSettings load_read_model_settings(const config::EnvReader& env) {
  return {env.string_or("ORDER_EVENTS_DATABASE_URL", ""), env.string_or("STOCK_DATABASE_URL", "")};
}

std::unique_ptr<db::ConnectionPool> ReadModels::open(const std::string& url,
                                                     const db::PoolSettings& own) {
  if (url.empty())
    return nullptr;
  auto settings = own;
  settings.url = url;
  // A view read per request that asks for events or stock, never held across a request.
  settings.size = std::max<std::size_t>(2, own.size / 4);
  return std::make_unique<db::ConnectionPool>(settings, OrderStore::read_model_statements());
}

ReadModels::ReadModels(const ReadModelSettings& settings, const db::PoolSettings& own)
    : order_events_pool_(open(settings.order_events_url, own)),
      stock_pool_(open(settings.stock_url, own)) {
  if (order_events_pool_)
    order_events_ = std::make_unique<PoolStatements>(*order_events_pool_);
  if (stock_pool_)
    stock_ = std::make_unique<PoolStatements>(*stock_pool_);
}

ReadModels::~ReadModels() = default;

}  // namespace choreo::order_service
