// Fuzzes the gateway's JSON/query transcoding (services/gateway/transcoder.h)
// against messages from libprotobuf itself, so the clang build needs no
// generated suite protos: FileDescriptorProto (nested and repeated messages,
// enums, bools, strings, int32) and google.protobuf.Value (arbitrarily deep
// JSON). The first byte picks the mode:
//   0: body JSON → FileDescriptorProto; an accepted body renders (both
//      styles) and the kApi rendering parses back to the same message;
//   1: query string → ApplyQuery;
//   2: "field.path=value" → CanonicalFieldPath + SetFieldFromString;
//   3: body JSON → google.protobuf.Value (deep nesting, odd numbers, UTF-8).
// Every failure must be INVALID_ARGUMENT; nothing may crash or throw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/http/query.h"
#include "services/gateway/transcoder.h"

namespace {

using ttads::gateway::JsonStyle;

void CheckRejected(const absl::Status& status) {
  if (!status.ok() && status.code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 4;
  const absl::string_view input(reinterpret_cast<const char*>(data + 1),
                                size - 1);
  google::protobuf::FileDescriptorProto message;
  switch (mode) {
    case 0: {
      absl::Status parsed = ttads::gateway::ParseJson(input, &message);
      CheckRejected(parsed);
      if (!parsed.ok()) return 0;
      auto api = ttads::gateway::ToJson(message, JsonStyle::kApi);
      auto tool = ttads::gateway::ToJson(message, JsonStyle::kTool);
      if (!api.ok() || !tool.ok()) std::abort();
      google::protobuf::FileDescriptorProto again;
      if (absl::Status s = ttads::gateway::ParseJson(*api, &again); !s.ok()) {
        std::fprintf(stderr, "kApi rendering does not parse back: %s\n%s\n",
                     std::string(s.message()).c_str(), api->c_str());
        std::abort();
      }
      // Proto2 presence differs after printing defaults; values must not.
      if (!google::protobuf::util::MessageDifferencer::Equivalent(again,
                                                                  message)) {
        std::abort();
      }
      break;
    }
    case 1: {
      std::string raw(input.data(), input.size());
      ttads::http::QueryParams query = ttads::http::ParseQuery(raw);
      CheckRejected(ttads::gateway::ApplyQuery(query, {}, &message));
      break;
    }
    case 2: {
      const size_t eq = input.find('=');
      const absl::string_view path = input.substr(0, eq);
      const absl::string_view value = eq == absl::string_view::npos
                                          ? absl::string_view()
                                          : input.substr(eq + 1);
      auto canonical =
          ttads::gateway::CanonicalFieldPath(message.GetDescriptor(), path);
      CheckRejected(canonical.status());
      CheckRejected(ttads::gateway::SetFieldFromString(&message, path, value));
      break;
    }
    case 3: {
      google::protobuf::Value value;
      absl::Status parsed = ttads::gateway::ParseJson(input, &value);
      CheckRejected(parsed);
      if (parsed.ok()) {
        auto api = ttads::gateway::ToJson(value, JsonStyle::kApi);
        (void)api;
      }
      break;
    }
  }
  return 0;
}
