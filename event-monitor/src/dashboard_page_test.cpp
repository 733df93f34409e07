#include <gtest/gtest.h>

#include "dashboard_assets.hpp"
#include "dashboard_page.hpp"

namespace choreo::event_monitor {
namespace {

http::HttpRequest get(const std::string& path) {
  http::HttpRequest request;
  request.method = "GET";
  request.path = path;
  request.target = path;
  return request;
}

const std::string* header(const http::HttpResponse& response, const std::string& name) {
  for (const auto& [field, value] : response.headers) {
    if (field == name)
      return &value;
  }
  return nullptr;
}

TEST(DashboardPage, ThePageAndItsFilesAreServedFromTheBinary) {
  http::Router router;
  mount_dashboard(router);
  const auto page = router.handle(get("/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/dashboard/dashboard.js"), std::string::npos);
  ASSERT_NE(header(page, "Content-Security-Policy"), nullptr);
  EXPECT_NE(header(page, "Content-Security-Policy")->find("default-src 'none'"), std::string::npos);

  const auto script = router.handle(get("/dashboard/dashboard.js"));
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(script.body.empty());
  EXPECT_EQ(router.handle(get("/dashboard/dashboard.css")).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(router.handle(get("/dashboard/none.js")).status, 404);
}

TEST(DashboardPage, ContentTypesByExtension) {
  EXPECT_EQ(content_type_of("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("x.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_of("x.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace choreo::event_monitor
