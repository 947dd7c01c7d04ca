#ifndef TTADS_LIBS_FETCH_PUBLIC_FETCHER_H_
#define TTADS_LIBS_FETCH_PUBLIC_FETCHER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::fetch {

struct FetchOptions {
  // Permit loopback/private/link-local targets. Off in production; tests and
  // local demos turn it on through configuration (TTADS_FETCH_ALLOW_PRIVATE).
  bool allow_private = false;
  // "host:port" targets allowed even though they are not public (e.g. an
  // in-cluster media proxy). Exact match on the URL's host and port.
  std::vector<std::string> private_allowlist;
  // Require https:// (http:// is accepted only when allow_private is on,
  // i.e. for local test servers).
  bool require_https = true;
  // Hard cap on the body; the download stops as soon as it is exceeded.
  size_t max_bytes = 5 * 1024 * 1024;
  // The fetcher's own cap on one download (all hops).
  absl::Duration timeout = absl::Seconds(20);
  // The caller's deadline (e.g. the gRPC call's). Each hop's libcurl timeout
  // is min(what is left of `timeout`, time left before `deadline`); a
  // download the deadline cuts short fails with DEADLINE_EXCEEDED, and none
  // starts once it has passed.
  absl::Time deadline = absl::InfiniteFuture();
  int max_redirects = 3;
  // When set, a final HTTP 4xx is an answer (its body delivered, its status
  // in FetchInfo::http_status) instead of INVALID_ARGUMENT, for callers that
  // read an API's error answers (the oEmbed client).
  bool client_errors_are_answers = false;
};

struct FetchInfo {
  std::string final_url;
  std::string content_type;
  size_t bytes = 0;
  int http_status = 0;  // The final answer's HTTP status.
};

// Receives the body in chunks; return false to abort.
using BodySink = std::function<bool(std::string_view chunk)>;

// Downloads a user-supplied URL safely: only http(s), every hop (redirects
// are followed by hand, at most max_redirects) resolved and checked with
// ResolvePublic, the connection pinned to the vetted address (no DNS
// rebinding between check and connect), size capped while streaming.
//
// Errors: INVALID_ARGUMENT for a malformed URL, a wrong scheme, a body over
// max_bytes, an HTTP 4xx, or too many redirects; PERMISSION_DENIED for a
// non-public target; DEADLINE_EXCEEDED when options.deadline ends the
// download (or has passed before it starts); UNAVAILABLE for connection
// failures, the fetcher's own timeout and 5xx.
absl::StatusOr<FetchInfo> Fetch(const std::string& url,
                                const FetchOptions& options,
                                const BodySink& sink);

// Convenience: the whole body in memory (for images, bounded by max_bytes).
absl::StatusOr<std::string> FetchToString(const std::string& url,
                                          const FetchOptions& options,
                                          FetchInfo* info = nullptr);

}  // namespace ttads::fetch

#endif  // TTADS_LIBS_FETCH_PUBLIC_FETCHER_H_
