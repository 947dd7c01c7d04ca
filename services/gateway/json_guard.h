#ifndef TTADS_SERVICES_GATEWAY_JSON_GUARD_H_
#define TTADS_SERVICES_GATEWAY_JSON_GUARD_H_

// The check every request JSON passes before protobuf's JSON parser sees it:
// one linear, non-recursive pass over the bytes (nlohmann's SAX parser) that
// follows the request message's descriptor. It refuses:
//
// - more than kMaxJsonBytes: RESOURCE_EXHAUSTED with a google.rpc.BadRequest
//   naming `what` (the gateway answers 413, error_mapping.h);
// - nesting deeper than kMaxJsonDepth objects/arrays. protobuf 3.21's JSON
//   parser takes time quadratic in the depth (1 000 levels 0.02 s, 10 000
//   levels 2.7 s, 20 000 levels 16 s on one core), so depth is refused here
//   rather than found by the parser. 32 also keeps a google.protobuf.Struct
//   under protobuf's binary recursion limit of 100 (a JSON object level in a
//   Struct is 3 message levels: Struct, map entry, Value);
// - text that is not JSON (RFC 8259), and strings that are not well-formed
//   UTF-8, raw or through \u escapes (a lone surrogate);
// - values of the wrong shape, which protobuf 3.21 accepts: a repeated field
//   takes a JSON array, a map field an object, a bool field (and
//   google.protobuf.BoolValue) true or false; null is accepted for each (it
//   means "not set"). protobuf would read "yes"/"no" as a bool and a lone
//   string or object as a one-element repeated field.
//
// Everything else (unknown fields, number ranges, enum names, well-known type
// formats) is left to protobuf's parser. Errors other than size are
// INVALID_ARGUMENT, reason INVALID_JSON, with a field violation naming the
// field path in proto names ("arguments.validate_only", "body.a[3]"), or
// `what` when the problem is not inside a field.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace ttads::gateway {

inline constexpr int kMaxJsonDepth = 32;
// The backends' gRPC receive limit (gRPC's default, libs/server does not
// change it): a larger JSON text could only become a larger message.
inline constexpr size_t kMaxJsonBytes = 4 * 1024 * 1024;

// Checks `json`, the JSON form of a `type` message. `what` names the text in
// errors ("body", "line 3", a query parameter).
absl::Status CheckRequestJson(absl::string_view json,
                              const google::protobuf::Descriptor* type,
                              absl::string_view what = "body");

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_JSON_GUARD_H_
