#include "services/gateway/transcoding.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

absl::Status CheckStreamHead(const Route& route,
                             const PathTemplate::Bindings& bindings,
                             const http::HttpRequest& request) {
  std::unique_ptr<Message> probe = NewMessage(route.method->input_type());
  std::set<std::string> bound;
  TTADS_RETURN_IF_ERROR(ApplyBindings(bindings, probe.get(), &bound));
  return ApplyQuery(request.query, bound, probe.get());
}

}  // namespace ttads::gateway
