#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace choreo::http {
namespace {

HttpRequest request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = path;
  r.target = std::move(path);
  return r;
}

std::string header_value(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "<missing>";
}

TEST(RouterTest, CallsTheHandlerOfTheMatchingRoute) {
  Router router;
  router.get("/hello",
             [](const HttpRequest& r) { return HttpResponse::text(200, "hi " + r.path); });
  router.post("/hello", [](const HttpRequest&) { return HttpResponse::json(201, "{}"); });

  const auto got = router.handle(request("GET", "/hello"));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "hi /hello");

  const auto posted = router.handle(request("POST", "/hello"));
  EXPECT_EQ(posted.status, 201);
  EXPECT_EQ(posted.content_type, "application/json");
}

TEST(RouterTest, UnknownPathIs404) {
  Router router;
  router.get("/hello", [](const HttpRequest&) { return HttpResponse::text(200, "hi"); });
  EXPECT_EQ(router.handle(request("GET", "/nope")).status, 404);
  // Matching is exact: no prefix or trailing-slash guessing.
  EXPECT_EQ(router.handle(request("GET", "/hello/")).status, 404);
}

TEST(RouterTest, KnownPathWithWrongMethodIs405WithAllow) {
  Router router;
  router.get("/thing", [](const HttpRequest&) { return HttpResponse::text(200, "x"); });
  router.add("PUT", "/thing", [](const HttpRequest&) { return HttpResponse::text(200, "x"); });

  const auto response = router.handle(request("DELETE", "/thing"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(header_value(response, "Allow"), "GET, HEAD, PUT");
}

TEST(RouterTest, HeadRunsTheGetHandler) {
  Router router;
  router.get("/thing", [](const HttpRequest&) { return HttpResponse::text(200, "body"); });
  const auto response = router.handle(request("HEAD", "/thing"));
  EXPECT_EQ(response.status, 200);
  // The transport drops the body; it needs it here to send the right Content-Length.
  EXPECT_EQ(response.body, "body");
}

TEST(RouterTest, ThrowingHandlerIs500WithoutLeakingTheMessage) {
  Router router;
  router.get("/boom", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("password=hunter2 in SELECT ...");
  });
  router.get("/odd", [](const HttpRequest&) -> HttpResponse { throw 42; });

  const auto response = router.handle(request("GET", "/boom"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(router.handle(request("GET", "/odd")).status, 500);
}

TEST(RouterTest, RejectsDuplicateAndMalformedRoutes) {
  Router router;
  router.get("/a", [](const HttpRequest&) { return HttpResponse{}; });
  EXPECT_THROW(router.get("/a", [](const HttpRequest&) { return HttpResponse{}; }),
               std::invalid_argument);
  EXPECT_THROW(router.get("a", [](const HttpRequest&) { return HttpResponse{}; }),
               std::invalid_argument);
  EXPECT_THROW(router.get("/b", Handler{}), std::invalid_argument);
}

TEST(RouterTest, RequestHeaderLookupIgnoresCase) {
  HttpRequest r;
  r.headers["content-type"] = "application/json";
  ASSERT_NE(r.header("Content-Type"), nullptr);
  EXPECT_EQ(*r.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(r.header("accept"), nullptr);
}

TEST(RouterTest, DispatchFollowsTheRouteAndHeadFallsBackToGet) {
  Router router;
  router.get(
      "/a", [](const HttpRequest&) { return HttpResponse::text(200, "a"); },
      Dispatch::kWorkerThread);
  router.post("/a", [](const HttpRequest&) { return HttpResponse::text(200, "a"); });
  EXPECT_EQ(router.dispatch_for(request("GET", "/a")), Dispatch::kWorkerThread);
  EXPECT_EQ(router.dispatch_for(request("HEAD", "/a")), Dispatch::kWorkerThread);
  EXPECT_EQ(router.dispatch_for(request("POST", "/a")), Dispatch::kInline);
  EXPECT_EQ(router.dispatch_for(request("PUT", "/a")), Dispatch::kInline);  // a 405
  EXPECT_EQ(router.dispatch_for(request("GET", "/b")), Dispatch::kInline);  // a 404
}

}  // namespace
}  // namespace choreo::http
