#include "services/gateway/backend_pool.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "libs/server/peer_channel.h"

namespace ttads::gateway {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

grpc::Status NoBackend(absl::string_view service) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      absl::StrCat("no backend is configured for ", service));
}

struct UnaryCall {
  std::unique_ptr<grpc::ClientContext> context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
};

class ServerStreamReactor
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ServerStreamReactor(std::unique_ptr<grpc::ClientContext> context,
                      std::string request, BackendPool::OnMessage on_message,
                      BackendPool::StreamDone done)
      : context_(std::move(context)),
        request_(ToBuffer(request)),
        on_message_(std::move(on_message)),
        done_(std::move(done)) {}

  grpc::ClientContext* context() { return context_.get(); }

  void Start() {
    StartWrite(&request_);
    StartWritesDone();
    StartRead(&incoming_);
    StartCall();
  }
  void OnWriteDone(bool) override {}
  void OnReadDone(bool ok) override {
    if (!ok) return;
    on_message_(FromBuffer(incoming_));
    incoming_.Clear();
    StartRead(&incoming_);
  }
  // The reactor (and the ClientContext, which holds a reference to the
  // channel) goes before the answer: once `done` has answered, the caller may
  // tear the pool down, and the last channel reference must not be dropped
  // afterwards on gRPC's own thread.
  void OnDone(const grpc::Status& status) override {
    BackendPool::StreamDone done = std::move(done_);
    grpc::Status final_status = status;
    delete this;
    done(final_status);
  }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer incoming_;
  BackendPool::OnMessage on_message_;
  BackendPool::StreamDone done_;
};

class ClientStreamReactor
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ClientStreamReactor(std::unique_ptr<grpc::ClientContext> context,
                      BackendPool::NextMessage next,
                      BackendPool::ClientStreamDone done)
      : context_(std::move(context)),
        next_(std::move(next)),
        done_(std::move(done)) {}

  grpc::ClientContext* context() { return context_.get(); }

  void Start() {
    StartRead(&response_);
    AddHold();
    WriteNext();
    StartCall();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) return;
    AddHold();
    WriteNext();
  }
  void OnReadDone(bool ok) override { got_response_ = ok; }
  // As ServerStreamReactor::OnDone: released before answering.
  void OnDone(const grpc::Status& status) override {
    BackendPool::ClientStreamDone done = std::move(done_);
    grpc::Status final_status = status;
    absl::Status source_error = std::move(source_error_);
    std::string response =
        got_response_ ? FromBuffer(response_) : std::string();
    delete this;
    done(final_status, source_error, std::move(response));
  }

 private:
  // Holds the call open (AddHold) while the source is producing a message:
  // the reactor must not be destroyed before the source answers.
  void WriteNext() {
    next_([this](absl::StatusOr<std::optional<std::string>> next) {
      Write(std::move(next));
      RemoveHold();
    });
  }

  void Write(absl::StatusOr<std::optional<std::string>> next) {
    if (!next.ok()) {
      source_error_ = next.status();
      context_->TryCancel();
      return;
    }
    if (!next->has_value()) {
      StartWritesDone();
      return;
    }
    outgoing_ = ToBuffer(**next);
    StartWrite(&outgoing_);
  }

  std::unique_ptr<grpc::ClientContext> context_;
  BackendPool::NextMessage next_;
  BackendPool::ClientStreamDone done_;
  grpc::ByteBuffer outgoing_;
  grpc::ByteBuffer response_;
  bool got_response_ = false;
  absl::Status source_error_;
};

}  // namespace

BackendPool::BackendPool(const std::map<std::string, std::string>& addresses,
                         int channels_per_address)
    : service_address_(addresses) {
  for (const auto& [service, address] : addresses) {
    auto& backend = by_address_[address];
    if (backend != nullptr) continue;
    backend = std::make_unique<Backend>();
    for (int i = 0; i < std::max(1, channels_per_address); ++i) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
      // Its own connection, not a subchannel shared with the others.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetInt("ttads.gateway.channel", i);
      // gRPC's retry filter copies every call's send ops (~7 % of the
      // gateway's CPU per request); the gateway retries itself instead
      // (unary_retry.h).
      args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
      // Responses of any size are the backends' to send: a "message larger
      // than max" RESOURCE_EXHAUSTED then always means the request was too
      // large, which the gateway answers with 413 (error_mapping.h).
      args.SetMaxReceiveMessageSize(-1);
      backend->channels.push_back(server::CreatePeerChannel(address, args));
      backend->stubs.push_back(
          std::make_unique<grpc::GenericStub>(backend->channels.back()));
    }
  }
}

BackendPool::~BackendPool() = default;

bool BackendPool::Has(absl::string_view service) const {
  return service_address_.count(std::string(service)) > 0;
}

BackendPool::Backend* BackendPool::Find(absl::string_view service) {
  auto it = service_address_.find(std::string(service));
  if (it == service_address_.end()) return nullptr;
  return by_address_.at(it->second).get();
}

void BackendPool::Unary(absl::string_view service, const std::string& grpc_path,
                        std::unique_ptr<grpc::ClientContext> context,
                        std::string request, UnaryDone done) {
  Backend* backend = Find(service);
  if (backend == nullptr) {
    done(NoBackend(service), "");
    return;
  }
  auto call = std::make_shared<UnaryCall>();
  call->context = std::move(context);
  call->request = ToBuffer(request);
  backend->stub().UnaryCall(
      call->context.get(), grpc_path, grpc::StubOptions(), &call->request,
      &call->response, [call, done = std::move(done)](grpc::Status status) {
        std::string response =
            status.ok() ? FromBuffer(call->response) : std::string();
        // The context holds a channel reference: drop it before answering
        // (see ServerStreamReactor::OnDone).
        call->context.reset();
        done(status, std::move(response));
      });
}

void BackendPool::ServerStream(absl::string_view service,
                               const std::string& grpc_path,
                               std::unique_ptr<grpc::ClientContext> context,
                               std::string request, OnMessage on_message,
                               StreamDone done) {
  Backend* backend = Find(service);
  if (backend == nullptr) {
    done(NoBackend(service));
    return;
  }
  auto* reactor =
      new ServerStreamReactor(std::move(context), std::move(request),
                              std::move(on_message), std::move(done));
  backend->stub().PrepareBidiStreamingCall(reactor->context(), grpc_path,
                                           grpc::StubOptions(), reactor);
  reactor->Start();
}

void BackendPool::ClientStream(absl::string_view service,
                               const std::string& grpc_path,
                               std::unique_ptr<grpc::ClientContext> context,
                               NextMessage next, ClientStreamDone done) {
  Backend* backend = Find(service);
  if (backend == nullptr) {
    done(NoBackend(service), absl::OkStatus(), "");
    return;
  }
  auto* reactor = new ClientStreamReactor(std::move(context), std::move(next),
                                          std::move(done));
  backend->stub().PrepareBidiStreamingCall(reactor->context(), grpc_path,
                                           grpc::StubOptions(), reactor);
  reactor->Start();
}

void BackendPool::CheckHealth(
    std::chrono::milliseconds timeout,
    std::function<void(std::map<std::string, std::string>)> done) {
  struct State {
    std::mutex mu;
    std::map<std::string, std::string> results;
    size_t pending = 0;
    std::function<void(std::map<std::string, std::string>)> done;
  };
  auto state = std::make_shared<State>();
  state->pending = by_address_.size();
  state->done = std::move(done);
  if (state->pending == 0) {
    state->done({});
    return;
  }
  for (const auto& [address, backend] : by_address_) {
    struct Call {
      grpc::ClientContext context;
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      std::unique_ptr<grpc::health::v1::Health::Stub> stub;
    };
    auto call = std::make_shared<Call>();
    call->stub = grpc::health::v1::Health::NewStub(backend->channels.front());
    call->context.set_deadline(std::chrono::system_clock::now() + timeout);
    call->context.set_wait_for_ready(false);
    std::string addr = address;
    call->stub->async()->Check(
        &call->context, &call->request, &call->response,
        [call, state, addr](grpc::Status status) {
          std::string verdict;
          if (!status.ok()) {
            verdict = absl::StrCat("UNAVAILABLE: ", status.error_message());
          } else if (call->response.status() !=
                     grpc::health::v1::HealthCheckResponse::SERVING) {
            verdict = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                call->response.status());
          }
          std::map<std::string, std::string> results;
          {
            std::lock_guard<std::mutex> lock(state->mu);
            state->results[addr] = verdict;
            if (--state->pending > 0) return;
            results = state->results;
          }
          state->done(std::move(results));
        });
  }
}

}  // namespace ttads::gateway
