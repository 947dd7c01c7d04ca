#ifndef TTADS_LIBS_SERVER_PEER_CHANNEL_H_
#define TTADS_LIBS_SERVER_PEER_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace ttads::server {

// The channel a ttads process uses to call another ttads service.
//
// `target` is a gRPC target (libs/config Key::GrpcTarget): "host:port",
// "dns:///host:port", "ipv4:a:p,b:p", ... The channel balances with gRPC's
// `round_robin` policy: it connects to every address the target resolves to
// and sends each call to the next ready one, so a Kubernetes headless
// Service (one DNS record per ready pod) spreads calls over every replica.
// gRPC's default, `pick_first`, would send everything to one pod. New pods
// are found when the channel re-resolves — whenever a connection closes,
// which the servers force every TTADS_GRPC_MAX_CONNECTION_AGE_SECONDS
// (libs/server ServerOptions::max_connection_age). The channel also watches
// each replica's grpc.health.v1 status (client-side health checking): a
// replica that drains (NOT_SERVING for TTADS_DRAIN_SECONDS after SIGTERM)
// leaves the rotation before it stops, so no call is sent to it as it goes.
//
// `args` carries anything else the caller sets (keepalive, message sizes);
// its service config is replaced.
// The channel arguments CreatePeerChannel uses: `args` with the
// round_robin + health-checking service config. For channels built with
// other factories (e.g. with client interceptors, Metrics::InternalChannel).
grpc::ChannelArguments PeerChannelArguments(
    grpc::ChannelArguments args = grpc::ChannelArguments());

std::shared_ptr<grpc::Channel> CreatePeerChannel(
    const std::string& target,
    grpc::ChannelArguments args = grpc::ChannelArguments());

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_PEER_CHANNEL_H_
