#include "services/gateway/builtins.h"

#include <map>
#include <vector>

#include "prometheus/text_serializer.h"
#include "services/gateway/json_dump.h"
#include "services/gateway/openapi.h"

namespace ttads::gateway {

Builtins::Builtins(const RouteTable& routes, BackendPool& backends,
                   prometheus::Registry& registry, Answering& answering,
                   std::chrono::milliseconds ready_timeout)
    : backends_(backends),
      registry_(registry),
      answering_(answering),
      ready_timeout_(ready_timeout),
      openapi_json_(BuildOpenApi(routes).dump(2)) {}

bool Builtins::Serves(absl::string_view method, absl::string_view path) {
  return method == "GET" && (path == "/healthz" || path == "/readyz" ||
                             path == "/metrics" || path == "/openapi.json");
}

void Builtins::Serve(const std::shared_ptr<Exchange>& ex) {
  const std::string& path = ex->metric_method;
  if (path == "/healthz") {
    answering_.Send(*ex, {200, R"({"status":"ok"})", {}});
  } else if (path == "/openapi.json") {
    answering_.Send(*ex, {200, openapi_json_, {}});
  } else if (path == "/metrics") {
    answering_.SendText(
        *ex, 200, "text/plain; version=0.0.4",
        prometheus::TextSerializer().Serialize(registry_.Collect()));
  } else {
    std::map<std::string, std::vector<std::string>> services_at;
    for (const auto& [service, address] : backends_.addresses()) {
      services_at[address].push_back(service);
    }
    backends_.CheckHealth(
        ready_timeout_,
        [this, ex, services_at](std::map<std::string, std::string> results) {
          bool ready = true;
          nlohmann::json backends = nlohmann::json::array();
          for (const auto& [address, verdict] : results) {
            ready = ready && verdict.empty();
            auto it = services_at.find(address);
            backends.push_back(
                {{"address", address},
                 {"services", it == services_at.end()
                                  ? std::vector<std::string>()
                                  : it->second},
                 {"status", verdict.empty() ? "SERVING" : verdict}});
          }
          answering_.Send(*ex, {ready ? 200 : 503,
                                DumpJson(nlohmann::json{
                                    {"ready", ready}, {"backends", backends}}),
                                {}});
        });
  }
}

}  // namespace ttads::gateway
