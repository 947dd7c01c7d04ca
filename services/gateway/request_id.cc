#include "services/gateway/request_id.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"

namespace ttads::gateway {
namespace {

bool SafeHeaderValue(absl::string_view v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

// A per-thread generator seeded from the OS costs no lock.
std::string NewRequestId() {
  thread_local absl::BitGen gen;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(24, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = absl::Uniform<uint64_t>(gen);
    for (int i = 0; i < 12; ++i) {
      out[half * 12 + i] = kHex[bits & 15];
      bits >>= 4;
    }
  }
  return out;
}

absl::StatusOr<RequestIds> ReadRequestIds(const http::Headers& headers) {
  RequestIds ids;
  ids.idempotency_key = headers.Get("Idempotency-Key");
  std::optional<std::string> given = headers.Get("X-Request-Id");
  for (const auto& [name, value] :
       {std::pair{"Idempotency-Key", &ids.idempotency_key},
        std::pair{"X-Request-Id", &given}}) {
    if (value->has_value() && !SafeHeaderValue(**value)) {
      return status::InvalidArgument(
          absl::StrCat(name, " must be 1-128 visible ASCII characters"),
          {{name, "bad header value"}});
    }
  }
  if (ids.idempotency_key.has_value()) {
    ids.request_id = *ids.idempotency_key;
  } else if (given.has_value()) {
    ids.request_id = *std::move(given);
  } else {
    ids.request_id = NewRequestId();
  }
  return ids;
}

}  // namespace ttads::gateway
