#ifndef TTADS_SERVICES_GATEWAY_TRANSCODER_H_
#define TTADS_SERVICES_GATEWAY_TRANSCODER_H_

// HTTP/JSON ⇄ protobuf for the gateway, following the google.api.http rules:
//
// - The request message is built from the body (per the rule's `body`: the
//   whole message for "*", one field for "name", nothing for ""), then the
//   path variables, then the query parameters.
// - Query parameters set fields not bound by the path (or body field): names
//   may be snake_case or lowerCamelCase, nested with dots (`filter.status`);
//   a repeated field takes every occurrence (`ids=1&ids=2`; values are never
//   split at commas), a singular field exactly one (given twice is
//   INVALID_ARGUMENT, not "the last one wins"); enums by name (or number);
//   bools as `true` or `false` only, the proto3 JSON literals (`yes`, `1`,
//   `0` and an empty value are refused); well-known types in their JSON
//   string form (Timestamp as RFC 3339). A parameter that names no field is
//   INVALID_ARGUMENT (like an unknown JSON field) — nothing is silently
//   dropped. With `body: "*"` there is no field left for the query to fill,
//   so any query parameter is rejected.
// - Every query name and value and every path variable must be well-formed
//   UTF-8 (after percent-decoding): otherwise INVALID_ARGUMENT naming the
//   parameter or path variable, so such bytes never reach a proto `string`.
// - Enum values are accepted by their full proto3 JSON name
//   ("IDENTITY_TYPE_TT_USER") or their short name ("TT_USER"), in a body
//   and in a query parameter (libs/contracts/enum_names.h).
// - JSON is proto3 JSON (JsonStringToMessage with unknown fields rejected),
//   after CheckRequestJson (json_guard.h: size, depth, UTF-8, array/object/
//   bool shapes); a failure is INVALID_ARGUMENT with a google.rpc.BadRequest
//   whose field violation names the field (or "body" and the position).
// - Responses render lowerCamelCase with every primitive field printed
//   (`"ready": false`, `"missing": []`), enums by name (JsonStyle::kApi), or
//   — for Adspirer-style tool routes — proto field names with defaults
//   omitted (JsonStyle::kTool: `{"success":true,"data":{...},"tool":"x"}`).

#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/http/query.h"
#include "services/gateway/path_template.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {

enum class JsonStyle { kApi, kTool };
// How responses name enum values: kFull is proto3 JSON
// ("IDENTITY_TYPE_TT_USER"), kShort the names TikTok and the seeds' products
// use ("TT_USER"; libs/contracts/enum_names.h).
enum class EnumNames { kFull, kShort };

// A fresh (generated-class) instance of `type`.
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type);

// Parses proto3 JSON into `out` (merging). `what` prefixes the error
// ("body", "line 3").
absl::Status ParseJson(absl::string_view json, google::protobuf::Message* out,
                       absl::string_view what = "body");

// Renders `message`, an answer, as JSON in `style`, enum values named by
// `enum_names`. INPUT_ONLY fields (AIP-203) are never printed, at any depth;
// kApi prints every other field without presence, kTool only the set ones.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message,
                                   JsonStyle style,
                                   EnumNames enum_names = EnumNames::kFull);

// Sets the (possibly nested, possibly repeated) field `field_path` from its
// textual form. INVALID_ARGUMENT naming `field_path` on failure.
absl::Status SetFieldFromString(google::protobuf::Message* message,
                                absl::string_view field_path,
                                absl::string_view value);

// Canonical proto path ("a_b.c") of `field_path` written in either naming
// style; INVALID_ARGUMENT when a component names no field.
absl::StatusOr<std::string> CanonicalFieldPath(
    const google::protobuf::Descriptor* type, absl::string_view field_path);

// Applies the query parameters to `message`, skipping the canonical paths in
// `bound` (set by the path) — a parameter for a bound field is rejected.
absl::Status ApplyQuery(const http::QueryParams& query,
                        const std::set<std::string>& bound,
                        google::protobuf::Message* message);

// Builds the request of a unary or server-streaming call for `route`.
absl::Status BuildRequest(const Route& route,
                          const PathTemplate::Bindings& bindings,
                          const http::QueryParams& query,
                          absl::string_view body,
                          google::protobuf::Message* out);

// Applies path bindings (used for every message of a client stream too).
absl::Status ApplyBindings(const PathTemplate::Bindings& bindings,
                           google::protobuf::Message* message,
                           std::set<std::string>* bound);

// The field named `request_id` on `message` or, failing that, on its first
// singular message-typed field that has one (Adspirer's `arguments`
// wrapper). Sets it to `id` when empty; INVALID_ARGUMENT when the body set a
// different id. Returns false when the message has no such field.
absl::StatusOr<bool> SetRequestId(google::protobuf::Message* message,
                                  absl::string_view id);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_TRANSCODER_H_
