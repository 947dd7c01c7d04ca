#include "libs/server/peer_channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace ttads::server {

grpc::ChannelArguments PeerChannelArguments(grpc::ChannelArguments args) {
  // round_robin over every resolved address, and gRPC's client-side health
  // checking (grpc.health.v1 Watch on each connection): a replica that
  // reports NOT_SERVING — every ttads server does for TTADS_DRAIN_SECONDS
  // after SIGTERM — leaves the rotation before it stops accepting calls.
  // A server without the health service is assumed healthy.
  args.SetServiceConfigJSON(R"({"loadBalancingConfig":[{"round_robin":{}}],)"
                            R"("healthCheckConfig":{"serviceName":""}})");
  return args;
}

std::shared_ptr<grpc::Channel> CreatePeerChannel(const std::string& target,
                                                 grpc::ChannelArguments args) {
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   PeerChannelArguments(std::move(args)));
}

}  // namespace ttads::server
