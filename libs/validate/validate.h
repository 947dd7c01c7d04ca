#ifndef TTADS_LIBS_VALIDATE_VALIDATE_H_
#define TTADS_LIBS_VALIDATE_VALIDATE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "libs/status/status.h"

// Request checks that follow from the contracts alone, applied once at the
// boundary (the gRPC pipeline in libs/server and the gateway's transcoding)
// before any domain code sees a request. The rules come from the message's
// descriptor, so a new RPC gets them without new code:
//
//  * every string (also map keys and strings inside google.protobuf.Struct)
//    is valid UTF-8. A proto3 message decoded from the wire already is
//    (protobuf refuses to parse one that is not); a message built field by
//    field (the gateway's JSON and query transcoding) may not be;
//  * every enum value (open proto3 enums keep unknown numbers) is one the
//    enum declares, and no enum field carries a string (a client built from
//    the contract before the field became an enum: protobuf keeps the
//    string as an unknown field and the enum would read as unset);
//  * google.protobuf.Timestamp: seconds within 0001-01-01..9999-12-31 UTC
//    and 0 <= nanos < 1e9; google.protobuf.Duration: |seconds| <= 10,000
//    years, |nanos| < 1e9 and nanos with the sign of seconds;
//  * fields annotated `[(google.api.field_behavior) = REQUIRED]` are set:
//    a non-empty string/bytes/repeated/map, a present message, a non-zero
//    number or enum, a true bool. Not inside a patch: the message fields of an
//    update request (a message with a google.protobuf.FieldMask
//    `update_mask`, AIP-134) carry only what changes;
//  * AIP-158 paging: an int32 `page_size` is within 0..kMaxPageSize (0 means
//    the service's default; services may cap lower); a string `page_token`
//    is empty or a token some ttads service issued — every one issues a
//    non-negative decimal integer (an offset, a page number or TikTok's
//    numeric cursor) of at most 19 digits;
//  * a non-empty string with `[(ttads.common.v1.pattern) = "..."]` matches
//    that RE2 expression as a whole.
//
// Nested messages, repeated fields and maps are walked; the work is linear in
// the message's size (bounded by the transport's message size limit).
namespace ttads::validate {

// The largest page_size any list RPC accepts.
inline constexpr int kMaxPageSize = 1000;
// At most this many violations are reported (the walk stops after them).
inline constexpr int kMaxViolations = 20;

// Every violation of `message`, each naming the field path as the caller
// wrote it: "creative.ad_text", "batches[2].values[0]", "query[\"k\"]".
std::vector<status::FieldViolation> Violations(
    const google::protobuf::Message& message);

// OK, or INVALID_ARGUMENT with a google.rpc.BadRequest listing Violations().
absl::Status Validate(const google::protobuf::Message& message);

// True when `page_token` has the shape every ttads service issues.
bool IsWellFormedPageToken(const std::string& page_token);

}  // namespace ttads::validate

#endif  // TTADS_LIBS_VALIDATE_VALIDATE_H_
