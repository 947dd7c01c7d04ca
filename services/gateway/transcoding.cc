#include "services/gateway/transcoding.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/gateway/transcoder.h"

namespace ttads::gateway {

using google::protobuf::Message;

std::optional<std::chrono::milliseconds> ParseTimeout(absl::string_view value,
                                                      bool grpc_format) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (!grpc_format) {
    double seconds;
    if (!absl::SimpleAtod(value, &seconds) || !(seconds > 0) || seconds > 1e7) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(
        std::max<int64_t>(1, std::llround(seconds * 1000)));
  }
  char unit = value.back();
  int64_t n;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &n) || n <= 0 ||
      value.size() > 9) {
    return std::nullopt;
  }
  double ms;
  switch (unit) {
    case 'H':
      ms = n * 3600e3;
      break;
    case 'M':
      ms = n * 60e3;
      break;
    case 'S':
      ms = n * 1e3;
      break;
    case 'm':
      ms = n;
      break;
    case 'u':
      ms = n / 1e3;
      break;
    case 'n':
      ms = n / 1e6;
      break;
    default:
      return std::nullopt;
  }
  return std::chrono::milliseconds(std::max<int64_t>(1, std::llround(ms)));
}

absl::StatusOr<std::chrono::milliseconds> RequestTimeout(
    const http::Headers& headers, std::chrono::milliseconds max_timeout) {
  std::optional<std::string> header = headers.Get("X-Request-Timeout");
  bool grpc_format = false;
  if (!header.has_value()) {
    header = headers.Get("grpc-timeout");
    grpc_format = true;
  }
  if (!header.has_value()) return max_timeout;
  std::optional<std::chrono::milliseconds> timeout =
      ParseTimeout(*header, grpc_format);
  if (!timeout.has_value()) {
    return status::InvalidArgument(
        "bad request timeout header",
        {{grpc_format ? "grpc-timeout" : "X-Request-Timeout",
          "seconds (X-Request-Timeout: 2.5) or a gRPC timeout (grpc-timeout: "
          "500m)"}});
  }
  return std::min(*timeout, max_timeout);
}

absl::StatusOr<std::unique_ptr<Message>> TranscodeRequest(
    const Route& route, const PathTemplate::Bindings& bindings,
    const http::HttpRequest& request, const TranscodeOptions& options) {
  std::unique_ptr<Message> message = NewMessage(route.method->input_type());
  TTADS_RETURN_IF_ERROR(BuildRequest(route, bindings, request.query,
                                     request.body, message.get()));
  if (request.method != "GET" && options.idempotency_key.has_value()) {
    TTADS_RETURN_IF_ERROR(
        SetRequestId(message.get(), *options.idempotency_key).status());
  }
  if (message->ByteSizeLong() > options.max_message_bytes) {
    std::string description =
        absl::StrCat("encodes to more than ", options.max_message_bytes,
                     " bytes, the backends' limit");
    return status::WithFieldViolations(
        absl::ResourceExhaustedError(absl::StrCat("the request ", description)),
        {{"body", description}});
  }
  return message;
}

namespace {

constexpr absl::string_view kContentType = "Content-Type";

// The media type of a Content-Type value: lower case, without parameters.
std::string MediaType(absl::string_view content_type) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(
      content_type.substr(0, content_type.find(';'))));
}

bool IsRawMediaType(absl::string_view type) {
  static constexpr absl::string_view kRaw[] = {
      "audio/mpeg", "audio/wav",    "audio/x-wav",
      "audio/flac", "audio/x-flac", "application/octet-stream"};
  return std::find(std::begin(kRaw), std::end(kRaw), type) != std::end(kRaw);
}

absl::Status Unsupported(std::string message, std::string description) {
  return status::InvalidArgument(
      std::move(message),
      {{std::string(kContentType), std::move(description)}});
}

}  // namespace

absl::StatusOr<UploadSource::Options> TranscodeUploadHead(
    const Route& route, const PathTemplate::Bindings& bindings,
    const http::HttpRequest& request, const UploadRules& rules) {
  UploadSource::Options source;
  source.message_type = route.method->input_type();
  std::unique_ptr<Message> probe = NewMessage(source.message_type);
  std::set<std::string> bound;
  TTADS_RETURN_IF_ERROR(ApplyBindings(bindings, probe.get(), &bound));
  TTADS_RETURN_IF_ERROR(ApplyQuery(request.query, bound, probe.get()));

  const std::string type =
      MediaType(request.headers.Get(std::string(kContentType)).value_or(""));
  if (type == "text/csv") {
    source.csv = FindCsvShape(source.message_type);
    if (!source.csv.has_value()) {
      return Unsupported(
          "this route does not accept CSV; send NDJSON (application/x-ndjson)",
          "text/csv is not supported here");
    }
  } else if (IsRawMediaType(type)) {
    source.raw = FindRawField(source.message_type);
    if (source.raw == nullptr) {
      return Unsupported(
          absl::StrCat("this route does not accept a raw body (", type,
                       "); send NDJSON (application/x-ndjson)"),
          absl::StrCat(type, " is not supported here"));
    }
    source.max_raw_bytes = rules.max_raw_bytes;
    source.raw_chunk_bytes = std::max<size_t>(
        1, std::min(source.raw_chunk_bytes, rules.max_message_bytes / 2));
    int64_t length = 0;
    std::optional<std::string> header = request.headers.Get("Content-Length");
    if (rules.max_raw_bytes > 0 && header.has_value() &&
        absl::SimpleAtoi(*header, &length) && length > 0 &&
        static_cast<uint64_t>(length) > rules.max_raw_bytes) {
      return RawBodyTooLarge(rules.max_raw_bytes);
    }
  }
  source.bindings = bindings;
  source.query = request.query;
  source.request_id = rules.idempotency_key;
  source.batch_rows = rules.csv_batch_rows;
  return source;
}

bool IsUnsupportedMediaType(const absl::Status& s) {
  if (s.code() != absl::StatusCode::kInvalidArgument) return false;
  google::rpc::BadRequest bad_request;
  if (!status::GetDetail(s, &bad_request)) return false;
  for (const auto& violation : bad_request.field_violations()) {
    if (violation.field() == kContentType) return true;
  }
  return false;
}

}  // namespace ttads::gateway
