#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace choreo::runtime {

// Crash hooks that make the narrow windows of the reliability design testable on purpose.
// FAULT_POINT names one or more points (comma-separated); a name may carry "@N" to fire on the
// N-th time it is reached instead of the first. When an armed point fires, the process exits at
// once with kFaultExitCode, as a crash would: no destructors, no flushing, no acks.
//   after_commit_before_ack          consumer: batch committed, nothing acked yet
//   before_commit                    consumer: effects written, transaction not committed
//   after_publish_before_mark_sent   outbox relay: events in JetStream, rows not marked sent
class FaultPoints {
 public:
  static constexpr int kFaultExitCode = 86;

  FaultPoints() = default;
  // Parses the FAULT_POINT syntax; throws config::ConfigError when malformed.
  static FaultPoints parse(const std::string& spec);

  // Exits the process if `name` is armed and its count is reached.
  void reach(std::string_view name) const;
  bool armed(std::string_view name) const;

 private:
  struct Trigger {
    long fire_on_hit = 1;
    std::shared_ptr<std::atomic<long>> hits = std::make_shared<std::atomic<long>>(0);
  };
  std::map<std::string, Trigger, std::less<>> triggers_;
};

}  // namespace choreo::runtime
