#include "dashboard_page.hpp"

#include "dashboard_assets.hpp"

namespace choreo::event_monitor {

std::string_view content_type_of(std::string_view name) {
  const auto ends_with = [&](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends_with(".html"))
    return "text/html; charset=utf-8";
  if (ends_with(".js"))
    return "text/javascript; charset=utf-8";
  if (ends_with(".css"))
    return "text/css; charset=utf-8";
  if (ends_with(".svg"))
    return "image/svg+xml";
  return "application/octet-stream";
}

namespace {

constexpr const char* kSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

http::HttpResponse asset_response(const DashboardAsset& asset) {
  http::HttpResponse response;
  response.content_type = std::string(content_type_of(asset.name));
  response.body = std::string(asset.content);
  // Revalidated on every load, so a new binary's page never meets an old cached script.
  response.with_header("Cache-Control", "no-cache")
      .with_header("Content-Security-Policy", kSecurityPolicy)
      .with_header("X-Content-Type-Options", "nosniff")
      .with_header("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace

void mount_dashboard(http::Router& router) {
  for (const auto& asset : dashboard_assets()) {
    const auto path =
        asset.name == "index.html" ? std::string("/") : "/dashboard/" + std::string(asset.name);
    router.get(path, [&asset](const http::HttpRequest&) { return asset_response(asset); });
  }
}

}  // namespace choreo::event_monitor
