#include "libs/server/trace_interceptor.h"

#include "libs/trace/trace_context.h"

namespace ttads::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class TraceClientInterceptor : public grpc::experimental::Interceptor {
 public:
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      const trace::TraceContext* span = trace::Current();
      auto* metadata = methods->GetSendInitialMetadata();
      if (span != nullptr &&
          metadata->find(trace::kTraceparentHeader) == metadata->end()) {
        metadata->emplace(trace::kTraceparentHeader, span->Traceparent());
        if (!span->tracestate.empty()) {
          metadata->emplace(trace::kTracestateHeader, span->tracestate);
        }
      }
    }
    methods->Proceed();
  }
};

}  // namespace

grpc::experimental::Interceptor*
TraceClientInterceptorFactory::CreateClientInterceptor(
    grpc::experimental::ClientRpcInfo* /*info*/) {
  return new TraceClientInterceptor();
}

}  // namespace ttads::server
