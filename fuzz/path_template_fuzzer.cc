// Fuzzes the gateway's google.api.http path templates: the input is
// "<template>\n<request path>". Invariants: parsing never crashes; a parsed
// template re-parses from its own text; a match binds one value per
// variable; OpenAPI rendering works for every accepted template.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/strings/string_view.h"
#include "services/gateway/path_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view tmpl = input, path = "/";
  if (size_t nl = input.find('\n'); nl != std::string_view::npos) {
    tmpl = input.substr(0, nl);
    path = input.substr(nl + 1);
  }
  auto parsed = ttads::gateway::PathTemplate::Parse(
      absl::string_view(tmpl.data(), tmpl.size()));
  if (!parsed.ok()) return 0;
  auto reparsed = ttads::gateway::PathTemplate::Parse(parsed->text());
  if (!reparsed.ok()) std::abort();
  (void)parsed->OpenApiPath();
  (void)parsed->literal_count();
  auto bindings = parsed->Match(absl::string_view(path.data(), path.size()));
  if (bindings.has_value() && bindings->size() != parsed->variables().size()) {
    std::abort();
  }
  return 0;
}
