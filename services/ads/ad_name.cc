#include "services/ads/ad_name.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/crypto/hashing.h"
#include "services/ads/ad_validation.h"

namespace ttads::ads {

compat::v1::CreateAdRequest KeyedRequest(const v1::AdInput& req) {
  v1::AdInput plain = req;
  for (const auto& name : AdEnumFields()) {
    plain.GetReflection()->ClearField(
        &plain, plain.GetDescriptor()->FindFieldByName(name));
  }
  compat::v1::CreateAdRequest out;
  out.ParseFromString(plain.SerializeAsString());
  for (const auto& [name, word] : CoreWords(req)) {
    out.GetReflection()->SetString(
        &out, out.GetDescriptor()->FindFieldByName(name), word);
  }
  return out;
}

std::string CreateRequestHash(const google::protobuf::Message& req) {
  std::unique_ptr<google::protobuf::Message> copy(req.New());
  copy->CopyFrom(req);
  for (const char* name : {"request_id", "validate_only"}) {
    const google::protobuf::FieldDescriptor* field =
        copy->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return crypto::Sha256Hex(bytes);
}

std::string AdNameMarker(const std::string& team_id, const std::string& key,
                         const std::string& request_hash) {
  return absl::StrCat(
      " [tt:",
      crypto::Sha256Hex(absl::StrCat(team_id, "|", key, "|", request_hash))
          .substr(0, 12),
      "]");
}

std::string GeneratedAdName(const std::string& ad_format,
                            const std::string& ad_text, absl::Time now) {
  std::string text = ad_text.substr(0, 40);
  // Do not cut a UTF-8 sequence in half.
  while (!text.empty() &&
         (static_cast<unsigned char>(text.back()) & 0xc0) == 0x80) {
    text.pop_back();
  }
  if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) {
    text.pop_back();
  }
  return absl::StrCat(ad_format, " ", text, " ",
                      absl::FormatTime("%Y-%m-%d", now, absl::UTCTimeZone()));
}

}  // namespace ttads::ads
