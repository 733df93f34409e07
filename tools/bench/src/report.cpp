#include "report.hpp"

#include <cstdio>

namespace choreo::bench {
namespace {

std::string format(const char* pattern, auto... values) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, pattern, values...);
  return buffer;
}

std::string percentiles(const LatencySummary& s) {
  return format("p50 %.1f / p95 %.1f / p99 %.1f / max %.1f ms", s.p50, s.p95, s.p99, s.max);
}

std::string errors_text(const RequestErrors& errors) {
  if (errors.count == 0)
    return "errors 0";
  return format("errors %lld (first: %s)", errors.count, errors.first.substr(0, 160).c_str());
}

nlohmann::json to_json(const LatencySummary& s) {
  return {{"count", s.count},
          {"p50_ms", s.p50},
          {"p95_ms", s.p95},
          {"p99_ms", s.p99},
          {"max_ms", s.max}};
}

nlohmann::json to_json(const RequestErrors& errors) {
  return {{"count", errors.count}, {"first", errors.first}};
}

double round2(double value) {
  return static_cast<double>(static_cast<long long>(value * 100.0 + 0.5)) / 100.0;
}

nlohmann::json rounded(const std::map<std::string, double>& values) {
  auto object = nlohmann::json::object();
  for (const auto& [name, value] : values)
    object[name] = round2(value);
  return object;
}

double total_of(const std::map<std::string, double>& values) {
  double total = 0;
  for (const auto& [name, value] : values)
    total += value;
  return total;
}

}  // namespace

std::string saturation_line(const SaturationResult& r) {
  auto line = format(
      "saturation: %d clients for %.1f s: created %lld orders (%.1f/s); terminal %.1f/s from the "
      "first createOrder to the last terminal state (%.1f/s during the load); ",
      r.clients, r.window_seconds, r.created, r.created_per_second, r.terminal_per_second,
      r.terminal_in_window_per_second);
  if (r.drained) {
    line += format("last createOrder -> last terminal %.2f s; ", r.drain_seconds);
  } else {
    line += "NOT DRAINED (some orders never reached a terminal state); ";
  }
  return line + format("shipped %lld, failed %lld; createOrder ", r.shipped, r.failed) +
         percentiles(r.create_latency) + "; " + errors_text(r.errors);
}

std::string latency_line(const LatencyResult& r) {
  return format(
             "latency: open loop at %d orders/s for %.0f s (%lld sent, %lld created, "
             "%.1f/s): createOrder ",
             r.rate, static_cast<double>(r.sent) / r.rate, r.sent, r.created, r.achieved_rate) +
         percentiles(r.create_latency) + "; createOrder->shipped " +
         percentiles(r.shipped_latency) +
         format(" (%lld orders; from events.order.shipped's recorded_at in tb_event_log)%s; ",
                r.shipped_measured, r.drained ? "" : "; NOT DRAINED") +
         errors_text(r.errors);
}

std::string reads_line(const ReadResult& r) {
  return format(
             "reads: order(id) with items, payment and shipment, %d clients for %.1f s: "
             "%lld requests, %.0f req/s; ",
             r.clients, r.window_seconds, r.requests, r.requests_per_second) +
         percentiles(r.latency) + "; " + errors_text(r.errors);
}

std::map<std::string, double> cpu_per_thousand_orders(const std::map<std::string, double>& cpu,
                                                      long long orders) {
  std::map<std::string, double> per_thousand;
  if (orders <= 0)
    return per_thousand;
  for (const auto& [name, seconds] : cpu)
    per_thousand[name] = seconds * 1000.0 / static_cast<double>(orders);
  return per_thousand;
}

std::string resources_line(const BenchReport& report) {
  std::string line = "resources: peak RSS";
  for (const auto& [name, kib] : report.peak_rss_kib)
    line += format(" %s %.1f MB,", name.c_str(), static_cast<double>(kib) / 1024.0);
  line.back() = ';';
  const auto& s = report.saturation;
  const auto per_thousand = cpu_per_thousand_orders(s.cpu_seconds, s.shipped + s.failed);
  line += " CPU s per 1,000 orders (saturation, load + drain):";
  for (const auto& [name, seconds] : per_thousand)
    line += format(" %s %.2f,", name.c_str(), seconds);
  line += format(" all %.2f", total_of(per_thousand));
  return line;
}

nlohmann::json to_json(const BenchReport& report) {
  const auto& s = report.saturation;
  const auto& l = report.latency;
  const auto& r = report.reads;
  auto rss_mb = nlohmann::json::object();
  for (const auto& [name, kib] : report.peak_rss_kib)
    rss_mb[name] = round2(static_cast<double>(kib) / 1024.0);
  nlohmann::json json = {
      {"run_id", report.run_id},
      {"quick", report.quick},
      {"saturation",
       {{"clients", s.clients},
        {"window_s", round2(s.window_seconds)},
        {"created", s.created},
        {"created_per_s", round2(s.created_per_second)},
        {"terminal_per_s", round2(s.terminal_per_second)},
        {"terminal_during_load_per_s", round2(s.terminal_in_window_per_second)},
        {"last_create_to_last_terminal_s",
         s.drained ? nlohmann::json(round2(s.drain_seconds)) : nlohmann::json(nullptr)},
        {"drained", s.drained},
        {"shipped", s.shipped},
        {"failed", s.failed},
        {"create_latency", to_json(s.create_latency)},
        {"errors", to_json(s.errors)}}},
      {"latency",
       {{"rate_per_s", l.rate},
        {"sent", l.sent},
        {"created", l.created},
        {"achieved_per_s", round2(l.achieved_rate)},
        {"create_latency", to_json(l.create_latency)},
        {"create_to_shipped_latency", to_json(l.shipped_latency)},
        {"shipped_time_source", kShippedTimeSource},
        {"drained", l.drained},
        {"errors", to_json(l.errors)}}},
      {"reads",
       {{"clients", r.clients},
        {"window_s", round2(r.window_seconds)},
        {"requests", r.requests},
        {"requests_per_s", round2(r.requests_per_second)},
        {"latency", to_json(r.latency)},
        {"errors", to_json(r.errors)}}},
      {"peak_rss_mb", rss_mb},
      {"cpu_seconds",
       {{"saturation", rounded(s.cpu_seconds)}, {"latency", rounded(l.cpu_seconds)}}},
      {"cpu_seconds_per_1000_orders",
       {{"saturation", rounded(cpu_per_thousand_orders(s.cpu_seconds, s.shipped + s.failed))},
        {"latency", rounded(cpu_per_thousand_orders(l.cpu_seconds, l.created))}}},
      {"invariants", {{"ok", report.violations.empty()}, {"violations", report.violations}}},
  };
  return json;
}

}  // namespace choreo::bench
