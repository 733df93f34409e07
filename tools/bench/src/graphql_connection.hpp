#pragma once

#include <utility>  // before awaitable.hpp: Boost 1.74 uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace choreo::bench {

// Where GraphQL requests go: GRAPHQL_URL resolved once, so a new connection costs no lookup.
struct GraphqlEndpoint {
  boost::asio::ip::tcp::endpoint address;
  std::string host_header;  // host:port, as the URL spells it
  std::string target;       // the path, e.g. /graphql
  std::string authorization;
};

// http://HOST:PORT/PATH only (the stack serves plain HTTP on 127.0.0.1).
GraphqlEndpoint resolve_graphql_endpoint(std::string_view url, const std::string& token);

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

// One keep-alive HTTP/1.1 connection, one request at a time, like a client's. Connects on first
// use and again after the server closed it; a request that finds a kept-alive connection closed
// under it is sent once more on a new one (every request the bench sends is safe to repeat:
// createOrder with the same identifier returns the same order).
class GraphqlConnection {
 public:
  GraphqlConnection(boost::asio::io_context& io, const GraphqlEndpoint& endpoint,
                    std::chrono::milliseconds timeout);
  ~GraphqlConnection();
  GraphqlConnection(const GraphqlConnection&) = delete;
  GraphqlConnection& operator=(const GraphqlConnection&) = delete;

  // POSTs a GraphQL request body (JSON); throws boost::system::system_error on a transport
  // failure. Any HTTP status is a reply.
  boost::asio::awaitable<HttpReply> post(std::string body);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace choreo::bench
