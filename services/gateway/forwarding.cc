#include "services/gateway/forwarding.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway/unary_retry.h"

namespace ttads::gateway {
namespace {

std::unique_ptr<grpc::ClientContext> MakeContext(
    const BackendCall& call, std::chrono::system_clock::time_point deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(deadline);
  context->AddMetadata("authorization", absl::StrCat("Bearer ", *call.api_key));
  context->AddMetadata("x-request-id", *call.request_id);
  if (call.trace != nullptr) {
    context->AddMetadata(trace::kTraceparentHeader, call.trace->Traceparent());
    if (!call.trace->tracestate.empty()) {
      context->AddMetadata(trace::kTracestateHeader, call.trace->tracestate);
    }
  }
  return context;
}

std::chrono::system_clock::time_point DeadlineOf(const BackendCall& call) {
  return std::chrono::system_clock::now() + call.timeout;
}

}  // namespace

Forwarder::Forwarder(BackendPool& backends, server::WorkQueue& blocking,
                     prometheus::Registry& registry)
    : backends_(backends),
      blocking_(blocking),
      retries_(&prometheus::BuildCounter()
                    .Name("ttads_gateway_backend_retries_total")
                    .Help("Unary backend calls made a second time after "
                          "UNAVAILABLE (docs/gateway.md, Backend retries), "
                          "by gRPC method")
                    .Register(registry)) {}

void Forwarder::Unary(const BackendCall& call,
                      const google::protobuf::Message& request,
                      BackendPool::UnaryDone done) {
  UnaryRetryCall retry;
  retry.service = call.route->service_name();
  retry.grpc_path = call.route->grpc_path;
  retry.request = request.SerializeAsString();
  retry.deadline = DeadlineOf(call);
  retry.make_context = [&call](std::chrono::system_clock::time_point deadline) {
    return MakeContext(call, deadline);
  };
  retry.may_retry = call.may_retry;
  retry.on_retry = [this, &call]() {
    retries_->Add({{"method", *call.metric_method}}).Increment();
  };
  UnaryWithRetry(backends_, std::move(retry), std::move(done));
}

void Forwarder::ServerStream(const BackendCall& call,
                             const google::protobuf::Message& request,
                             OnStreamMessage on_message,
                             BackendPool::StreamDone done) {
  std::unique_ptr<grpc::ClientContext> context =
      MakeContext(call, DeadlineOf(call));
  grpc::ClientContext* cancel = context.get();  // Lives until `done`.
  backends_.ServerStream(
      call.route->service_name(), call.route->grpc_path, std::move(context),
      request.SerializeAsString(),
      [cancel, on_message = std::move(on_message)](std::string bytes) {
        if (!on_message(std::move(bytes))) cancel->TryCancel();
      },
      std::move(done));
}

void Forwarder::ClientStream(const BackendCall& call,
                             UploadSource::Options options,
                             std::string initial_body,
                             std::shared_ptr<http::BodyReader> body_reader,
                             UploadDone done) {
  UploadSource::ReadMore read_more;
  if (body_reader != nullptr) {
    // A piece arrives on an HTTP I/O thread; what it completes (JSON or
    // CSV conversion) runs on the blocking pool.
    read_more = [this, reader = std::move(body_reader)](
                    std::function<void(absl::StatusOr<std::string>)> ready) {
      reader->Read(
          [this, ready = std::move(ready)](absl::StatusOr<std::string> piece) {
            blocking_.Post([ready, piece = std::move(piece)] { ready(piece); });
          });
    };
  }
  auto source = std::make_shared<UploadSource>(
      std::move(options), std::move(initial_body), std::move(read_more));
  backends_.ClientStream(
      call.route->service_name(), call.route->grpc_path,
      MakeContext(call, DeadlineOf(call)),
      [this, source](BackendPool::MessageReady ready) {
        blocking_.Post([source, ready] { source->Next(ready); });
      },
      [source, done = std::move(done)](grpc::Status status,
                                       absl::Status source_error,
                                       std::string response) {
        done(std::move(status), std::move(source_error), source->body_failed(),
             std::move(response));
      });
}

}  // namespace ttads::gateway
