#ifndef TTADS_LIBS_CONTRACTS_ENUM_NAMES_H_
#define TTADS_LIBS_CONTRACTS_ENUM_NAMES_H_

// Full and short names of the contracts' enum values.
//
// Every enum value in proto/ttads carries its enum's name as a prefix (buf
// lint ENUM_VALUE_PREFIX): IdentityType's TT_USER is IDENTITY_TYPE_TT_USER,
// so values of different enums in one package never collide in generated
// code. That full name is the value's proto3 JSON name, printed on ttads' own
// REST routes and by every proto3 JSON tool (grpcurl, grpc-gateway).
//
// The *short* name is the full name without the prefix ("TT_USER"). It is
// the name TikTok uses on the wire (identity_type, operation_status, ...)
// and the name the seeds' products (Zernio, Wevion, Adspirer) document, which
// the contracts used before the prefix was added. Two exceptions keep the
// full name as the short one: the zero value (IDENTITY_TYPE_UNSPECIFIED,
// already its name before) and a value that does not carry the prefix.
//
// Parsing here accepts either name, so callers that send the short names
// keep working everywhere; printing with short names is for the surfaces
// that promise them (the seeds' dialects in the gateway, TikTok requests).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace ttads::contracts {

// The prefix buf expects on `type`'s values: its name in UPPER_SNAKE_CASE
// and "_" ("IdentityType" → "IDENTITY_TYPE_", "AdsAccountMode" →
// "ADS_ACCOUNT_MODE_").
std::string EnumValuePrefix(const google::protobuf::EnumDescriptor* type);

// `value`'s short name (see above).
std::string ShortName(const google::protobuf::EnumValueDescriptor* value);

// The value of `type` whose full or short name is `name` (exact case);
// nullptr when none.
const google::protobuf::EnumValueDescriptor* FindValueByAnyName(
    const google::protobuf::EnumDescriptor* type, absl::string_view name);

// The short name of a generated enum's value; "" for a number the enum does
// not declare (as the generated E_Name does).
template <typename E>
std::string ShortName(E value) {
  const google::protobuf::EnumValueDescriptor* v =
      google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(
          static_cast<int>(value));
  return v == nullptr ? std::string() : ShortName(v);
}

// Sets `*out` to the value whose full or short name is `name`; false (and
// `*out` untouched) when there is none.
template <typename E>
bool ParseAnyName(absl::string_view name, E* out) {
  const google::protobuf::EnumValueDescriptor* v =
      FindValueByAnyName(google::protobuf::GetEnumDescriptor<E>(), name);
  if (v == nullptr) return false;
  *out = static_cast<E>(v->number());
  return true;
}

// google::protobuf::util::JsonStringToMessage, with enum values also
// accepted by their short names. Errors are that function's.
absl::Status JsonToMessage(
    absl::string_view json, google::protobuf::Message* out,
    const google::protobuf::util::JsonParseOptions& options = {});

// google::protobuf::util::MessageToJsonString, with enum values printed by
// their short names.
absl::Status MessageToShortJson(
    const google::protobuf::Message& message,
    const google::protobuf::util::JsonPrintOptions& options, std::string* out);

}  // namespace ttads::contracts

#endif  // TTADS_LIBS_CONTRACTS_ENUM_NAMES_H_
