#include "scenarios.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "order_watcher.hpp"

namespace choreo::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kRequestTimeout = 30s;
// A closed-loop client that got an error waits this long before its next request, so a broken
// service is not hammered in a tight loop.
constexpr auto kErrorPause = 100ms;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

double milliseconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The bench's identifiers and SKUs use only [A-Za-z0-9-], so they need no JSON escaping.
std::string create_order_body(const std::string& identifier, const std::string& sku) {
  return R"({"query":"mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }",)"
         R"("variables":{"input":{"identifier":")" +
         identifier + R"(","total":"1.00","items":[{"sku":")" + sku +
         R"(","quantity":1}],"shippingAddress":"1 Benchmark Road"}}})";
}

std::string read_order_body(const std::string& id) {
  return R"({"query":"query($id: ID!) { order(id: $id) { id status total )"
         R"(items { sku quantity unitPrice } payment { id amount status } )"
         R"(shipment { carrier trackingNumber labelId } } }","variables":{"id":")" +
         id + R"("}})";
}

// The new order's id from a createOrder reply, without parsing the whole document: the bench
// shares the machine's two cores with what it measures, so it keeps its own work small.
std::optional<std::string> created_order_id(const HttpReply& reply) {
  if (reply.status != 200 || reply.body.find("\"errors\"") != std::string::npos)
    return std::nullopt;
  const auto field = reply.body.find("\"createOrder\"");
  if (field == std::string::npos)
    return std::nullopt;
  const auto key = reply.body.find("\"id\"", field);
  if (key == std::string::npos)
    return std::nullopt;
  const auto open = reply.body.find('"', reply.body.find(':', key) + 1);
  const auto close = open == std::string::npos ? open : reply.body.find('"', open + 1);
  if (close == std::string::npos)
    return std::nullopt;
  return reply.body.substr(open + 1, close - open - 1);
}

bool is_order_read(const HttpReply& reply) {
  return reply.status == 200 && reply.body.find("\"errors\"") == std::string::npos &&
         reply.body.find("\"order\":{") != std::string::npos;
}

std::string describe_reply(const HttpReply& reply) {
  return "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300);
}

std::map<std::string, double> cpu_since(const std::map<std::string, double>& before,
                                        const std::map<std::string, double>& after) {
  std::map<std::string, double> spent;
  for (const auto& [name, seconds] : after) {
    if (const auto earlier = before.find(name); earlier != before.end())
      spent[name] = seconds - earlier->second;
  }
  return spent;
}

asio::awaitable<void> pause(Clock::duration how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(how_long);
  co_await timer.async_wait(asio::use_awaitable);
}

// One progress line a second on stderr while the load runs.
struct ProgressLine {
  std::string scenario;
  Clock::time_point start;
  double total_seconds = 0;
  const char* orders_verb = "created";  // what `orders` counts: created or sent
  const long long* orders = nullptr;    // so far (null: a read scenario)
  const long long* requests = nullptr;
  const OrderWatcher* watcher = nullptr;
  int active = 0;  // clients (and schedulers) still running; the line stops with the last
};

// Counts a coroutine as active for the progress line while it lives.
class Active {
 public:
  explicit Active(ProgressLine& line) : line_(line) { ++line_.active; }
  ~Active() { --line_.active; }
  Active(const Active&) = delete;
  Active& operator=(const Active&) = delete;

 private:
  ProgressLine& line_;
};

asio::awaitable<void> report_progress(ProgressLine& line) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = line.start;
  while (line.active > 0) {
    next += 1s;
    timer.expires_at(next);
    co_await timer.async_wait(asio::use_awaitable);
    if (line.active == 0)
      break;
    const auto elapsed = seconds_between(line.start, Clock::now());
    if (line.orders != nullptr) {
      std::fprintf(stderr, "  [%s] %4.0f/%.0f s  orders %s %lld, terminal %lld\n",
                   line.scenario.c_str(), elapsed, line.total_seconds, line.orders_verb,
                   *line.orders, line.watcher ? line.watcher->terminal() : 0LL);
    } else {
      std::fprintf(stderr, "  [%s] %4.0f/%.0f s  requests %lld\n", line.scenario.c_str(), elapsed,
                   line.total_seconds, *line.requests);
    }
  }
}

struct DrainOutcome {
  bool drained = false;
  Clock::time_point finished;
  OrderProgress progress;
};

// Waits (polling every 100 ms, each poll reading only the orders not yet known to be over) until
// every order above the watermark, and at least `expected` of them, has reached a terminal state.
DrainOutcome wait_until_terminal(BenchDatabase& database, const std::string& scenario,
                                 long long watermark, long long expected,
                                 std::chrono::seconds timeout) {
  const auto start = Clock::now();
  auto next_line = start + 1s;
  DrainOutcome outcome;
  DrainProgress progress(watermark);
  while (true) {
    outcome.progress = progress.read(database);
    outcome.finished = Clock::now();
    const auto& p = outcome.progress;
    if (p.terminal == p.total && p.total >= expected) {
      outcome.drained = true;
      return outcome;
    }
    if (outcome.finished - start >= timeout)
      return outcome;
    if (outcome.finished >= next_line) {
      std::fprintf(stderr, "  [%s] draining %4.0f s  terminal %lld/%lld\n", scenario.c_str(),
                   seconds_between(start, outcome.finished), p.terminal,
                   std::max(p.total, expected));
      next_line += 1s;
    }
    std::this_thread::sleep_for(100ms);
  }
}

// --- saturation ----------------------------------------------------------------------------

struct SaturationState {
  Clock::time_point end;
  long long created = 0;
  Clock::time_point last_response;
  RequestErrors errors;
  std::vector<double> latencies;
  std::vector<std::string> ids;
};

asio::awaitable<void> saturation_client(ScenarioContext& context, SaturationState& state,
                                        ProgressLine& progress, int client) {
  const Active active(progress);
  GraphqlConnection connection(context.io, context.endpoint, kRequestTimeout);
  const auto prefix = "bench-" + context.run_id + "-s" + std::to_string(client) + "-";
  for (std::size_t n = 0; Clock::now() < state.end; ++n) {
    const auto& sku = context.skus[(static_cast<std::size_t>(client) + n) % context.skus.size()];
    const auto sent = Clock::now();
    bool failed = false;
    try {
      auto reply = co_await connection.post(create_order_body(prefix + std::to_string(n), sku));
      const auto received = Clock::now();
      if (auto id = created_order_id(reply)) {
        ++state.created;
        state.latencies.push_back(milliseconds_between(sent, received));
        state.ids.push_back(std::move(*id));
        state.last_response = std::max(state.last_response, received);
      } else {
        state.errors.add(describe_reply(reply));
        failed = true;
      }
    } catch (const std::exception& error) {
      state.errors.add(error.what());
      failed = true;
    }
    if (failed)
      co_await pause(kErrorPause);
  }
}

}  // namespace

SaturationResult run_saturation(ScenarioContext& context) {
  const auto& options = context.options;
  const auto marks = context.database.watermarks();
  OrderWatcher watcher(options.database_url, marks.orders, 500ms);
  SaturationResult result;
  result.clients = options.saturation_clients;

  const auto cpu_before = context.monitor.cpu_seconds();
  SaturationState state;
  const auto start = Clock::now();
  state.end = start + options.saturation_duration;
  state.last_response = start;
  ProgressLine progress{
      "saturation", start,          static_cast<double>(options.saturation_duration.count()),
      "created",    &state.created, nullptr,
      &watcher};
  for (int client = 0; client < options.saturation_clients; ++client) {
    asio::co_spawn(
        context.io,
        [&context, &state, &progress, client]() {
          return saturation_client(context, state, progress, client);
        },
        asio::detached);
  }
  asio::co_spawn(
      context.io, [&progress]() { return report_progress(progress); }, asio::detached);
  // Returns once the clients stopped at the end of the window (and the progress line after them).
  context.io.run();
  context.io.restart();
  const auto load_ended = Clock::now();

  const auto in_window = context.database.progress(marks.orders);
  result.window_seconds = seconds_between(start, load_ended);
  result.created = state.created;
  result.errors = state.errors;
  result.created_per_second = static_cast<double>(state.created) / result.window_seconds;
  result.terminal_in_window_per_second =
      static_cast<double>(in_window.terminal) / result.window_seconds;

  const auto drain = wait_until_terminal(context.database, "saturation", marks.orders,
                                         state.created, options.drain_timeout);
  result.drained = drain.drained;
  result.shipped = drain.progress.shipped;
  result.failed = drain.progress.failed;
  if (drain.drained) {
    result.drain_seconds = seconds_between(state.last_response, drain.finished);
    result.terminal_per_second =
        static_cast<double>(drain.progress.total) / seconds_between(start, drain.finished);
  }
  result.cpu_seconds = cpu_since(cpu_before, context.monitor.cpu_seconds());
  result.create_latency = summarize_latencies(std::move(state.latencies));
  result.order_ids = std::move(state.ids);
  return result;
}

// --- latency (open loop) -------------------------------------------------------------------

namespace {

// Past this many connections an open loop stops opening more and its due requests queue for a
// free one (still timed from when they were due): an overloaded service would otherwise be
// flooded with connections until it refuses them (its limit is 1,024).
constexpr std::size_t kMaxOpenLoopConnections = 256;

struct OpenLoopState {
  std::vector<std::unique_ptr<GraphqlConnection>> idle;  // kept-alive connections not in use
  std::size_t connections = 0;
  long long sent = 0;
  long long created = 0;
  RequestErrors errors;
  std::vector<double> latencies;
  std::map<std::string, double> due_unix_seconds;  // by order identifier
};

asio::awaitable<void> send_due_order(ScenarioContext& context, OpenLoopState& state,
                                     ProgressLine& progress, std::string identifier,
                                     std::string sku, Clock::time_point due) {
  const Active active(progress);
  // A request that finds no free connection opens one, as a new client would (up to a limit).
  while (state.idle.empty() && state.connections >= kMaxOpenLoopConnections)
    co_await pause(1ms);
  std::unique_ptr<GraphqlConnection> connection;
  if (state.idle.empty()) {
    connection = std::make_unique<GraphqlConnection>(context.io, context.endpoint, kRequestTimeout);
    ++state.connections;
  } else {
    connection = std::move(state.idle.back());
    state.idle.pop_back();
  }
  try {
    auto reply = co_await connection->post(create_order_body(identifier, sku));
    if (created_order_id(reply)) {
      ++state.created;
      // From when the request was due, not when it went out: a late send is part of the wait.
      state.latencies.push_back(milliseconds_between(due, Clock::now()));
    } else {
      state.errors.add(describe_reply(reply));
    }
  } catch (const std::exception& error) {
    state.errors.add(error.what());
  }
  state.idle.push_back(std::move(connection));
}

asio::awaitable<void> open_loop(ScenarioContext& context, OpenLoopState& state,
                                ProgressLine& progress, Clock::time_point start, long long count) {
  const Active active(progress);
  const auto wall_start = std::chrono::system_clock::now();
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / context.options.latency_rate));
  const auto prefix = "bench-" + context.run_id + "-l-";
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (long long i = 0; i < count; ++i) {
    const auto due = start + period * i;
    timer.expires_at(due);
    co_await timer.async_wait(asio::use_awaitable);
    auto identifier = prefix + std::to_string(i);
    const auto wall_due =
        wall_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(due - start);
    state.due_unix_seconds[identifier] =
        std::chrono::duration<double>(wall_due.time_since_epoch()).count();
    const auto& sku = context.skus[static_cast<std::size_t>(i) % context.skus.size()];
    ++state.sent;
    asio::co_spawn(
        context.io,
        [&context, &state, &progress, identifier = std::move(identifier), sku, due]() {
          return send_due_order(context, state, progress, identifier, sku, due);
        },
        asio::detached);
  }
}

}  // namespace

LatencyResult run_latency(ScenarioContext& context) {
  const auto& options = context.options;
  const auto marks = context.database.watermarks();
  OrderWatcher watcher(options.database_url, marks.orders, 500ms);
  LatencyResult result;
  result.rate = options.latency_rate;
  const long long count = static_cast<long long>(options.latency_rate) *
                          static_cast<long long>(options.latency_duration.count());

  const auto cpu_before = context.monitor.cpu_seconds();
  OpenLoopState state;
  const auto start = Clock::now();
  ProgressLine progress{
      "latency", start,       static_cast<double>(options.latency_duration.count()),
      "sent",    &state.sent, nullptr,
      &watcher};
  asio::co_spawn(
      context.io,
      [&context, &state, &progress, start, count]() {
        return open_loop(context, state, progress, start, count);
      },
      asio::detached);
  asio::co_spawn(
      context.io, [&progress]() { return report_progress(progress); }, asio::detached);
  context.io.run();
  context.io.restart();
  const auto load_ended = Clock::now();
  state.idle.clear();

  result.window_seconds = seconds_between(start, load_ended);
  result.sent = state.sent;
  result.created = state.created;
  result.errors = state.errors;
  result.achieved_rate =
      static_cast<double>(state.created) / static_cast<double>(options.latency_duration.count());
  result.create_latency = summarize_latencies(std::move(state.latencies));

  const auto drain = wait_until_terminal(context.database, "latency", marks.orders, state.created,
                                         options.drain_timeout);
  result.drained = drain.drained;
  result.cpu_seconds = cpu_since(cpu_before, context.monitor.cpu_seconds());
  // The event monitor records events.order.shipped on its own schedule; wait for it.
  const auto logged_by = Clock::now() + 60s;
  while (context.database.shipped_events_logged(marks.orders) < drain.progress.shipped &&
         Clock::now() < logged_by) {
    std::this_thread::sleep_for(100ms);
  }
  std::vector<double> shipped;
  for (const auto& [identifier, recorded] : context.database.shipped_recorded_at(marks.orders)) {
    if (const auto due = state.due_unix_seconds.find(identifier);
        due != state.due_unix_seconds.end()) {
      shipped.push_back((recorded - due->second) * 1000.0);
    }
  }
  result.shipped_measured = static_cast<long long>(shipped.size());
  result.shipped_latency = summarize_latencies(std::move(shipped));
  return result;
}

// --- reads ---------------------------------------------------------------------------------

namespace {

struct ReadState {
  Clock::time_point end;
  long long requests = 0;
  RequestErrors errors;
  std::vector<double> latencies;
};

asio::awaitable<void> read_client(ScenarioContext& context, ReadState& state,
                                  ProgressLine& progress, const std::vector<std::string>& ids,
                                  int client) {
  const Active active(progress);
  GraphqlConnection connection(context.io, context.endpoint, kRequestTimeout);
  // A small per-client generator (xorshift) spreads the reads over the orders.
  std::uint64_t seed = 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(client + 1);
  while (Clock::now() < state.end) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    const auto& id = ids[seed % ids.size()];
    const auto sent = Clock::now();
    bool failed = false;
    try {
      const auto reply = co_await connection.post(read_order_body(id));
      if (is_order_read(reply)) {
        ++state.requests;
        state.latencies.push_back(milliseconds_between(sent, Clock::now()));
      } else {
        state.errors.add(describe_reply(reply));
        failed = true;
      }
    } catch (const std::exception& error) {
      state.errors.add(error.what());
      failed = true;
    }
    if (failed)
      co_await pause(kErrorPause);
  }
}

}  // namespace

ReadResult run_reads(ScenarioContext& context, const std::vector<std::string>& order_ids) {
  const auto& options = context.options;
  ReadResult result;
  result.clients = options.read_clients;
  if (order_ids.empty()) {
    result.errors.add("no orders to read (the saturation scenario created none)");
    return result;
  }
  ReadState state;
  const auto start = Clock::now();
  state.end = start + options.read_duration;
  ProgressLine progress{"reads", start,   static_cast<double>(options.read_duration.count()),
                        "",      nullptr, &state.requests,
                        nullptr};
  for (int client = 0; client < options.read_clients; ++client) {
    asio::co_spawn(
        context.io,
        [&context, &state, &progress, &order_ids, client]() {
          return read_client(context, state, progress, order_ids, client);
        },
        asio::detached);
  }
  asio::co_spawn(
      context.io, [&progress]() { return report_progress(progress); }, asio::detached);
  context.io.run();
  context.io.restart();
  result.window_seconds = seconds_between(start, Clock::now());
  result.requests = state.requests;
  result.errors = state.errors;
  result.requests_per_second =
      static_cast<double>(state.requests) / seconds_between(start, state.end);
  result.latency = summarize_latencies(std::move(state.latencies));
  return result;
}

}  // namespace choreo::bench
