#include "services/gateway/docs_page.h"

#include "embedded/swagger_ui.h"

namespace ttads::gateway {

const char kDocsContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::optional<DocsAsset> FindDocsAsset(absl::string_view path) {
  DocsAsset asset;
  bool page = false;
  if (path == "/docs" || path == "/docs/") {
    asset = {"text/html; charset=utf-8", swagger_ui::IndexHtml(), {}};
    page = true;
  } else if (path == "/docs/init.js") {
    asset = {"text/javascript; charset=utf-8", swagger_ui::InitJs(), {}};
  } else if (path == "/docs/swagger-ui-bundle.js") {
    asset = {"text/javascript; charset=utf-8", swagger_ui::BundleJs(), {}};
  } else if (path == "/docs/swagger-ui.css") {
    asset = {"text/css; charset=utf-8", swagger_ui::Css(), {}};
  } else {
    return std::nullopt;
  }
  asset.headers = {
      {"Content-Security-Policy", kDocsContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", page ? "no-cache" : "public, max-age=3600"}};
  return asset;
}

}  // namespace ttads::gateway
