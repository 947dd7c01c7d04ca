#include "services/ads/ad_input.h"

#include <algorithm>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "libs/status/status.h"

namespace ttads::ads {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool SameKind(const FieldDescriptor* a, const FieldDescriptor* b) {
  if (a->cpp_type() != b->cpp_type() || a->is_repeated() != b->is_repeated()) {
    return false;
  }
  if (a->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    return a->enum_type() == b->enum_type();
  }
  if (a->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return a->message_type() == b->message_type();
  }
  return true;
}

// Copies `f` of `from` into `g` of `to` (same kind), when set.
void CopyField(const Message& from, const FieldDescriptor* f, Message* to,
               const FieldDescriptor* g) {
  if (!IsFieldSet(from, f)) return;
  const Reflection* in = from.GetReflection();
  const Reflection* out = to->GetReflection();
  if (f->is_repeated()) {
    for (int i = 0; i < in->FieldSize(from, f); ++i) {
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          out->AddString(to, g, in->GetRepeatedString(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          out->AddMessage(to, g)->CopyFrom(in->GetRepeatedMessage(from, f, i));
          break;
        default:
          break;
      }
    }
    return;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      out->SetString(to, g, in->GetString(from, f));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->SetBool(to, g, in->GetBool(from, f));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      out->SetEnumValue(to, g, in->GetEnumValue(from, f));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      out->MutableMessage(to, g)->CopyFrom(in->GetMessage(from, f));
      break;
    default:
      break;
  }
}

// Copies every field of `from` that `to` has under the same name and kind,
// except `skip`.
void CopySameNamed(const Message& from, Message* to,
                   const std::vector<std::string>& skip) {
  const auto* type = from.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (std::find(skip.begin(), skip.end(), f->name()) != skip.end()) continue;
    const FieldDescriptor* g = to->GetDescriptor()->FindFieldByName(f->name());
    if (g == nullptr || !SameKind(f, g)) continue;
    CopyField(from, f, to, g);
  }
}

}  // namespace

bool HasFieldBehavior(const FieldDescriptor* f,
                      google::api::FieldBehavior behavior) {
  const auto& options = f->options();
  for (int i = 0; i < options.ExtensionSize(google::api::field_behavior); ++i) {
    if (options.GetExtension(google::api::field_behavior, i) == behavior) {
      return true;
    }
  }
  return false;
}

bool IsFieldSet(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f) > 0;
  return r->HasField(m, f);
}

v1::AdInput AdInputOf(const v1::Ad& ad) {
  v1::AdInput out;
  CopySameNamed(ad, &out, {});
  return out;
}

absl::StatusOr<v1::AdInput> ToAdInput(const v1::CreateAdRequest& req) {
  const v1::Ad& ad = req.ad();
  v1::AdInput out;
  CopySameNamed(ad, &out, {"advertiser_id"});
  if (!req.advertiser_id().empty() && !ad.advertiser_id().empty() &&
      req.advertiser_id() != ad.advertiser_id()) {
    return status::InvalidArgument(
        "the ad has invalid fields",
        {{"ad.advertiser_id", "must equal the parent advertiser_id (" +
                                  req.advertiser_id() +
                                  ") when both are set"}});
  }
  out.set_advertiser_id(req.advertiser_id().empty() ? ad.advertiser_id()
                                                    : req.advertiser_id());
  out.set_request_id(req.request_id());
  out.set_validate_only(req.validate_only());
  return out;
}

v1::CreateAdRequest ToCreateAdRequest(const v1::AdInput& input) {
  v1::CreateAdRequest out;
  out.set_advertiser_id(input.advertiser_id());
  out.set_request_id(input.request_id());
  out.set_validate_only(input.validate_only());
  v1::Ad* ad = out.mutable_ad();
  // AdInput's implicit-presence fields copy when not their default; Ad's
  // `optional` ones then carry presence.
  CopySameNamed(input, ad, {"advertiser_id"});
  return out;
}

}  // namespace ttads::ads
