#ifndef TTADS_LIBS_SERVER_DECODE_GUARD_H_
#define TTADS_LIBS_SERVER_DECODE_GUARD_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_interceptor.h"

namespace ttads::server {

// Gives requests whose bytes do not decode the answer they deserve.
//
// grpc++ 1.51 (Debian 12) decodes a unary or server-streaming request before
// any handler runs and, when protobuf refuses the bytes (not the wire format,
// a proto3 string that is not UTF-8, nesting past protobuf's limit of 100),
// ignores the decoding status and answers UNIMPLEMENTED with an empty
// message (callback handlers) or INTERNAL (sync handlers such as Health).
// Interceptors see that case as a null message at POST_RECV_MESSAGE; this
// one then replaces the status the framework sends with INVALID_ARGUMENT,
// naming the request type and, when protobuf reported one, the string field
// that held invalid UTF-8 (a google.rpc.BadRequest field violation, e.g.
// "ad_text" or "creative.ad_text"; a repeated field on the way has no index).
// ServerRunner installs it on every server, so every unary and
// server-streaming RPC of every service gets it without per-RPC code.
//
// Messages read later from a client stream cannot be told apart from the end
// of the stream by an interceptor (both are a null message); client-streaming
// handlers read raw bytes and decode them with DecodeStreamMessage instead.
class DecodeGuardFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Installs (once per process) a protobuf log handler that records which
  // field held invalid UTF-8 on the decoding thread and keeps those lines
  // out of stderr; other protobuf log lines go to the previous handler.
  DecodeGuardFactory();
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// The INVALID_ARGUMENT for a request of type `message_type` (a full proto
// name) that did not decode; `field` is the path of the offending field or
// empty when unknown. `what` says which message ("the request", "message 3
// of the stream").
absl::Status UndecodableRequest(std::string_view what,
                                std::string_view message_type,
                                std::string_view field);

// Decodes one message of a client stream read as raw bytes into `out`:
// INVALID_ARGUMENT (as above, with the UTF-8 field path when protobuf
// reported one) when the bytes do not decode. `index` is the message's
// 0-based position in the stream.
absl::Status DecodeStreamMessage(grpc::ByteBuffer* buffer, int index,
                                 google::protobuf::Message* out);

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_DECODE_GUARD_H_
