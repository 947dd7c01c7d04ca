#include "libs/server/call_context.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace ttads::server {
namespace {

thread_local const CallContext* current_call = nullptr;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("%016x%016x", rng(), rng());
}

std::string_view Lookup(const grpc::ServerContextBase& context,
                        std::string_view key) {
  const auto& md = context.client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.' && c != ':')
      return false;
  }
  return true;
}

}  // namespace

std::string RequestIdFrom(const grpc::ServerContextBase& context) {
  std::string_view id = Lookup(context, kRequestIdHeader);
  if (ValidRequestId(id)) return std::string(id);
  return NewRequestId();
}

trace::TraceContext TraceFrom(const grpc::ServerContextBase& context) {
  return trace::ContinueOrStart(Lookup(context, trace::kTraceparentHeader),
                                Lookup(context, trace::kTracestateHeader));
}

void AddResponseMetadata(const CallContext& call,
                         grpc::ServerContextBase* context) {
  context->AddInitialMetadata(kRequestIdHeader, call.request_id);
  context->AddInitialMetadata(trace::kTraceresponseHeader,
                              call.trace.Traceparent());
}

std::string BearerKeyFrom(const grpc::ServerContextBase& context) {
  std::string_view raw = Lookup(context, kAuthorizationHeader);
  absl::string_view value(raw.data(), raw.size());
  constexpr absl::string_view kBearer = "bearer ";
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
    return "";
  }
  return std::string(absl::StripAsciiWhitespace(value.substr(kBearer.size())));
}

void PrepareOutbound(const CallContext& call, grpc::ClientContext* client,
                     absl::Duration max_timeout) {
  if (!call.caller.api_key.empty()) {
    client->AddMetadata(kAuthorizationHeader, "Bearer " + call.caller.api_key);
  }
  client->AddMetadata(kRequestIdHeader, call.request_id);
  client->AddMetadata(trace::kTraceparentHeader, call.trace.Traceparent());
  if (!call.trace.tracestate.empty()) {
    client->AddMetadata(trace::kTracestateHeader, call.trace.tracestate);
  }
  absl::Time deadline = std::min(call.deadline, absl::Now() + max_timeout);
  client->set_deadline(absl::ToChronoTime(deadline));
}

const CallContext* CurrentCall() { return current_call; }

ScopedCurrentCall::ScopedCurrentCall(const CallContext* call)
    : outer_(current_call), trace_(call != nullptr ? &call->trace : nullptr) {
  current_call = call;
}

ScopedCurrentCall::~ScopedCurrentCall() { current_call = outer_; }

}  // namespace ttads::server
