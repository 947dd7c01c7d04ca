// ttads-null-proxy: the least an HTTP -> gRPC hop can cost with the libraries
// the gateway is built on. It serves every HTTP request by making one fixed
// unary call (a request prepared once from --data) on the same kind of
// backend channels as the gateway, with the caller's Authorization header as
// metadata, and answers with the response's raw bytes. No routing,
// transcoding, quota, metrics or logging: what it spends per request is the
// floor under the gateway's own cost (bench/gateway_vs_grpc.sh).
//
//   ttads-null-proxy --port=8081 --target=127.0.0.1:50052 \
//     --method=ttads.preflight.v1.PreflightService/PublishCheck \
//     --data='{"advertiserId":"7101000000000000001","objective":"TRAFFIC"}'
//
// Not a product binary: it answers anything with that one call.
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "bench/load/request_builder.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/http/server.h"

ABSL_FLAG(int, port, 0, "HTTP port on 127.0.0.1 (0: ephemeral, printed)");
ABSL_FLAG(std::string, target, "127.0.0.1:50052", "backend host:port");
ABSL_FLAG(std::string, method, "", "full method name, Service/Method");
ABSL_FLAG(std::string, data, "{}", "the request, as proto3 JSON");
ABSL_FLAG(int, channels, 2, "backend connections, as the gateway's default");
ABSL_FLAG(int, threads, 0, "HTTP threads (0: one per usable CPU)");

namespace {

struct Backend {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  std::atomic<size_t> next{0};
  std::string path;
  std::string request_bytes;
};

// 200 with the response's bytes, or 502 with the gRPC error message.
void Answer(ttads::http::HttpResponder& responder, const grpc::Status& status,
            std::string body) {
  if (!status.ok()) {
    responder.Send(
        ttads::http::HttpResponse::Text(502, status.error_message() + "\n"));
    return;
  }
  ttads::http::HttpResponse response;
  response.headers.Add("Content-Type", "application/x-protobuf");
  response.body = std::move(body);
  responder.Send(std::move(response));
}

void Forward(Backend& backend, const ttads::http::HttpRequest& request,
             ttads::http::HttpResponder responder) {
  struct Call {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
  };
  auto call = std::make_shared<Call>();
  if (auto auth = request.headers.Get("authorization")) {
    call->context.AddMetadata("authorization", *auth);
  }
  call->context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(5));
  grpc::Slice slice(backend.request_bytes);
  call->request = grpc::ByteBuffer(&slice, 1);
  grpc::GenericStub& stub =
      *backend.stubs[backend.next.fetch_add(1, std::memory_order_relaxed) %
                     backend.stubs.size()];
  stub.UnaryCall(
      &call->context, backend.path, grpc::StubOptions(), &call->request,
      &call->response, [call, responder](grpc::Status status) mutable {
        std::string body;
        if (status.ok()) {
          std::vector<grpc::Slice> slices;
          (void)call->response.Dump(&slices);
          for (const grpc::Slice& s : slices) {
            body.append(reinterpret_cast<const char*>(s.begin()), s.size());
          }
        }
        Answer(responder, status, std::move(body));
      });
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Blocked before any thread starts, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto prepared = ttads::load::PrepareCall(absl::GetFlag(FLAGS_method),
                                           absl::GetFlag(FLAGS_data));
  if (!prepared.ok()) {
    std::cerr << "ttads-null-proxy: " << prepared.status().message() << "\n";
    return 1;
  }
  Backend backend;
  backend.path = prepared->path;
  backend.request_bytes = prepared->request_bytes;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
    // The gateway's channel settings (services/gateway/backend_pool.cc).
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("ttads.null_proxy.channel", i);
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
    backend.stubs.push_back(std::make_unique<grpc::GenericStub>(
        grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                  grpc::InsecureChannelCredentials(), args)));
  }

  ttads::http::HttpServer::Options options;
  options.port = absl::GetFlag(FLAGS_port);
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.threads <= 0) {
    options.threads = static_cast<int>(std::thread::hardware_concurrency());
  }
  ttads::http::HttpServer server(
      options, [&backend](ttads::http::HttpRequest request,
                          ttads::http::HttpResponder responder) {
        Forward(backend, request, std::move(responder));
      });
  if (absl::Status s = server.Start(); !s.ok()) {
    std::cerr << "ttads-null-proxy: " << s.message() << "\n";
    return 1;
  }
  std::cout << "listening on 127.0.0.1:" << server.port() << std::endl;

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server.Stop();
  return 0;
}
