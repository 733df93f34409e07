#include "http/process_metrics.hpp"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <map>

#include "http/metrics.hpp"

namespace choreo::http {
namespace {

TEST(ProcessMetricsTest, ParsesProcStatEvenWithParenthesesInTheName) {
  const auto stat = parse_proc_stat(
      "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 1 0 12345 "
      "1000000 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->user_ticks, 150u);
  EXPECT_EQ(stat->system_ticks, 50u);
  EXPECT_EQ(stat->start_ticks, 12345u);
  EXPECT_EQ(stat->virtual_bytes, 1000000u);
  EXPECT_EQ(stat->resident_pages, 250u);
}

TEST(ProcessMetricsTest, RejectsTruncatedOrGarbledStat) {
  EXPECT_FALSE(parse_proc_stat("").has_value());
  EXPECT_FALSE(parse_proc_stat("1234 (x) S 1 2 3").has_value());
  EXPECT_FALSE(
      parse_proc_stat("1234 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 50 0 0 20 0 1 0 1 1 1").has_value());
}

TEST(ProcessMetricsTest, ParsesBootTime) {
  EXPECT_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"), 1700000000u);
  EXPECT_FALSE(parse_boot_time("cpu 1 2 3\n").has_value());
}

TEST(ProcessMetricsTest, CollectsThisProcess) {
  std::map<std::string, double> values;
  for (const auto& family : collect_process_metrics()) {
    ASSERT_EQ(family.metric.size(), 1u);
    values[family.name] = family.type == prometheus::MetricType::Counter
                              ? family.metric[0].counter.value
                              : family.metric[0].gauge.value;
  }
  EXPECT_GT(values["process_resident_memory_bytes"], 1024.0 * 1024.0);
  EXPECT_GE(values["process_cpu_seconds_total"], 0.0);
  EXPECT_GT(values["process_open_fds"], 2.0);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(values["process_start_time_seconds"], now + 1.0);
  EXPECT_GT(values["process_start_time_seconds"], now - 24 * 3600.0);
}

TEST(MetricsTest, MountServesRegistryInTextFormat) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& counter = prometheus::BuildCounter()
                      .Name("choreo_widgets_total")
                      .Help("Widgets made.")
                      .Register(*registry)
                      .Add({});
  counter.Increment(2);
  Router router;
  mount_metrics(router, registry);

  HttpRequest request;
  request.method = "GET";
  request.path = "/metrics";
  const auto response = router.handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("# TYPE choreo_widgets_total counter"), std::string::npos);
  EXPECT_NE(response.body.find("choreo_widgets_total 2"), std::string::npos);
  EXPECT_NE(response.body.find("process_resident_memory_bytes"), std::string::npos);
}

}  // namespace
}  // namespace choreo::http
