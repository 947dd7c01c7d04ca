#ifndef TTADS_SERVICES_GATEWAY_TRANSCODING_H_
#define TTADS_SERVICES_GATEWAY_TRANSCODING_H_

// Transcoding, the gateway's step between admission (who) and the quota
// charge: everything the backend call is made of, taken from the HTTP
// request, so a bad request is refused before it costs quota.
//
// - The deadline: `X-Request-Timeout: 2.5` (seconds) or, without it,
//   `grpc-timeout: 500m` (units H M S m u n); at most `max_timeout`, which
//   is also the default. A malformed value is INVALID_ARGUMENT naming the
//   header.
// - The request message (unary and server-streaming routes): the route's
//   body, path and query rules (transcoder.h; bad input is INVALID_ARGUMENT
//   naming the field). On a mutating route (any method but GET) an
//   `Idempotency-Key` fills the message's `request_id` (SetRequestId). A
//   message that encodes to more than `max_message_bytes` (the backends'
//   receive limit) is RESOURCE_EXHAUSTED with a field violation on `body`
//   (the HTTP answer is 413): JSON may encode to more than itself.
// - For client-streaming routes (uploads) only what is known before the
//   body: the path and query, which every streamed message gets, and the
//   body's format from its Content-Type; the body is converted as it
//   arrives (upload_source.h). Formats: `text/csv` (routes with a CSV
//   shape), a raw file — `audio/mpeg`, `audio/wav`, `audio/x-wav`,
//   `audio/flac`, `audio/x-flac`, `application/octet-stream` — (routes whose
//   message has a `bytes` field), anything else NDJSON. A Content-Type the
//   route cannot take is INVALID_ARGUMENT naming `Content-Type` (answered
//   415: IsUnsupportedMediaType); a raw body whose Content-Length is over
//   the raw limit is RESOURCE_EXHAUSTED on `body` (413) before anything is
//   sent to the backend.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/http/server.h"
#include "services/gateway/path_template.h"
#include "services/gateway/route_table.h"
#include "services/gateway/upload_source.h"

namespace ttads::gateway {

// "2.5" (seconds) or, with `grpc_format`, "500m"/"2S"; nullopt when
// malformed.
std::optional<std::chrono::milliseconds> ParseTimeout(absl::string_view value,
                                                      bool grpc_format);

// The backend deadline the request asks for, capped by `max_timeout`.
absl::StatusOr<std::chrono::milliseconds> RequestTimeout(
    const http::Headers& headers, std::chrono::milliseconds max_timeout);

struct TranscodeOptions {
  std::optional<std::string> idempotency_key;
  size_t max_message_bytes = 4 * 1024 * 1024;
};

// The request message of a unary or server-streaming call.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> TranscodeRequest(
    const Route& route, const PathTemplate::Bindings& bindings,
    const http::HttpRequest& request, const TranscodeOptions& options);

struct UploadRules {
  std::optional<std::string> idempotency_key;
  int csv_batch_rows = 1000;
  // The largest raw body (0: no limit).
  size_t max_raw_bytes = 0;
  // The backends' receive limit: a raw chunk is at most half of it.
  size_t max_message_bytes = 4 * 1024 * 1024;
};

// How a client stream's body becomes its messages (path, query and format
// checked), from what is known before the body.
absl::StatusOr<UploadSource::Options> TranscodeUploadHead(
    const Route& route, const PathTemplate::Bindings& bindings,
    const http::HttpRequest& request, const UploadRules& rules);

// Whether TranscodeUploadHead refused the Content-Type (HTTP 415).
bool IsUnsupportedMediaType(const absl::Status& status);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_TRANSCODING_H_
