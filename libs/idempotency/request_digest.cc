#include "libs/idempotency/request_digest.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace ttads::idempotency {

std::string CanonicalBytes(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* rid =
      request.GetDescriptor()->FindFieldByName("request_id");
  const google::protobuf::Message* source = &request;
  std::unique_ptr<google::protobuf::Message> copy;
  if (rid != nullptr && request.GetReflection()->HasField(request, rid)) {
    copy.reset(request.New());
    copy->CopyFrom(request);
    copy->GetReflection()->ClearField(copy.get(), rid);
    source = copy.get();
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    source->SerializePartialToCodedStream(&out);
  }
  return bytes;
}

std::string RequestDigest(const google::protobuf::Message& request) {
  return crypto::Sha256Hex(CanonicalBytes(request));
}

void StreamDigest::Add(const google::protobuf::Message& message) {
  const std::string bytes = CanonicalBytes(message);
  hasher_.Update(absl::StrCat(bytes.size(), ":"));
  hasher_.Update(bytes);
  ++messages_;
}

std::string StreamDigest::Finish() {
  hasher_.Update(absl::StrCat("n=", messages_));
  return hasher_.FinalHex();
}

}  // namespace ttads::idempotency
