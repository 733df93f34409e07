#include "runtime/readiness_probe.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace choreo::runtime {
namespace {

TEST(ReadinessProbe, AWildcardListenHostIsAskedOnLoopback) {
  EXPECT_EQ(own_readiness_url({"0.0.0.0", 9101}), "http://127.0.0.1:9101/readyz");
  EXPECT_EQ(own_readiness_url({"::", 8080}), "http://127.0.0.1:8080/readyz");
  EXPECT_EQ(own_readiness_url({"", 9104}), "http://127.0.0.1:9104/readyz");
  EXPECT_EQ(own_readiness_url({"10.0.0.7", 9102}), "http://10.0.0.7:9102/readyz");
}

TEST(ReadinessProbe, NoServiceListeningIsNotReady) {
  std::ostringstream out;
  // Port 1 on loopback: nothing of ours listens there, so the connection is refused.
  EXPECT_EQ(probe_own_readiness({"127.0.0.1", 1}, out), 1);
  EXPECT_NE(out.str().find("not ready: no answer from http://127.0.0.1:1/readyz"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace choreo::runtime
