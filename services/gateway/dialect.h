#ifndef TTADS_SERVICES_GATEWAY_DIALECT_H_
#define TTADS_SERVICES_GATEWAY_DIALECT_H_

// A dialect is one product surface the gateway serves: ttads' own REST API
// and the seeds' products (Zernio, Wevion, Adspirer), whose paths and shapes
// are kept byte for byte as those products document them (their methods
// are ttads.compat.v1's where the core contracts follow AIP instead: Zernio's
// /v1/ads/create, Adspirer's tools). A dialect owns
// every answer and error body of its surface and the policies that differ
// between products; the steps (admission, transcoding, forwarding,
// answering) are the same for all and ask the request's dialect whenever a
// body is written or a product rule applies.
//
// The four dialects (paths; answers; CUSTOMIZED_USER; field names in
// errors):
//   ttads     every path not below; REST error shape; opt-in;
//             as sent, else proto names.
//   zernio    /v1/connect/, /v1/ads/create, /v1/accounts; REST error
//             shape; opt-in; as sent, else camelCase.
//   wevion    /api/v1/tiktok/; REST error shape; allowed; as sent, else
//             proto names.
//   adspirer  /api/v1/tools/<tool>/; tool envelope with data.quota;
//             rejected; as sent, else proto names.
//
// REST error shape (error_mapping.h): {"code", "details", "error"}, plus
// "quota" on a quota refusal. Tool envelope (Adspirer), built only by
// ToolEnvelope in dialect.cc: {"success": false, "error", "is_error": true,
// "tool", "code", "details", "quota"} with `code`/`details` absent on a
// quota refusal and `quota` present once the call was counted. Successful
// tool answers are the backend's ExecuteAddTikTokAdResponse
// (ttads.compat.v1, the seeds' shapes) in proto field names with
// `data.quota` {"used", "limit", "tier", "period_end"} added. Every dialect
// answers a missing or bad key with exactly {"error": "Unauthorized"}
// (Zernio's documented 401; the other products document none).
//
// Enum values in answers: ttads prints the proto3 JSON names
// (IDENTITY_TYPE_TT_USER), the seeds' dialects the short names their
// products document (TT_USER, LINKED); requests may use either everywhere
// (libs/contracts/enum_names.h).
//
// CUSTOMIZED_USER policy: Adspirer documents that CUSTOMIZED_USER "was
// deprecated by TikTok in 2026-04 and is no longer accepted for new ads —
// Adspirer will reject it", while Zernio offers it as a per-ad opt-in
// (`identityType: 'CUSTOMIZED_USER'`, `brandIdentity`) and Wevion accepts it
// as a fallback. A request in a `kReject` dialect that chooses one (an
// IdentityType field set to CUSTOMIZED_USER, `use_brand_identity`, or
// `brand_identity`, at any depth) is refused with INVALID_ARGUMENT naming the
// field, before quota is spent or a backend is called. `kOptIn` and `kAllow`
// leave the choice to the services, whose process-wide
// TTADS_CUSTOM_IDENTITY_POLICY should then stay `opt_in` (its default): the
// dialect narrows per surface what one backend setting cannot.
//
// Field names in error details (google.rpc.BadRequest field violations) are
// spelled as the caller spelled them: a path component the caller wrote in
// lowerCamelCase (`displayName`, in the JSON body or a query parameter)
// comes back in lowerCamelCase, one written in snake_case stays so; a
// component the caller did not send takes the dialect's spelling.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "libs/http/server.h"
#include "services/gateway/error_mapping.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"
#include "services/gateway/transcoder.h"

namespace ttads::gateway {

// An HTTP answer: status, JSON body, extra headers.
struct Answer {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a request said that an answer depends on.
struct AnswerContext {
  // The request, for the spelling of field names (may be null).
  const http::HttpRequest* request = nullptr;
  // The tool (Adspirer): the path segment after the tool prefix.
  absl::string_view tool;
  // The quota use once the call was counted.
  const QuotaUsage* quota = nullptr;
};

class Dialect {
 public:
  enum class Envelope { kRest, kTool };
  enum class CustomIdentity { kOptIn, kAllow, kReject };
  enum class Spelling { kProto, kCamel };

  struct Spec {
    std::string name;
    Envelope envelope = Envelope::kRest;
    // How successful responses render (transcoder.h).
    JsonStyle json_style = JsonStyle::kApi;
    // The unit in the quota refusal: "API calls", "tool calls".
    std::string quota_unit = "API calls";
    CustomIdentity custom_identity = CustomIdentity::kOptIn;
    // Spelling of a field the caller did not send.
    Spelling spelling = Spelling::kProto;
    // How successful responses name enum values: ttads' own routes print
    // proto3 JSON names (IDENTITY_TYPE_TT_USER); the seeds' products
    // document the short names their callers read (TT_USER, LINKED).
    EnumNames enum_names = EnumNames::kFull;
  };

  explicit Dialect(Spec spec) : spec_(std::move(spec)) {}

  const std::string& name() const { return spec_.name; }
  JsonStyle json_style() const { return spec_.json_style; }
  bool tool() const { return spec_.envelope == Envelope::kTool; }
  CustomIdentity custom_identity() const { return spec_.custom_identity; }

  // The 401 for a missing, malformed, unknown or revoked key.
  Answer Unauthorized() const;
  // An error raised by the gateway itself (bad header, bad JSON, admission).
  Answer Error(const absl::Status& status, const AnswerContext& ctx) const;
  // A backend's error.
  Answer Error(const grpc::Status& status, const AnswerContext& ctx) const;
  // 429 over the monthly quota, with Retry-After `retry_after_s`; `subject`
  // names who is over it ("team:<id>").
  Answer QuotaRefused(const QuotaUsage& usage, absl::string_view subject,
                      absl::string_view upgrade_url, int64_t retry_after_s,
                      const AnswerContext& ctx) const;
  // The body of a successful unary answer: `response` rendered in this
  // dialect's style, narrowed to `route.response_body` when set.
  absl::StatusOr<std::string> SuccessBody(
      const google::protobuf::Message& response, const Route& route,
      const AnswerContext& ctx) const;
  // One message of a server stream (NDJSON line / SSE data).
  std::string StreamMessage(const google::protobuf::Message& message) const;
  // The last line of a server stream that failed after it started:
  // {"error": {"code", "details", "error"}}.
  std::string StreamError(const grpc::Status& status) const;

  // The product rules on a transcoded request (the CUSTOMIZED_USER policy).
  absl::Status CheckRequest(const google::protobuf::Message& request) const;

 private:
  Answer Render(HttpError error, const AnswerContext& ctx) const;

  Spec spec_;
};

// The dialects by path prefix; the first match wins, `ttads` serves the rest.
class Dialects {
 public:
  // ttads, Zernio, Wevion and Adspirer with their documented paths.
  static const Dialects& Products();

  const Dialect& For(absl::string_view path) const;
  // The tool named by an Adspirer path ("/api/v1/tools/add_tiktok_ad/execute"
  // → "add_tiktok_ad"); empty for other paths.
  absl::string_view ToolName(absl::string_view path) const;

  const Dialect& ttads() const { return ttads_; }
  const Dialect& zernio() const { return zernio_; }
  const Dialect& wevion() const { return wevion_; }
  const Dialect& adspirer() const { return adspirer_; }

 private:
  Dialects();

  Dialect ttads_, zernio_, wevion_, adspirer_;
  std::vector<std::pair<std::string, const Dialect*>> prefixes_;
  std::string tool_prefix_;
};

// `field_path` ("brand_identity.display_name", "arguments.ad_text",
// "creatives[0].video_id") spelled as the caller of `request` spelled it:
// each component found in the body (as a JSON key) or, for the whole path,
// in the query keeps the caller's spelling (snake_case or lowerCamelCase);
// the others take `spelling`. Names without '_' are returned unchanged.
std::string SpellAsSent(absl::string_view field_path,
                        const http::HttpRequest* request,
                        Dialect::Spelling spelling);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_DIALECT_H_
