// Fuzzes ttads::tiktok::ParseEnvelope with arbitrary response bodies
// (malformed UTF-8, deep nesting, huge numbers, wrong types). Invariants:
// it never throws or crashes, and an accepted envelope is an object whose
// "code" was an integer that fits an int.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libs/tiktok/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ttads::tiktok::Envelope> envelope =
      ttads::tiktok::ParseEnvelope(body);
  if (!envelope.ok()) {
    if (envelope.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();  // documented: only INVALID_ARGUMENT
    }
    return 0;
  }
  (void)envelope->ok();
  // What callers do next with an accepted envelope must not throw either.
  if (!envelope->data.is_null()) {
    (void)envelope->data.dump(-1, ' ', false,
                              nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
