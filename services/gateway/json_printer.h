#ifndef TTADS_SERVICES_GATEWAY_JSON_PRINTER_H_
#define TTADS_SERVICES_GATEWAY_JSON_PRINTER_H_

// Renders a protobuf message as proto3 JSON straight from reflection.
//
// It prints exactly what google::protobuf::util::MessageToJsonString prints
// with the same two options (json_printer_test.cc compares the two on
// randomly filled instances of every message the gateway answers with),
// without that function's detour through the binary encoding and a type
// resolver, which made it the largest single cost of a gateway response.
//
// With `short_enum_names` it prints what contracts::MessageToShortJson
// prints (compared the same way).
//
// Mapping (proto3 JSON): field json names (or proto names with
// `preserve_proto_field_names`), int64/uint64 kinds as strings, enums by
// name (unknown numbers as numbers), bytes as base64, NaN/±Infinity as
// strings, maps as objects, and the well-known types Timestamp, Duration,
// FieldMask, Struct/Value/ListValue, Empty and the wrappers in their special
// forms. Any (and a Value with no kind set) is handed to
// MessageToJsonString, which knows how to fail on it.
//
// With `always_print_primitive_fields`, singular fields without presence
// are printed even when they hold their default, and repeated/map fields
// print as [] / {}; unset message fields and unset oneof members are
// omitted, as protobuf does. One deliberate difference: protobuf 3.21 with
// always_print_primitive_fields adds a bogus "values":[] member to a Struct
// nested in a Value or ListValue; PrintJson prints the Struct as it is.

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace ttads::gateway {

struct JsonPrintOptions {
  bool always_print_primitive_fields = false;
  bool preserve_proto_field_names = false;
  // Enum values by their short names (libs/contracts/enum_names.h:
  // "TT_USER" for IDENTITY_TYPE_TT_USER), as MessageToShortJson prints them.
  bool short_enum_names = false;
  // Leave out every field annotated `[(google.api.field_behavior) =
  // INPUT_ONLY]`, at any depth, whatever it holds: AIP-203's "not included
  // in output", for printing answers. protobuf's printer has no such option
  // (the differential comparison runs with it off).
  bool omit_input_only = false;
};

// Whether `f` is annotated `[(google.api.field_behavior) = INPUT_ONLY]`
// (what `omit_input_only` leaves out; the OpenAPI document marks it
// writeOnly).
bool IsInputOnly(const google::protobuf::FieldDescriptor* f);

// Appends the JSON of `message` to `out`. Fails (INTERNAL) only where
// protobuf's printer would, e.g. an Any whose type is unknown.
absl::Status PrintJson(const google::protobuf::Message& message,
                       const JsonPrintOptions& options, std::string* out);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_JSON_PRINTER_H_
