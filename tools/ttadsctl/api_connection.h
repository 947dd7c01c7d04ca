#ifndef TTADS_TOOLS_TTADSCTL_API_CONNECTION_H_
#define TTADS_TOOLS_TTADSCTL_API_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

// How ttadsctl calls a ttads gRPC service (the admin API, the audience
// service): a gRPC target and the API key sent as
// `authorization: Bearer <key>`, as every ttads client does. The suite's
// gRPC servers listen in plain text inside the cluster (TLS ends at the
// ingress or the mesh), so the channel is plain text too.
namespace ttads::ttadsctl {

struct ApiConnection {
  // A gRPC target: "host:port", "dns:///svc.ns:50051", ...
  std::string address;
  // The caller's API key ("ttads_..."); never printed.
  std::string api_key;
  // Deadline of each unary call (a watch has none: it runs until the job
  // ends or the user stops it).
  absl::Duration timeout = absl::Seconds(10);
};

// A plain-text channel to `address`.
std::shared_ptr<grpc::Channel> ApiChannel(const std::string& address);

// Sets the key's metadata on `context` and, when `unary`, the deadline.
void PrepareCall(const ApiConnection& api, bool unary,
                 grpc::ClientContext* context);

// The server's status with its google.rpc details as payloads
// (status::FromGrpcStatus), the target named when it could not be reached.
absl::Status FromServer(const ApiConnection& api, const grpc::Status& status);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_API_CONNECTION_H_
