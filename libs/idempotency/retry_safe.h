#ifndef TTADS_LIBS_IDEMPOTENCY_RETRY_SAFE_H_
#define TTADS_LIBS_IDEMPOTENCY_RETRY_SAFE_H_

#include <string>
#include <string_view>
#include <vector>

// Which RPCs a caller may retry with their request id after a failure that
// leaves the outcome unknown (UNAVAILABLE, a lost connection): exactly the
// methods the contracts annotate `option (ttads.common.v1.honours_request_id)
// = true` (proto/ttads/common/v1/field_rules.proto), read from the compiled
// descriptors of every ttads service — one list, generated from the
// contracts, for the gateway and any other caller. A method that is not on
// it may apply twice when retried, whatever its request carries.
namespace ttads::idempotency {

// True for a gRPC path ("/ttads.audience.v1.AudienceService/CreateAudience")
// of a method that honours its request id; false for any other method and
// for unknown paths.
bool HonoursRequestId(std::string_view grpc_path);

// Every such method's gRPC path, sorted.
const std::vector<std::string>& MethodsHonouringRequestId();

}  // namespace ttads::idempotency

#endif  // TTADS_LIBS_IDEMPOTENCY_RETRY_SAFE_H_
