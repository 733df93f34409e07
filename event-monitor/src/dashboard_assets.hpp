#pragma once

#include <span>
#include <string_view>

namespace choreo::event_monitor {

// One file of event-monitor/web, compiled in (cmake/EmbedFiles.cmake).
struct DashboardAsset {
  std::string_view name;  // "index.html", "dashboard.js", ...
  std::string_view content;
};

// Every file, in name order (generated).
std::span<const DashboardAsset> dashboard_assets();

// The Content-Type for a file name, by its extension.
std::string_view content_type_of(std::string_view name);

}  // namespace choreo::event_monitor
