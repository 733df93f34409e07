// Two instances of every worker on one stack: they share each durable, split the work, and the
// last units of a product are never sold twice.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "worker_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

// A port nobody listens on right now (the kernel's pick), for a second instance's LISTEN_ADDR.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (fd < 0 || ::bind(fd, generic, length) != 0 || ::getsockname(fd, generic, &length) != 0) {
    if (fd >= 0)
      ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// This build's binary of a service: <build>/<service>/<service>, beside <build>/tests/.
std::filesystem::path service_binary(const std::string& service) {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / service /
         service;
}

// One more instance of a worker, outside the stack harness (which runs one per service), with
// the stack's database, NATS and retry settings. Killed when it goes out of scope.
class ExtraInstance {
 public:
  ExtraInstance(const std::string& service, const std::vector<std::string>& extra_env)
      : url_("http://127.0.0.1:" + std::to_string(free_port())) {
    const auto& stack = StackEnv::current();
    std::vector<std::string> env = {"DATABASE_URL=" + stack.database_url(),
                                    "NATS_URL=" + stack.nats_url(),
                                    "LISTEN_ADDR=" + url_.substr(7),
                                    "LOG_LEVEL=warn",
                                    "FAULT_POINT=",
                                    "MAX_DELIVER=" + stack.get("MAX_DELIVER"),
                                    "RETRY_BACKOFF=" + stack.get("RETRY_BACKOFF"),
                                    "ACK_WAIT=" + stack.get("ACK_WAIT")};
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    process_ =
        std::make_unique<ChildProcess>(service_binary(service), std::vector<std::string>{}, env);
  }

  const std::string& url() const { return url_; }
  bool ready() const { return http_get(url_ + "/readyz").status == 200; }
  // Kills the instance and returns what it printed (for a failure message).
  std::string kill_and_collect_output() { return process_->wait(std::chrono::seconds(0)).output; }

 private:
  std::string url_;
  std::unique_ptr<ChildProcess> process_;
};

double processed(const std::string& base_url, const std::string& durable) {
  return metric_value(
      http_get(base_url + "/metrics").body,
      "choreo_consumer_events_total{consumer=\"" + durable + "\",outcome=\"processed\"}");
}

class WorkerScalingTest : public WorkerFixture {};

TEST_F(WorkerScalingTest, TwoInstancesOfEachWorkerShareTheLoadAndNeverOversell) {
  // The extra instances fetch in small batches, so they keep asking while the stack's instances
  // work; JetStream hands each waiting pull request its share.
  const std::vector<std::string> small_batches = {"CONSUMER_BATCH_SIZE=2"};
  std::vector<std::unique_ptr<ExtraInstance>> extra;
  for (const char* worker : kWorkers)
    extra.push_back(std::make_unique<ExtraInstance>(worker, small_batches));
  for (const auto& instance : extra)
    ASSERT_TRUE(eventually([&] { return instance->ready(); }, 30s))
        << instance->url() << " is not ready:\n"
        << instance->kill_and_collect_output();

  const auto& env = StackEnv::current();
  const std::pair<std::string, std::string> durables[] = {
      {"INVENTORY_WORKER_URL", "inventory_processors"},
      {"PAYMENT_WORKER_URL", "payment_processors"},
      {"SHIPPING_WORKER_URL", "shipping_handlers"}};
  std::vector<double> harness_before;
  for (const auto& [url_key, durable] : durables)
    harness_before.push_back(std::max(0.0, processed(env.get(url_key), durable)));

  // 50 orders of one unit each for the last 10 units, placed from 5 connections at once.
  const auto sku = new_product(10);
  constexpr int kOrders = 50;
  std::vector<std::string> order_ids(kOrders);
  {
    std::vector<std::jthread> clients;
    for (int client = 0; client < 5; ++client) {
      clients.emplace_back([&, client] {
        auto connection = connect_database();
        for (int n = client; n < kOrders; n += 5) {
          pqxx::work tx(*connection);
          order_ids[n] = tx.exec_params1(
                               "SELECT entity_id::text FROM fn_create_order($1, "
                               "'workers-test', 1.00, $2::jsonb, 'Somewhere')",
                               "wt-rush-" + unique_suffix(), json::array({line(sku, 1)}).dump())[0]
                             .as<std::string>();
          tx.commit();
        }
      });
    }
  }

  std::string ids = "ARRAY[";
  for (std::size_t i = 0; i < order_ids.size(); ++i)
    ids += (i ? "," : "") + db_->quote(order_ids[i]) + "::uuid";
  ids += "]";
  const auto count_with = [&](const std::string& condition) {
    return query_count(
        *db_, "SELECT count(*) FROM tb_order WHERE id = ANY(" + ids + ") AND " + condition);
  };
  ASSERT_TRUE(
      eventually([&] { return count_with("status IN ('shipped', 'failed')") == kOrders; }, 45s))
      << count_with("status IN ('shipped', 'failed')") << " of " << kOrders << " settled";
  EXPECT_EQ(count_with("status = 'shipped'"), 10);
  EXPECT_EQ(count_with("status = 'failed' AND failure_reason = 'inventory_unavailable'"), 40);
  EXPECT_EQ(reserved(sku), 10);
  EXPECT_EQ(
      query_count(*db_,
                  "SELECT coalesce(sum(quantity), 0) FROM tb_reservation WHERE order_id = ANY(" +
                      ids + ")"),
      10);
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM tb_payment WHERE order_id = ANY(" + ids + ")"),
            10);

  // Both instances of each worker did part of it.
  for (std::size_t i = 0; i < std::size(durables); ++i) {
    const auto& [url_key, durable] = durables[i];
    EXPECT_GT(processed(env.get(url_key), durable), harness_before[i])
        << "the harness's " << durable << " instance did nothing";
    EXPECT_GT(processed(extra[i]->url(), durable), 0)
        << "the extra " << durable << " instance did nothing";
  }
  await_workers_idle();
}

}  // namespace
}  // namespace choreo::testing
