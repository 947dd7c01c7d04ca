#ifndef TTADS_LIBS_SERVER_TRACE_INTERCEPTOR_H_
#define TTADS_LIBS_SERVER_TRACE_INTERCEPTOR_H_

// The client side of trace propagation between the suite's services: a call
// made on an InternalChannel while a span is current on the calling thread
// (trace::Current(): the pipeline sets it around domain code) carries
// `traceparent` (that span as the parent) and its `tracestate`. A call whose
// metadata already has a `traceparent` (PrepareOutbound adds one from the
// CallContext, which also works off the serving thread) is left as it is.
// The hook runs on the thread that starts the call, where the span is.

#include "grpcpp/support/client_interceptor.h"

namespace ttads::server {

class TraceClientInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_TRACE_INTERCEPTOR_H_
