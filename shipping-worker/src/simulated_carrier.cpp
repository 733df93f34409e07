#include "simulated_carrier.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace choreo::shipping_worker {
namespace {

// FNV-1a: a stable, dependency-free hash, so a tracking number does not simply repeat the label.
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string upper_alnum(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c))
      out.push_back(static_cast<char>(std::toupper(c)));
  }
  return out;
}

}  // namespace

Label SimulatedCarrier::create_label(const LabelRequest& request) {
  char tracking[32];
  std::snprintf(tracking, sizeof tracking, "SP%016llX",
                static_cast<unsigned long long>(fnv1a(request.order_id)));
  return {kName, "LBL-" + upper_alnum(request.order_id), tracking};
}

}  // namespace choreo::shipping_worker
