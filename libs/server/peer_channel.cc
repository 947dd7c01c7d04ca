#include "libs/server/peer_channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace ttads::server {

std::shared_ptr<grpc::Channel> CreatePeerChannel(const std::string& target,
                                                 grpc::ChannelArguments args) {
  args.SetLoadBalancingPolicyName("round_robin");
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace ttads::server
