#include "libs/server/metrics_interceptors.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/server/peer_channel.h"
#include "libs/server/trace_interceptor.h"

namespace ttads::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

RpcType TypeOf(grpc::experimental::ServerRpcInfo::Type type) {
  using T = grpc::experimental::ServerRpcInfo::Type;
  switch (type) {
    case T::CLIENT_STREAMING:
      return RpcType::kClientStream;
    case T::SERVER_STREAMING:
      return RpcType::kServerStream;
    case T::BIDI_STREAMING:
      return RpcType::kBidiStream;
    default:
      return RpcType::kUnary;
  }
}

RpcType TypeOf(grpc::experimental::ClientRpcInfo::Type type) {
  using T = grpc::experimental::ClientRpcInfo::Type;
  switch (type) {
    case T::CLIENT_STREAMING:
      return RpcType::kClientStream;
    case T::SERVER_STREAMING:
      return RpcType::kServerStream;
    case T::BIDI_STREAMING:
      return RpcType::kBidiStream;
    default:
      return RpcType::kUnary;
  }
}

class ServerMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ServerMetricsInterceptor(RpcMetrics::Method* method)
      : method_(method), start_(absl::Now()) {
    method_->Started();
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      method_->Handled(methods->GetSendStatus().error_code(),
                       absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  RpcMetrics::Method* const method_;
  const absl::Time start_;
};

class ClientMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ClientMetricsInterceptor(RpcMetrics::Method* method)
      : method_(method) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      start_ = absl::Now();
      method_->Started();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_STATUS)) {
      method_->Handled(methods->GetRecvStatus()->error_code(),
                       absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  RpcMetrics::Method* const method_;
  absl::Time start_ = absl::Now();
};

}  // namespace

grpc::experimental::Interceptor*
ServerMetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ServerMetricsInterceptor(
      metrics_->For(info->method(), TypeOf(info->type())));
}

grpc::experimental::Interceptor*
ClientMetricsInterceptorFactory::CreateClientInterceptor(
    grpc::experimental::ClientRpcInfo* info) {
  return new ClientMetricsInterceptor(
      metrics_->For(info->method(), TypeOf(info->type())));
}

std::shared_ptr<grpc::Channel> InternalChannel(const std::string& address,
                                               RpcMetrics* metrics) {
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<ClientMetricsInterceptorFactory>(metrics));
  interceptors.push_back(std::make_unique<TraceClientInterceptorFactory>());
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), PeerChannelArguments(),
      std::move(interceptors));
}

}  // namespace ttads::server
