#include "http/http_server.hpp"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/health.hpp"
#include "http/metrics.hpp"

namespace choreo::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool keep_alive = false;

  std::string field(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "<missing>" : found->second;
  }
};

// A blocking loopback client. Every operation has a deadline, so a server bug fails the test
// instead of hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(io_) {
    stream_.socket().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  Reply request(const std::string& method, const std::string& target, const std::string& body = {},
                const std::map<std::string, std::string>& fields = {}) {
    bhttp::request<bhttp::string_body> message;
    message.method_string(method);
    message.target(target);
    message.version(11);
    message.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : fields) {
      message.set(name, value);
    }
    message.body() = body;
    message.prepare_payload();
    check(run([&](auto handler) { bhttp::async_write(stream_, message, handler); }), "write");
    return read_reply(method == "HEAD");
  }

  void send_raw(const std::string& bytes) {
    check(run([&](auto handler) { asio::async_write(stream_, asio::buffer(bytes), handler); }),
          "raw write");
  }

  Reply read_reply(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    check(run([&](auto handler) { bhttp::async_read(stream_, buffer_, parser, handler); }), "read");
    auto message = parser.release();
    Reply reply;
    reply.status = static_cast<int>(message.result_int());
    reply.body = message.body();
    reply.keep_alive = message.keep_alive();
    for (const auto& field : message) {
      reply.headers[to_lower_ascii(std::string(field.name_string()))] = std::string(field.value());
    }
    return reply;
  }

  // True if the server closes the connection within the deadline.
  bool closed_by_server(std::chrono::milliseconds deadline = 3s) {
    char byte = 0;
    const auto ec = run(
        [&](auto handler) { stream_.async_read_some(asio::buffer(&byte, 1), handler); }, deadline);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  template <typename Start>
  error_code run(Start start, std::chrono::milliseconds deadline = 5s) {
    error_code result = asio::error::timed_out;
    stream_.expires_after(deadline);
    start([this, &result](error_code ec, std::size_t) {
      result = ec;
      io_.stop();
    });
    io_.restart();
    io_.run();
    return result;
  }

  static void check(const error_code& ec, const char* what) {
    if (ec) {
      throw std::runtime_error(std::string("client ") + what + " failed: " + ec.message());
    }
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return predicate();
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    monitor_ = std::make_unique<HealthMonitor>(
        std::vector<ReadinessCheck>{{"database", [this] { return database_up_.load(); }}}, 10ms);
    monitor_->mount(router_);
    prometheus::BuildCounter()
        .Name("choreo_test_events_total")
        .Help("Events seen by the test.")
        .Register(*registry_)
        .Add({{"kind", "demo"}})
        .Increment(3);
    mount_metrics(router_, registry_);
    router_.post("/echo", [](const HttpRequest& request) {
      const auto* type = request.header("Content-Type");
      return HttpResponse::text(
          200, request.path + "|" + request.query + "|" + (type ? *type : "") + "|" + request.body);
    });
    router_.get("/slow", [this](const HttpRequest&) {
      slow_entered_ = true;
      std::this_thread::sleep_for(300ms);
      return HttpResponse::text(200, "finally");
    });
    monitor_->start();
    server_ = std::make_unique<HttpServer>(settings(), router_);
    server_->start();
  }

  void TearDown() override {
    server_->stop();
    monitor_->stop();
  }

  static HttpServerSettings settings() {
    HttpServerSettings s;
    s.host = "127.0.0.1";
    s.port = 0;
    s.body_limit = 1024;
    s.threads = 2;
    return s;
  }

  Router router_;
  std::atomic<bool> database_up_{false};
  std::atomic<bool> slow_entered_{false};
  std::unique_ptr<HealthMonitor> monitor_;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, BindsAnEphemeralPort) {
  EXPECT_NE(server_->port(), 0);
}

TEST_F(HttpServerTest, HealthzIsOk) {
  Client client(server_->port());
  const auto reply = client.request("GET", "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"status":"ok"})");
  EXPECT_EQ(reply.field("content-type"), "application/json");
}

TEST_F(HttpServerTest, ReadyzFollowsTheProbe) {
  Client client(server_->port());
  const auto first = client.request("GET", "/readyz");
  EXPECT_EQ(first.status, 503);

  database_up_ = true;
  Reply ready;
  ASSERT_TRUE(eventually([&] {
    ready = client.request("GET", "/readyz");
    return ready.status == 200;
  }));
  EXPECT_EQ(ready.body, R"({"status":"ready","checks":{"database":"ok"}})");

  database_up_ = false;
  Reply down;
  ASSERT_TRUE(eventually([&] {
    down = client.request("GET", "/readyz");
    return down.status == 503;
  }));
  EXPECT_EQ(down.body, R"({"status":"not ready","checks":{"database":"down"}})");
}

TEST_F(HttpServerTest, MetricsShowRegisteredAndProcessMetrics) {
  Client client(server_->port());
  const auto reply = client.request("GET", "/metrics");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.field("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(reply.body.find("choreo_test_events_total{kind=\"demo\"} 3"), std::string::npos)
      << reply.body;
  EXPECT_NE(reply.body.find("process_resident_memory_bytes "), std::string::npos);
  EXPECT_NE(reply.body.find("process_cpu_seconds_total "), std::string::npos);
  EXPECT_NE(reply.body.find("process_start_time_seconds "), std::string::npos);
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Client client(server_->port());
  EXPECT_EQ(client.request("GET", "/nowhere").status, 404);
  const auto reply = client.request("DELETE", "/healthz");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.field("allow"), "GET, HEAD");
}

TEST_F(HttpServerTest, PassesPathQueryHeadersAndBody) {
  Client client(server_->port());
  const auto reply = client.request("POST", "/echo?x=1&y=2", "hello", {{"Content-Type", "a/b"}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "/echo|x=1&y=2|a/b|hello");
}

TEST_F(HttpServerTest, TooLargeBodyIs413) {
  Client client(server_->port());
  const auto reply = client.request("POST", "/echo", std::string(4096, 'x'));
  EXPECT_EQ(reply.status, 413);
  EXPECT_FALSE(reply.keep_alive);
  // Exactly at the limit is fine.
  Client other(server_->port());
  EXPECT_EQ(other.request("POST", "/echo", std::string(1024, 'x')).status, 200);
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  Client client(server_->port());
  client.send_raw("GET /healthz HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
  const auto reply = client.read_reply();
  EXPECT_EQ(reply.status, 400);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(server_->port());
  const auto first = client.request("GET", "/healthz");
  EXPECT_EQ(first.status, 200);
  EXPECT_TRUE(first.keep_alive);
  const auto second = client.request("GET", "/metrics");
  EXPECT_EQ(second.status, 200);
  // Pipelined: both requests in one write, both answered in order.
  client.send_raw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 200);
  EXPECT_EQ(client.read_reply().status, 404);
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  Client client(server_->port());
  const auto reply = client.request("HEAD", "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.field("content-length"),
            std::to_string(std::string(R"({"status":"ok"})").size()));
  EXPECT_TRUE(reply.body.empty());
  // The connection is still in step: the next answer parses.
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  Client client(server_->port());
  const auto reply = client.request("GET", "/healthz", {}, {{"Connection", "close"}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_FALSE(reply.keep_alive);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, StopIsPromptAndClosesIdleConnections) {
  Client client(server_->port());
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);
  const auto begin = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
  EXPECT_TRUE(client.closed_by_server());
  server_->stop();  // idempotent
}

TEST_F(HttpServerTest, StopLetsARequestInProgressFinish) {
  auto reply = std::async(std::launch::async, [port = server_->port()] {
    Client client(port);
    return client.request("GET", "/slow");
  });
  ASSERT_TRUE(eventually([this] { return slow_entered_.load(); }));
  const auto begin = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  const auto answered = reply.get();
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.body, "finally");
  EXPECT_FALSE(answered.keep_alive);
}

TEST(HttpServerDrainTest, StopAbandonsRequestsPastTheDrainTimeout) {
  Router router;
  std::atomic<bool> entered{false};
  router.get("/stuck", [&entered](const HttpRequest&) {
    entered = true;
    std::this_thread::sleep_for(300ms);
    return HttpResponse::text(200, "late");
  });
  HttpServerSettings settings;
  settings.host = "127.0.0.1";
  settings.drain_timeout = 50ms;
  HttpServer server(settings, router);
  server.start();
  auto outcome = std::async(std::launch::async, [port = server.port()] {
    try {
      Client client(port);
      return client.request("GET", "/stuck").status;
    } catch (const std::exception&) {
      return -1;  // cut off: acceptable, as long as the client is not left hanging
    }
  });
  ASSERT_TRUE(eventually([&entered] { return entered.load(); }));
  const auto begin = std::chrono::steady_clock::now();
  server.stop();
  // stop() cannot interrupt a running handler, but it does not wait for anything else.
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1500ms);
  ASSERT_EQ(outcome.wait_for(2s), std::future_status::ready);
  const int status = outcome.get();
  EXPECT_TRUE(status == 200 || status == -1) << status;
}

// One I/O thread: were the blocking handler run on it, /healthz would wait for it to finish.
class WorkerDispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.get("/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok"); });
    router_.get(
        "/blocking",
        [this](const HttpRequest&) {
          entered_ = true;
          while (!released_.load()) {
            std::this_thread::sleep_for(1ms);
          }
          return HttpResponse::text(200, "done");
        },
        Dispatch::kWorkerThread);
    HttpServerSettings settings;
    settings.host = "127.0.0.1";
    settings.threads = 1;
    settings.worker_threads = 1;
    server_ = std::make_unique<HttpServer>(settings, router_);
    server_->start();
  }
  void TearDown() override {
    released_ = true;
    server_->stop();
  }

  std::future<Reply> call_blocking() {
    return std::async(std::launch::async, [port = server_->port()] {
      Client client(port);
      return client.request("GET", "/blocking");
    });
  }

  Router router_;
  std::atomic<bool> entered_{false};
  std::atomic<bool> released_{false};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WorkerDispatchTest, ABlockedWorkerDoesNotStallTheIoThread) {
  auto blocked = call_blocking();
  ASSERT_TRUE(eventually([this] { return entered_.load(); }));
  Client client(server_->port());
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);
  EXPECT_EQ(blocked.wait_for(0ms), std::future_status::timeout);  // still held by the handler
  released_ = true;
  const auto reply = blocked.get();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "done");
}

TEST_F(WorkerDispatchTest, StopLetsAWorkerRequestFinish) {
  auto blocked = call_blocking();
  ASSERT_TRUE(eventually([this] { return entered_.load(); }));
  auto stopping = std::async(std::launch::async, [this] { server_->stop(); });
  EXPECT_EQ(stopping.wait_for(50ms), std::future_status::timeout);  // waits for the request
  released_ = true;
  stopping.get();
  const auto reply = blocked.get();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "done");
  EXPECT_FALSE(reply.keep_alive);
}

TEST_F(HttpServerTest, BindFailureNamesTheAddress) {
  auto taken = settings();
  taken.port = server_->port();
  HttpServer second(taken, router_);
  try {
    second.start();
    FAIL() << "start() on a used port did not throw";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot listen on 127.0.0.1:" + std::to_string(server_->port()) +
                  ": Address already in use");
  }
}

TEST(HttpServerTimeoutTest, IdleConnectionIsClosed) {
  Router router;
  HttpServerSettings settings;
  settings.host = "127.0.0.1";
  settings.idle_timeout = 100ms;
  HttpServer server(settings, router);
  server.start();
  Client client(server.port());
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

TEST(HttpServerTimeoutTest, SlowRequestIsCut) {
  Router router;
  HttpServerSettings settings;
  settings.host = "127.0.0.1";
  settings.read_timeout = 100ms;
  HttpServer server(settings, router);
  server.start();
  Client client(server.port());
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  EXPECT_TRUE(client.closed_by_server(3s));
}

}  // namespace
}  // namespace choreo::http
