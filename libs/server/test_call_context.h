#ifndef TTADS_LIBS_SERVER_TEST_CALL_CONTEXT_H_
#define TTADS_LIBS_SERVER_TEST_CALL_CONTEXT_H_

// Test support: the CallContext a domain test hands to the code under test
// in place of one the gRPC adapter derived from an API key. Header-only; a
// test gets call_context.h's types through the ttads_server it links.

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/server/call_context.h"

namespace ttads::server::testing {

// A call of `member` with `role` ("owner", "manager" or "mediabuyer") in
// `team`, due 10 s from now. No request id, key, trace or peer.
inline CallContext Caller(const std::string& member,
                          const std::string& role = "owner",
                          const std::string& team = "t1") {
  CallContext c;
  c.caller.team_id = team;
  c.caller.member_id = member;
  c.caller.role = role;
  c.deadline = absl::Now() + absl::Seconds(10);
  return c;
}

}  // namespace ttads::server::testing

#endif  // TTADS_LIBS_SERVER_TEST_CALL_CONTEXT_H_
