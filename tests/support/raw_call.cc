#include "tests/support/raw_call.h"

#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace ttads::testing {

grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method,
                     const std::vector<std::string>& messages,
                     grpc::ClientContext* context) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(context, method, &cq);
  void* tag;
  bool ok;
  call->StartCall(nullptr);
  cq.Next(&tag, &ok);
  for (const std::string& m : messages) {
    grpc::Slice slice(m);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, nullptr);
    if (!cq.Next(&tag, &ok) || !ok) break;
  }
  call->WritesDone(nullptr);
  cq.Next(&tag, &ok);
  grpc::ByteBuffer response;
  do {
    call->Read(&response, nullptr);
    cq.Next(&tag, &ok);
  } while (ok);
  grpc::Status status;
  call->Finish(&status, nullptr);
  cq.Next(&tag, &ok);
  return status;
}

}  // namespace ttads::testing
