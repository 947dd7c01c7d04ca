#include "libs/server/unary.h"

#include "absl/time/clock.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"

namespace ttads::server {

absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       CallContext* call) {
  call->request_id = RequestIdFrom(context);
  call->deadline = absl::FromChrono(context.deadline());
  call->trace = TraceFrom(context);
  call->peer = context.peer();
  if (env.authenticator == nullptr) return absl::OkStatus();
  std::string key = BearerKeyFrom(context);
  if (key.empty()) {
    return absl::UnauthenticatedError(
        "missing API key: send metadata 'authorization: Bearer <key>'");
  }
  TTADS_ASSIGN_OR_RETURN(call->caller, env.authenticator->Authenticate(key));
  call->caller.api_key = std::move(key);
  return absl::OkStatus();
}

absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       const google::protobuf::Message& request,
                       CallContext* call) {
  TTADS_RETURN_IF_ERROR(BeginCall(env, context, call));
  return validate::Validate(request);
}

bool BeginCallFromMemory(const ServiceEnv& env,
                         const grpc::CallbackServerContext& context,
                         CallContext* call) {
  call->request_id = RequestIdFrom(context);
  call->deadline = absl::FromChrono(context.deadline());
  call->trace = TraceFrom(context);
  call->peer = context.peer();
  if (env.authenticator == nullptr) return true;
  std::string key = BearerKeyFrom(context);
  if (key.empty()) return false;
  auto caller = env.authenticator->TryAuthenticateFromMemory(key);
  if (!caller.has_value()) return false;
  call->caller = *std::move(caller);
  call->caller.api_key = std::move(key);
  return true;
}

void FinishCall(const ServiceEnv& env, grpc::CallbackServerContext* context,
                grpc::ServerUnaryReactor* reactor, std::string_view method,
                const CallContext& call, absl::Status status,
                absl::Time start) {
  AddResponseMetadata(call, context);
  reactor->Finish(EndCall(env, method, call, std::move(status), start));
}

grpc::Status EndCall(const ServiceEnv& env, std::string_view method,
                     const CallContext& call, absl::Status status,
                     absl::Time start) {
  if (!status.ok() && env.decorate_error) {
    status = env.decorate_error(std::move(status));
  }
  const absl::Duration elapsed = absl::Now() - start;
  LogCall(env, method, call, status, elapsed);
  return status::ToGrpcStatus(status);
}

void LogCall(const ServiceEnv& env, std::string_view method,
             const CallContext& call, const absl::Status& status,
             absl::Duration elapsed) {
  const log::Level level =
      status.ok() ? log::Level::kInfo
      : status.code() == absl::StatusCode::kInternal ||
              status.code() == absl::StatusCode::kUnknown ||
              status.code() == absl::StatusCode::kDataLoss
          ? log::Level::kError
          : log::Level::kWarn;
  if (!log::Enabled(level)) return;
  if (status.ok() && !log::SampleAccess()) return;
  log::Log(level, "call",
           {{"server", env.service_name},
            {"method", std::string(method)},
            {"code", absl::StatusCodeToString(status.code())},
            {"request_id", call.request_id},
            {"trace_id", call.trace.trace_id_view()},
            {"span_id", call.trace.span_id_view()},
            {"parent_span_id", call.trace.parent_span_id_view()},
            {"peer", call.peer},
            {"team_id", call.caller.team_id},
            {"member_id", call.caller.member_id},
            {"ms", absl::ToDoubleMilliseconds(elapsed)},
            {"error", std::string(status.message())}});
}

}  // namespace ttads::server
