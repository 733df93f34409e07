#include "http/metrics.hpp"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <stdexcept>
#include <utility>

#include "http/process_metrics.hpp"

namespace choreo::http {

std::string render_metrics(prometheus::Registry& registry) {
  auto families = registry.Collect();
  auto process = collect_process_metrics();
  families.insert(families.end(), std::make_move_iterator(process.begin()),
                  std::make_move_iterator(process.end()));
  return prometheus::TextSerializer().Serialize(families);
}

void mount_metrics(Router& router, std::shared_ptr<prometheus::Registry> registry) {
  if (!registry) {
    throw std::invalid_argument("mount_metrics needs a registry");
  }
  router.get("/metrics", [registry = std::move(registry)](const HttpRequest&) {
    HttpResponse response;
    response.content_type = kPrometheusContentType;
    response.body = render_metrics(*registry);
    return response;
  });
}

}  // namespace choreo::http
