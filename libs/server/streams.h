#ifndef TTADS_LIBS_SERVER_STREAMS_H_
#define TTADS_LIBS_SERVER_STREAMS_H_

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "libs/server/call_context.h"
#include "libs/server/decode_guard.h"
#include "libs/server/unary.h"
#include "libs/validate/validate.h"

// The suite's pipeline for the RPC kinds HandleUnary does not cover. Every
// helper gives the same guarantees as HandleUnary: the request id (from
// `x-request-id`, or minted) echoed in the initial metadata, authentication
// before anything else, the request's contract checks (libs/validate) on
// every message, domain work on the work queue, and one EndCall at the end
// — env.decorate_error (TikTok's error as google.rpc details), the one
// status mapping and an access log line with the request id (the call's
// grpc_server_* metrics come from the server's metrics interceptor).
namespace ttads::server {

// The status of a stream gRPC cancelled: DEADLINE_EXCEEDED when its
// deadline has (about) passed — gRPC's own timer may fire a little before
// absl::Now() reaches it —, CANCELLED otherwise. Reads the context's
// deadline, so it holds before BeginCall has run.
inline absl::Status StreamCancelledStatus(
    const grpc::CallbackServerContext& context) {
  return absl::Now() + absl::Milliseconds(50) >=
                 absl::FromChrono(context.deadline())
             ? absl::DeadlineExceededError("the call's deadline passed")
             : absl::CancelledError("client cancelled");
}

// Ends an asynchronous call. Call it exactly once, from any thread.
using Finisher = std::function<void(absl::Status)>;

// A unary call whose domain work finishes later (e.g. on an upstream
// client's callback, without holding a thread): `handle` starts on the work
// queue once the call is authenticated and validated, and calls `finish`.
// The request and response stay valid until then.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleAsyncUnary(
    const ServiceEnv& env, grpc::CallbackServerContext* context,
    const Request* request, Response* response, std::string_view method,
    std::function<void(const CallContext&, const Request&, Response*, Finisher)>
        handle) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  env.work->Post([&env, context, request, response, reactor, start,
                  method = std::string(method), handle = std::move(handle)] {
    auto call = std::make_shared<CallContext>();
    absl::Status status = BeginCall(env, *context, *request, call.get());
    AddResponseMetadata(*call, context);
    Finisher finish = [&env, reactor, start, method, call](absl::Status s) {
      reactor->Finish(EndCall(env, method, *call, std::move(s), start));
    };
    if (!status.ok()) return finish(std::move(status));
    trace::ScopedTrace traced(&call->trace);
    handle(*call, *request, response, std::move(finish));
  });
  return reactor;
}

// A client-streaming RPC. Its service method is registered raw
// (`WithRawCallbackMethod_<Method>`), because grpc++ reports a message that
// does not decode as the end of the stream, which would commit whatever the
// stream builds; here such a message fails the stream with INVALID_ARGUMENT
// (DecodeStreamMessage). Subclass it, construct it with `new` in the
// service method and return it; it deletes itself.
//
// One message is read, decoded, validated and handed to OnMessage on the
// work queue before the next read starts, so a fast client cannot make the
// server buffer more than one message (flow control bounds memory).
template <typename Request, typename Response>
class ClientStreamReactor : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  ClientStreamReactor(const ServiceEnv* env,
                      grpc::CallbackServerContext* context,
                      grpc::ByteBuffer* response, std::string method)
      : env_(env),
        context_(context),
        response_(response),
        method_(std::move(method)),
        start_(absl::Now()) {}

  // Starts the pipeline; call it last in the subclass' constructor.
  void Begin() {
    env_->work->Post([this] {
      absl::Status s = BeginCall(*env_, *context_, &call_);
      AddResponseMetadata(call_, context_);
      if (!s.ok()) return End(std::move(s));
      StartRead(&raw_);
    });
  }

  void OnReadDone(bool ok) override {
    env_->work->Post([this, ok] {
      if (!ok) {
        if (context_->IsCancelled()) {
          absl::Status why = CancelledStatus();
          OnAbort(why);
          return End(std::move(why));
        }
        Response out;
        trace::ScopedTrace traced(&call_.trace);
        absl::Status s = OnEnd(call_, messages_, &out);
        if (s.ok()) {
          bool own_buffer = false;
          grpc::Status serialized =
              grpc::SerializationTraits<Response>::Serialize(out, response_,
                                                             &own_buffer);
          if (!serialized.ok()) {
            s = absl::InternalError(serialized.error_message());
          }
        }
        return End(std::move(s));
      }
      trace::ScopedTrace traced(&call_.trace);
      absl::Status s = DecodeStreamMessage(&raw_, messages_, &message_);
      if (s.ok()) s = validate::Validate(message_);
      if (s.ok()) s = OnMessage(call_, message_, messages_);
      ++messages_;
      if (!s.ok()) {
        OnAbort(s);
        return End(std::move(s));
      }
      message_.Clear();
      StartRead(&raw_);
    });
  }

  void OnDone() override { delete this; }

 protected:
  // Each message in order (`index` from 0), decoded and validated, on the
  // work queue. An error fails the stream: OnAbort, then the caller gets it.
  virtual absl::Status OnMessage(const CallContext& call, Request& message,
                                 int index) = 0;
  // After the last message, on the work queue: the answer (or the error) of
  // the whole stream. `messages` is how many were received.
  virtual absl::Status OnEnd(const CallContext& call, int messages,
                             Response* response) = 0;
  // The stream failed before OnEnd (a bad message, an OnMessage error, the
  // client cancelled or the deadline passed): undo what it started.
  virtual void OnAbort(const absl::Status& /*why*/) {}

  const CallContext& call() const { return call_; }

 private:
  absl::Status CancelledStatus() const {
    return StreamCancelledStatus(*context_);
  }
  void End(absl::Status status) {
    Finish(EndCall(*env_, method_, call_, std::move(status), start_));
  }

  const ServiceEnv* env_;
  grpc::CallbackServerContext* context_;
  grpc::ByteBuffer* response_;
  const std::string method_;
  const absl::Time start_;
  CallContext call_;
  grpc::ByteBuffer raw_;
  Request message_;
  int messages_ = 0;
};

// A server-streaming RPC. Subclass it, construct it with `new` in the
// service method and return it; it deletes itself after OnFinished.
// OnStart runs on the work queue once the call is authenticated and its
// request validated; from then on Send (any thread) queues a message —
// written in order, one at a time — and End (any thread, first call wins)
// ends the stream once the queued messages are written. A cancelled call
// (client gone, or the deadline passed: DEADLINE_EXCEEDED) ends by itself
// and OnCancelled tells the subclass to stop producing.
template <typename Request, typename Response>
class ServerStreamReactor : public grpc::ServerWriteReactor<Response> {
 public:
  ServerStreamReactor(const ServiceEnv* env,
                      grpc::CallbackServerContext* context,
                      const Request* request, std::string method)
      : env_(env),
        context_(context),
        request_(request),
        method_(std::move(method)),
        start_(absl::Now()) {}

  // Starts the pipeline; call it last in the subclass' constructor.
  void Begin() {
    env_->work->Post([this] {
      absl::Status s = BeginCall(*env_, *context_, *request_, &call_);
      AddResponseMetadata(call_, context_);
      // A stream cancelled while this step waited in the work queue is not
      // started: nothing would read what it produces.
      if (s.ok() && !Over()) {
        trace::ScopedTrace traced(&call_.trace);
        s = OnStart(call_, *request_);
      }
      std::lock_guard<std::mutex> lock(mu_);
      starting_ = false;
      if (!s.ok() && !final_.has_value()) final_ = std::move(s);
      MaybeFinishLocked();
    });
  }

  void Send(Response message) {
    std::lock_guard<std::mutex> lock(mu_);
    if (final_.has_value()) return;
    queue_.push_back(std::move(message));
    if (!writing_ && !starting_) WriteNextLocked();
  }

  void End(absl::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!final_.has_value()) final_ = std::move(status);
    MaybeFinishLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    queue_.pop_front();
    if (!ok && !final_.has_value()) final_ = CancelledStatus();
    if (!ok) queue_.clear();
    if (!queue_.empty() && ok) return WriteNextLocked();
    MaybeFinishLocked();
  }

  void OnCancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!final_.has_value()) final_ = CancelledStatus();
      // Drop what is not yet written, but not the message a pending write
      // still reads: OnWriteDone pops it.
      queue_.erase(writing_ ? queue_.begin() + 1 : queue_.begin(),
                   queue_.end());
      cancelled_ = true;
    }
    OnCancelled();
    std::lock_guard<std::mutex> lock(mu_);
    MaybeFinishLocked();
  }

  void OnDone() override {
    OnFinished();
    delete this;
  }

 protected:
  // On the work queue after authentication and validation: start producing
  // (e.g. register with an event source). An error ends the call with it.
  // Not called when the stream was cancelled or ended before.
  virtual absl::Status OnStart(const CallContext& call,
                               const Request& request) = 0;
  // The call was cancelled: stop producing (Send is ignored from now on).
  virtual void OnCancelled() {}
  // Last: the stream is over and nothing calls Send any more once this
  // returns (e.g. unregister from the event source).
  virtual void OnFinished() {}

  const CallContext& call() const { return call_; }

 private:
  absl::Status CancelledStatus() const {
    return StreamCancelledStatus(*context_);
  }
  bool Over() {
    std::lock_guard<std::mutex> lock(mu_);
    return final_.has_value();
  }
  void WriteNextLocked() {
    writing_ = true;
    this->StartWrite(&queue_.front());
  }
  // Finishes once there is a final status, no write is pending and the
  // start is over (it reads the request and context, which finishing
  // frees).
  void MaybeFinishLocked() {
    if (starting_ || writing_ || finished_) return;
    if (!final_.has_value()) {
      if (!queue_.empty()) WriteNextLocked();
      return;
    }
    if (!queue_.empty() && !cancelled_) return WriteNextLocked();
    finished_ = true;
    this->Finish(EndCall(*env_, method_, call_, *final_, start_));
  }

  const ServiceEnv* env_;
  grpc::CallbackServerContext* context_;
  const Request* request_;
  const std::string method_;
  const absl::Time start_;
  CallContext call_;
  std::mutex mu_;
  std::deque<Response> queue_;
  std::optional<absl::Status> final_;
  bool starting_ = true;
  bool writing_ = false;
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_STREAMS_H_
