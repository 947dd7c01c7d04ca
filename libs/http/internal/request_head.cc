#include "libs/http/internal/request_head.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/error.hpp"
#include "libs/http/internal/ascii.h"
#include "libs/http/query.h"

namespace ttads::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

HttpRequest RequestHead(const bhttp::request_header<>& head,
                        std::string remote_address) {
  HttpRequest req;
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  std::string_view raw_path, raw_query;
  SplitTarget(req.target, &raw_path, &raw_query);
  req.path = PercentDecode(raw_path, false);
  req.query = ParseQuery(raw_query);
  for (const auto& field : head) {
    req.headers.Add(std::string(field.name_string()),
                    std::string(field.value()));
  }
  req.remote_address = std::move(remote_address);
  return req;
}

std::string RefusedHead(const bhttp::request_header<>& head, bool chunked) {
  // Beast reads "HTTP/d.d" (and refuses 1.2 .. 1.9 itself).
  if (head.version() != 10 && head.version() != 11) {
    return "unsupported HTTP version (HTTP/1.0 and HTTP/1.1 are served)";
  }
  // RFC 9112 section 6.3: a request whose last transfer coding is not
  // "chunked" has no knowable length (Beast would read it as no body,
  // and its bytes as the next request).
  if (head.count(bhttp::field::transfer_encoding) > 1 ||
      (head.count(bhttp::field::transfer_encoding) == 1 && !chunked)) {
    return "Transfer-Encoding must be exactly \"chunked\"";
  }
  return "";
}

bool WantsContinue(const bhttp::request_header<>& head) {
  auto expect = head.find(bhttp::field::expect);
  return expect != head.end() &&
         EqualsIgnoreCase(
             std::string_view(expect->value().data(), expect->value().size()),
             "100-continue");
}

std::optional<Rejection> RejectionFor(beast::error_code ec,
                                      const HttpServer::Options& options) {
  if (ec == bhttp::error::body_limit) {
    return Rejection{413, "RESOURCE_EXHAUSTED",
                     absl::StrCat("the request body is over ",
                                  options.max_body_bytes, " bytes")};
  }
  if (ec == bhttp::error::header_limit) {
    return Rejection{431, "RESOURCE_EXHAUSTED",
                     absl::StrCat("the request head is over ",
                                  options.max_header_bytes, " bytes")};
  }
  if (ec == beast::error::timeout) {
    return Rejection{408, "DEADLINE_EXCEEDED",
                     absl::StrCat("the request did not arrive within ",
                                  options.read_timeout.count(), " s")};
  }
  if (ec.category() ==
          bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream) {
    return Rejection{400, "INVALID_ARGUMENT",
                     absl::StrCat("malformed HTTP request: ", ec.message())};
  }
  return std::nullopt;
}

}  // namespace ttads::http::internal
