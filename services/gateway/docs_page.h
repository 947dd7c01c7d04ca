#ifndef TTADS_SERVICES_GATEWAY_DOCS_PAGE_H_
#define TTADS_SERVICES_GATEWAY_DOCS_PAGE_H_

// The interactive API page at /docs: Swagger UI (third_party/swagger-ui-dist,
// linked into the binary) over the gateway's /openapi.json, where a person
// authorizes with their API key and tries the routes from the browser.
//
// Paths: /docs and /docs/ (the page), /docs/init.js (ours: starts Swagger
// UI), /docs/swagger-ui-bundle.js, /docs/swagger-ui.css. Every answer says
// what it is (Content-Type, X-Content-Type-Options: nosniff) and carries a
// Content-Security-Policy that allows scripts, styles, fetches and images
// from this origin only (plus data: images, which Swagger UI's icons are),
// no framing, no plugins; Referrer-Policy no-referrer. The page is
// revalidated on every load; the assets may be cached for an hour.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace ttads::gateway {

struct DocsAsset {
  std::string content_type;
  std::string_view body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The asset served at `path`, if `path` is one of the page's.
std::optional<DocsAsset> FindDocsAsset(absl::string_view path);

// The page's Content-Security-Policy.
extern const char kDocsContentSecurityPolicy[];

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_DOCS_PAGE_H_
