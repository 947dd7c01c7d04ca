#include "services/gateway/unary_retry.h"

#include <utility>

namespace ttads::gateway {

bool RetrySafe(absl::string_view http_method, bool key_is_honoured) {
  return http_method == "GET" || http_method == "HEAD" || key_is_honoured;
}

void UnaryWithRetry(BackendPool& pool, UnaryRetryCall call,
                    BackendPool::UnaryDone done) {
  auto context = call.make_context(call.deadline);
  if (!call.may_retry) {
    pool.Unary(call.service, call.grpc_path, std::move(context),
               std::move(call.request), std::move(done));
    return;
  }
  // The request bytes are kept for the retry, so the first attempt gets a
  // copy.
  auto retry = std::make_shared<UnaryRetryCall>(std::move(call));
  pool.Unary(retry->service, retry->grpc_path, std::move(context),
             retry->request,
             [&pool, retry, done = std::move(done)](
                 grpc::Status status, std::string response) mutable {
               if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
                   std::chrono::system_clock::now() >= retry->deadline) {
                 done(std::move(status), std::move(response));
                 return;
               }
               if (retry->on_retry) retry->on_retry();
               pool.Unary(retry->service, retry->grpc_path,
                          retry->make_context(retry->deadline),
                          std::move(retry->request), std::move(done));
             });
}

}  // namespace ttads::gateway
