#include "libs/server/unary.h"

#include <iostream>

#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace ttads::server {

absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       CallContext* call) {
  call->request_id = RequestIdFrom(context);
  call->deadline = absl::FromChrono(context.deadline());
  if (env.authenticator == nullptr) return absl::OkStatus();
  std::string key = BearerKeyFrom(context);
  if (key.empty()) {
    return absl::UnauthenticatedError(
        "missing API key: send metadata 'authorization: Bearer <key>'");
  }
  auto caller = env.authenticator->Authenticate(key);
  if (!caller.ok()) return caller.status();
  call->caller = *std::move(caller);
  call->caller.api_key = std::move(key);
  return absl::OkStatus();
}

void LogCall(const ServiceEnv& env, std::string_view method,
             const CallContext& call, const absl::Status& status,
             absl::Duration elapsed) {
  nlohmann::json line = {
      {"ts", absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())},
      {"level", status.ok() ? "info" : "warn"},
      {"msg", "call"},
      {"service", env.service_name},
      {"method", std::string(method)},
      {"code", absl::StatusCodeToString(status.code())},
      {"request_id", call.request_id},
      {"team_id", call.caller.team_id},
      {"member_id", call.caller.member_id},
      {"ms", absl::ToDoubleMilliseconds(elapsed)}};
  if (!status.ok()) line["error"] = std::string(status.message());
  std::string text = line.dump(-1, ' ', false,
                               nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::cerr << text;
}

}  // namespace ttads::server
