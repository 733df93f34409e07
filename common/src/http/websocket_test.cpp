#include "http/websocket.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.hpp"
#include "http/router.hpp"

namespace choreo::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

// A blocking loopback WebSocket client: each call runs the I/O until its operation completes or a
// deadline passes (a timed-out read stays pending for the next call).
class Client {
 public:
  Client(std::uint16_t port, const std::string& protocol, int receive_buffer = 0) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    if (receive_buffer > 0)
      socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator([protocol](websocket::request_type& request) {
      if (!protocol.empty())
        request.set(beast::http::field::sec_websocket_protocol, protocol);
    }));
    bool done = false;
    ws_.async_handshake(response_, "127.0.0.1", "/ws", [&](error_code ec) {
      handshake_error_ = ec;
      done = true;
    });
    run_until([&] { return done; }, 5s);
  }

  bool upgraded() const { return !handshake_error_ && response_.result_int() == 101; }
  unsigned status() const { return response_.result_int(); }
  std::string response_field(beast::http::field field) const {
    return std::string(response_[field]);
  }

  void send(const std::string& text, bool binary = false) {
    ws_.binary(binary);
    bool done = false;
    ws_.async_write(asio::buffer(text), [&](error_code, std::size_t) { done = true; });
    run_until([&] { return done; }, 5s);
  }

  std::optional<std::string> receive(std::chrono::milliseconds deadline = 5s) {
    if (closed_)
      return std::nullopt;
    if (!reading_) {
      reading_ = true;
      read_done_ = false;
      ws_.async_read(buffer_, [this](error_code ec, std::size_t) {
        read_error_ = ec;
        read_done_ = true;
      });
    }
    if (!run_until([this] { return read_done_; }, deadline))
      return std::nullopt;
    reading_ = false;
    if (read_error_) {
      closed_ = true;
      close_code_ = read_error_ == websocket::error::closed ? ws_.reason().code : 1006;
      close_reason_ = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
      return std::nullopt;
    }
    auto text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return text;
  }

  // The close code once the server closed (-1 if it did not within the deadline).
  int await_close(std::chrono::milliseconds deadline = 5s) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!closed_ && std::chrono::steady_clock::now() < end) {
      receive(std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now()));
    }
    return closed_ ? close_code_ : -1;
  }

  const std::string& close_reason() const { return close_reason_; }

 private:
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    io_.restart();
    while (!done() && std::chrono::steady_clock::now() < end) {
      io_.run_one_until(end);
      if (io_.stopped())
        io_.restart();
    }
    return done();
  }

  asio::io_context io_;
  websocket::stream<beast::tcp_stream> ws_{io_};
  websocket::response_type response_;
  error_code handshake_error_;
  beast::flat_buffer buffer_;
  bool reading_ = false;
  bool read_done_ = false;
  error_code read_error_;
  bool closed_ = false;
  int close_code_ = 0;
  std::string close_reason_;
};

// Echoes text; "close:<code>" closes with that code; "flood:<n>" sends n 1 KiB messages;
// says "bye" when the server stops.
class EchoHandler : public WebSocketHandler {
 public:
  EchoHandler(std::shared_ptr<WebSocketConnection> connection, std::atomic<int>& closed)
      : connection_(std::move(connection)), closed_(closed) {}

  void on_open() override { connection_->send_text("hello " + connection_->subprotocol()); }
  void on_message(std::string message) override {
    if (message.rfind("close:", 0) == 0) {
      connection_->close(static_cast<std::uint16_t>(std::stoi(message.substr(6))), "asked to");
    } else if (message.rfind("flood:", 0) == 0) {
      const int count = std::stoi(message.substr(6));
      // From another thread, as an application answers from its workers.
      std::thread([connection = connection_, count] {
        for (int i = 0; i < count; ++i) {
          if (!connection->send_text(std::string(1024, 'x')))
            break;
        }
      }).detach();
    } else {
      connection_->send_text(message);
    }
  }
  void on_shutdown() override { connection_->send_text("bye"); }
  void on_close() override { ++closed_; }

 private:
  std::shared_ptr<WebSocketConnection> connection_;
  std::atomic<int>& closed_;
};

class WebSocketServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WebSocketRoute route;
    route.subprotocols = {"echo-v2", "echo-v1"};
    route.limits.message_limit = 2048;
    route.limits.send_queue_limit = 64 * 1024;
    route.limits.handshake_timeout = 2s;
    route.factory = [this](const HttpRequest& request,
                           std::shared_ptr<WebSocketConnection> connection) {
      upgrade_path_ = request.path;
      return std::make_shared<EchoHandler>(std::move(connection), closed_);
    };
    router_.websocket("/ws", std::move(route));
    router_.get("/ws", [](const HttpRequest&) { return HttpResponse::text(200, "plain"); });
    HttpServerSettings settings;
    settings.host = "127.0.0.1";
    settings.threads = 2;
    settings.drain_timeout = 3s;
    server_ = std::make_unique<HttpServer>(settings, router_);
    server_->start();
  }

  void TearDown() override { server_->stop(); }

  Router router_;
  std::atomic<int> closed_{0};
  std::string upgrade_path_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WebSocketServerTest, NegotiatesTheSubprotocolAndEchoes) {
  Client client(server_->port(), "echo-v1, echo-v2");
  ASSERT_TRUE(client.upgraded());
  EXPECT_EQ(client.response_field(beast::http::field::sec_websocket_protocol), "echo-v2");
  EXPECT_EQ(client.receive(), "hello echo-v2");
  client.send("ping me");
  EXPECT_EQ(client.receive(), "ping me");
  EXPECT_EQ(upgrade_path_, "/ws");
}

TEST_F(WebSocketServerTest, RefusesAnUnsupportedSubprotocol) {
  Client other(server_->port(), "chat");
  EXPECT_FALSE(other.upgraded());
  EXPECT_EQ(other.status(), 400u);
  Client none(server_->port(), "");
  EXPECT_EQ(none.status(), 400u);
}

TEST_F(WebSocketServerTest, HandlerCloseReachesTheClientWithItsCode) {
  Client client(server_->port(), "echo-v1");
  ASSERT_EQ(client.receive(), "hello echo-v1");
  client.send("close:4401");
  EXPECT_EQ(client.await_close(), 4401);
  EXPECT_EQ(client.close_reason(), "asked to");
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (closed_.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(closed_.load(), 1) << "the handler heard of the end";
}

TEST_F(WebSocketServerTest, TooLargeMessageIs1009AndBinaryIs1003) {
  Client big(server_->port(), "echo-v1");
  ASSERT_TRUE(big.receive());
  big.send(std::string(4096, 'a'));
  // Beast 1.74 answers 1009, then closes the socket with the rest of the message unread (its
  // teardown stops draining early), so the reset may overtake the close frame: 1009 or 1006.
  const int code = big.await_close();
  EXPECT_TRUE(code == 1009 || code == 1006) << code;

  Client binary(server_->port(), "echo-v1");
  ASSERT_TRUE(binary.receive());
  binary.send("\x01\x02", true);
  EXPECT_EQ(binary.await_close(), 1003);
}

TEST_F(WebSocketServerTest, SlowReaderIsClosedWith1008) {
  Client slow(server_->port(), "echo-v1", 4096);
  ASSERT_TRUE(slow.receive());
  slow.send("flood:5000");  // 5 MB against a 64 KiB queue and a small socket buffer
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(slow.await_close(10s), 1008);
  EXPECT_EQ(slow.close_reason(), "client reads too slowly");

  Client fast(server_->port(), "echo-v1");
  ASSERT_TRUE(fast.receive());
  fast.send("still here");
  EXPECT_EQ(fast.receive(), "still here");
}

TEST_F(WebSocketServerTest, StopSaysGoodbyeAndClosesWith1001) {
  Client client(server_->port(), "echo-v1");
  ASSERT_TRUE(client.receive());
  auto stopping = std::async(std::launch::async, [this] { server_->stop(); });
  EXPECT_EQ(client.receive(), "bye");
  EXPECT_EQ(client.await_close(), 1001);
  EXPECT_EQ(client.close_reason(), "server shutting down");
  stopping.get();
  EXPECT_EQ(closed_.load(), 1);
}

TEST_F(WebSocketServerTest, PlainRequestsOnTheSamePathStillWork) {
  // Beast's HTTP client is not needed: a WebSocket handshake without Upgrade is a plain GET.
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  const std::string request = "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  asio::write(stream, asio::buffer(request));
  std::string reply;
  error_code ec;
  char chunk[512];
  for (;;) {
    const auto n = stream.socket().read_some(asio::buffer(chunk), ec);
    reply.append(chunk, n);
    if (ec)
      break;
  }
  EXPECT_NE(reply.find("200 OK"), std::string::npos) << reply;
  EXPECT_NE(reply.find("plain"), std::string::npos) << reply;
}

TEST(WebSocketHelpersTest, ChooseSubprotocol) {
  const std::vector<std::string> supported{"graphql-transport-ws"};
  const std::string offered = "graphql-ws, graphql-transport-ws";
  EXPECT_EQ(choose_subprotocol(&offered, supported), "graphql-transport-ws");
  const std::string legacy = "graphql-ws";
  EXPECT_EQ(choose_subprotocol(&legacy, supported), std::nullopt);
  EXPECT_EQ(choose_subprotocol(nullptr, supported), std::nullopt);
  EXPECT_EQ(choose_subprotocol(&legacy, {}), "");
}

TEST(WebSocketHelpersTest, CloseReasonFitsAFrame) {
  EXPECT_EQ(close_reason_for_frame("short"), "short");
  const std::string long_reason(200, 'a');
  EXPECT_EQ(close_reason_for_frame(long_reason).size(), 123u);
  // 61 two-byte characters are 122 bytes; the 62nd would straddle the limit and is dropped whole.
  std::string accents;
  for (int i = 0; i < 70; ++i)
    accents += "\xC3\xA9";
  EXPECT_EQ(close_reason_for_frame(accents).size(), 122u);
}

TEST(WebSocketRouterTest, RejectsDuplicatesAndMissingFactories) {
  Router router;
  WebSocketRoute route;
  EXPECT_THROW(router.websocket("/ws", route), std::invalid_argument);
  route.factory = [](const HttpRequest&, std::shared_ptr<WebSocketConnection>) {
    return std::shared_ptr<WebSocketHandler>();
  };
  router.websocket("/ws", route);
  EXPECT_THROW(router.websocket("/ws", route), std::invalid_argument);
  EXPECT_NE(router.websocket_route("/ws"), nullptr);
  EXPECT_EQ(router.websocket_route("/other"), nullptr);
}

}  // namespace
}  // namespace choreo::http
