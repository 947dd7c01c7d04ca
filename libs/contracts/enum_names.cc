#include "libs/contracts/enum_names.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/protobuf/type.pb.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "libs/status/status_macros.h"

namespace ttads::contracts {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com";

absl::Status ToAbsl(const google::protobuf::util::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.code()),
                      std::string(s.message()));
}

// The generated pool's type resolver (what JsonStringToMessage uses), with
// every enum's values renamed to, or extended by, their short names. The
// JSON parser looks an enum value up by name in the resolved enum (first
// match wins), the printer by number (first match wins).
class ShortEnumResolver : public google::protobuf::util::TypeResolver {
 public:
  enum class Mode { kAcceptShort, kPrintShort };

  explicit ShortEnumResolver(Mode mode)
      : mode_(mode),
        inner_(google::protobuf::util::NewTypeResolverForDescriptorPool(
            std::string(kTypeUrlPrefix), DescriptorPool::generated_pool())) {}

  google::protobuf::util::Status ResolveMessageType(
      const std::string& type_url, google::protobuf::Type* type) override {
    return inner_->ResolveMessageType(type_url, type);
  }

  google::protobuf::util::Status ResolveEnumType(
      const std::string& type_url, google::protobuf::Enum* type) override {
    google::protobuf::util::Status s = inner_->ResolveEnumType(type_url, type);
    if (!s.ok()) return s;
    const EnumDescriptor* descriptor =
        DescriptorPool::generated_pool()->FindEnumTypeByName(
            type_url.substr(type_url.rfind('/') + 1));
    if (descriptor == nullptr) return s;
    const int declared = type->enumvalue_size();
    for (int i = 0; i < declared; ++i) {
      google::protobuf::EnumValue* value = type->mutable_enumvalue(i);
      const EnumValueDescriptor* v = descriptor->FindValueByName(value->name());
      if (v == nullptr) continue;
      std::string short_name = ShortName(v);
      if (short_name == value->name()) continue;
      if (mode_ == Mode::kPrintShort) {
        value->set_name(short_name);
      } else {
        google::protobuf::EnumValue* alias = type->add_enumvalue();
        alias->set_name(short_name);
        alias->set_number(value->number());
      }
    }
    return s;
  }

 private:
  const Mode mode_;
  const std::unique_ptr<google::protobuf::util::TypeResolver> inner_;
};

ShortEnumResolver* Resolver(ShortEnumResolver::Mode mode) {
  // Stateless and thread-safe, as the pool's own resolver is.
  static ShortEnumResolver* accept =
      new ShortEnumResolver(ShortEnumResolver::Mode::kAcceptShort);
  static ShortEnumResolver* print =
      new ShortEnumResolver(ShortEnumResolver::Mode::kPrintShort);
  return mode == ShortEnumResolver::Mode::kAcceptShort ? accept : print;
}

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat(kTypeUrlPrefix, "/",
                      message.GetDescriptor()->full_name());
}

}  // namespace

std::string EnumValuePrefix(const EnumDescriptor* type) {
  const std::string& name = type->name();
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (i > 0 && absl::ascii_isupper(c)) {
      const char prev = name[i - 1];
      const bool next_lower =
          i + 1 < name.size() && absl::ascii_islower(name[i + 1]);
      if (absl::ascii_islower(prev) || absl::ascii_isdigit(prev) ||
          (absl::ascii_isupper(prev) && next_lower)) {
        out += '_';
      }
    }
    out += absl::ascii_toupper(c);
  }
  out += '_';
  return out;
}

std::string ShortName(const EnumValueDescriptor* value) {
  const std::string prefix = EnumValuePrefix(value->type());
  if (value->number() == 0 || !absl::StartsWith(value->name(), prefix) ||
      value->name().size() == prefix.size()) {
    return value->name();
  }
  return value->name().substr(prefix.size());
}

const EnumValueDescriptor* FindValueByAnyName(const EnumDescriptor* type,
                                              absl::string_view name) {
  if (const EnumValueDescriptor* v = type->FindValueByName(std::string(name));
      v != nullptr) {
    return v;
  }
  const EnumValueDescriptor* v =
      type->FindValueByName(absl::StrCat(EnumValuePrefix(type), name));
  // Only a name that is some value's short name: "UNSPECIFIED" is not.
  return v != nullptr && ShortName(v) == name ? v : nullptr;
}

absl::Status JsonToMessage(
    absl::string_view json, google::protobuf::Message* out,
    const google::protobuf::util::JsonParseOptions& options) {
  std::string binary;
  TTADS_RETURN_IF_ERROR(ToAbsl(google::protobuf::util::JsonToBinaryString(
      Resolver(ShortEnumResolver::Mode::kAcceptShort), TypeUrl(*out),
      google::protobuf::StringPiece(json.data(), json.size()), &binary,
      options)));
  if (!out->ParseFromString(binary)) {
    return absl::InvalidArgumentError(
        "JSON transcoder produced invalid protobuf output.");
  }
  return absl::OkStatus();
}

absl::Status MessageToShortJson(
    const google::protobuf::Message& message,
    const google::protobuf::util::JsonPrintOptions& options, std::string* out) {
  out->clear();
  return ToAbsl(google::protobuf::util::BinaryToJsonString(
      Resolver(ShortEnumResolver::Mode::kPrintShort), TypeUrl(message),
      message.SerializeAsString(), out, options));
}

}  // namespace ttads::contracts
