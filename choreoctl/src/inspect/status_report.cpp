#include "inspect/status_report.hpp"

#include "inspect/consumer_report.hpp"
#include "runtime/time_text.hpp"

namespace choreo::ctl::inspect {
namespace {

// Reasons can be long (a database's message); the table keeps a line per row.
std::string shortened(const std::string& text, std::size_t limit = 90) {
  if (text.size() <= limit)
    return text;
  return text.substr(0, limit - 3) + "...";
}

// `text` and spaces after it up to `width` (at least one space).
std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(text.size() < width ? width - text.size() : 1, ' ');
}

}  // namespace

void print_status(const StatusReport& report, std::ostream& out) {
  out << "Services\n";
  for (const auto& service : report.services) {
    out << "  " << padded(service.service, 18) << service.state();
    if (!service.detail.empty() && !service.ready())
      out << " (" << shortened(service.detail) << ")";
    out << "  " << service.url << "\n";
  }

  out << "\nStream " << report.stream_name << "\n";
  if (report.stream) {
    const auto& stream = *report.stream;
    out << "  " << stream.messages << " messages, " << stream.bytes << " bytes, sequence "
        << stream.first_sequence << " to " << stream.last_sequence << "\n";
  } else {
    out << "  unknown (NATS not reachable)\n";
  }

  out << "\nConsumers\n";
  if (report.stream)
    print_consumer_table(report.consumers, report.collected_at_ns, out);
  else
    out << "  unknown (NATS not reachable)\n";

  out << "\nOutbox backlog (unpublished rows)\n";
  for (const auto& outbox : report.outboxes) {
    out << "  " << padded(outbox.service, 18) << outbox.unpublished;
    if (outbox.unpublished > 0)
      out << ", oldest " << runtime::duration_text(outbox.oldest_age_seconds);
    out << "\n";
  }

  out << "\nDead letters (not replayed)\n";
  if (report.dead_letters.empty())
    out << "  none\n";
  for (const auto& letters : report.dead_letters) {
    out << "  " << letters.count << "  " << letters.service << " / " << letters.consumer << ": "
        << shortened(letters.reason) << "\n";
  }

  out << "\nOrders by status\n";
  if (report.orders_by_status.empty())
    out << "  none\n";
  for (const auto& [status, count] : report.orders_by_status)
    out << "  " << padded(status, 10) << count << "\n";

  if (!report.unreachable.empty()) {
    out << "\nNot collected\n";
    for (const auto& what : report.unreachable)
      out << "  " << what << "\n";
  }
}

nlohmann::ordered_json status_json(const StatusReport& report) {
  nlohmann::ordered_json json;
  json["collected_at"] = runtime::iso_time_from_ns(report.collected_at_ns);
  auto services = nlohmann::ordered_json::array();
  for (const auto& service : report.services) {
    services.push_back({{"service", service.service},
                        {"url", service.url},
                        {"state", service.state()},
                        {"ready", service.ready()},
                        {"http_status", service.http_status},
                        {"detail", service.detail}});
  }
  json["services"] = std::move(services);
  if (report.stream) {
    json["stream"] = {{"name", report.stream_name},
                      {"messages", report.stream->messages},
                      {"bytes", report.stream->bytes},
                      {"first_seq", report.stream->first_sequence},
                      {"last_seq", report.stream->last_sequence}};
    auto consumers = nlohmann::ordered_json::array();
    for (const auto& consumer : report.consumers)
      consumers.push_back(bus::consumer_json(consumer, report.collected_at_ns));
    json["consumers"] = std::move(consumers);
  } else {
    json["stream"] = nullptr;
    json["consumers"] = nullptr;
  }
  auto outboxes = nlohmann::ordered_json::array();
  for (const auto& outbox : report.outboxes) {
    outboxes.push_back({{"source", outbox.service},
                        {"unpublished", outbox.unpublished},
                        {"oldest_unpublished_age_seconds", outbox.oldest_age_seconds}});
  }
  json["outbox"] = std::move(outboxes);
  auto dead_letters = nlohmann::ordered_json::array();
  for (const auto& letters : report.dead_letters) {
    dead_letters.push_back({{"service", letters.service},
                            {"consumer", letters.consumer},
                            {"reason", letters.reason},
                            {"count", letters.count}});
  }
  json["dead_letters"] = std::move(dead_letters);
  json["orders_by_status"] = report.orders_by_status;
  json["unreachable"] = report.unreachable;
  return json;
}

}  // namespace choreo::ctl::inspect
