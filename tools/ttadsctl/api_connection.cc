#include "tools/ttadsctl/api_connection.h"

#include <chrono>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/status/grpc_status.h"

namespace ttads::ttadsctl {

std::shared_ptr<grpc::Channel> ApiChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

void PrepareCall(const ApiConnection& api, bool unary,
                 grpc::ClientContext* context) {
  context->AddMetadata("authorization", "Bearer " + api.api_key);
  if (unary) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + api.timeout));
  }
}

absl::Status FromServer(const ApiConnection& api, const grpc::Status& status) {
  absl::Status out = status::FromGrpcStatus(status);
  if (out.code() == absl::StatusCode::kUnavailable) {
    absl::Status named(out.code(),
                       api.address + ": " + std::string(out.message()));
    out.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
      named.SetPayload(url, payload);
    });
    return named;
  }
  return out;
}

}  // namespace ttads::ttadsctl
