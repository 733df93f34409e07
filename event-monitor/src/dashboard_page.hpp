#pragma once

#include "http/router.hpp"

namespace choreo::event_monitor {

// Serves the dashboard: GET / answers the page (index.html) and /dashboard/<file> the rest of
// event-monitor/web. Anyone may load them: they hold no data, only the sign-in and the code that
// asks the operator API and the live stream (which need the operator's token) for it. The
// Content-Security-Policy lets the page load nothing but its own files and talk to nothing but
// this server.
void mount_dashboard(http::Router& router);

}  // namespace choreo::event_monitor
