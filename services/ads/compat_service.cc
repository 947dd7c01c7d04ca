#include "services/ads/compat_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "libs/contracts/enum_names.h"
#include "libs/server/streams.h"

namespace ttads::ads {
namespace {

using server::CallContext;

// `from` read as `To`: the two are the same fields (numbers, names, types).
template <typename To, typename From>
To SameFields(const From& from) {
  To to;
  to.ParseFromString(from.SerializeAsString());
  return to;
}

}  // namespace

CoreRequest ToCore(const compat::v1::CreateAdRequest& request) {
  using google::protobuf::EnumValueDescriptor;
  using google::protobuf::FieldDescriptor;
  CoreRequest out;
  compat::v1::CreateAdRequest rest = request;
  const google::protobuf::Reflection* seed = request.GetReflection();
  const google::protobuf::Reflection* typed = out.request.GetReflection();
  struct Typed {
    const FieldDescriptor* field;
    const EnumValueDescriptor* value;
  };
  std::vector<Typed> values;
  for (const auto& name : AdEnumFields()) {
    const FieldDescriptor* from =
        request.GetDescriptor()->FindFieldByName(name);
    const FieldDescriptor* to =
        out.request.GetDescriptor()->FindFieldByName(name);
    std::string word = seed->GetString(request, from);
    seed->ClearField(&rest, from);
    if (word.empty()) continue;
    std::string tiktok = name == "ad_format"
                             ? absl::AsciiStrToUpper(word)
                             : WireEnum(name, word).value_or("");
    out.words[name] = std::move(word);
    const EnumValueDescriptor* value =
        tiktok.empty() ? nullptr
                       : contracts::FindValueByAnyName(to->enum_type(), tiktok);
    // Only TikTok's word (the value's short name), not the enum's full name.
    if (value != nullptr && contracts::ShortName(value) == tiktok) {
      values.push_back({to, value});
    }
  }
  out.request = SameFields<v1::AdInput>(rest);
  for (const Typed& t : values) {
    typed->SetEnum(&out.request, t.field, t.value);
  }
  return out;
}

compat::v1::CreateAdResponse ToZernio(const v1::AdCreation& created) {
  return SameFields<compat::v1::CreateAdResponse>(created);
}

compat::v1::ExecuteAddTikTokAdResponse ToToolResponse(
    const absl::Status& status, const v1::AdCreation& created) {
  compat::v1::ExecuteAddTikTokAdResponse out;
  out.set_tool("add_tiktok_ad");
  if (!status.ok()) {
    out.set_success(false);
    out.set_is_error(true);
    out.set_error(std::string(status.message()));
    return out;
  }
  out.set_success(true);
  std::string json;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  // Adspirer's tool documents TikTok's names (identity_type "TT_USER").
  (void)contracts::MessageToShortJson(created, o, &json);
  (void)google::protobuf::util::JsonStringToMessage(json, out.mutable_data());
  (*out.mutable_data()->mutable_fields())["text"].set_string_value(
      created.validated_only()
          ? absl::StrCat(
                "Validated: the ad would be created in ad group with format ",
                created.ad_format())
          : absl::StrCat("Created TikTok ad ",
                         absl::StrJoin(created.ad_ids(), ", "), " (",
                         created.ad_format(), ") on advertiser ",
                         created.advertiser_id()));
  return out;
}

grpc::ServerUnaryReactor* ZernioAdsServiceImpl::CreateAd(
    grpc::CallbackServerContext* ctx, const compat::v1::CreateAdRequest* req,
    compat::v1::CreateAdResponse* resp) {
  return server::HandleAsyncUnary<compat::v1::CreateAdRequest,
                                  compat::v1::CreateAdResponse>(
      env_, ctx, req, resp, "CreateAd",
      [this](const CallContext& call, const compat::v1::CreateAdRequest& r,
             compat::v1::CreateAdResponse* out,
             std::function<void(absl::Status)> done) {
        auto request = std::make_shared<CoreRequest>(ToCore(r));
        auto created = std::make_shared<v1::AdCreation>();
        creator_->Create(
            call, request->request, request->words, r, created.get(),
            [request, created, out, done = std::move(done)](absl::Status s) {
              if (s.ok()) *out = ToZernio(*created);
              done(std::move(s));
            });
      });
}

grpc::ServerUnaryReactor* AdspirerToolsServiceImpl::ExecuteAddTikTokAd(
    grpc::CallbackServerContext* ctx,
    const compat::v1::ExecuteAddTikTokAdRequest* req,
    compat::v1::ExecuteAddTikTokAdResponse* resp) {
  return server::HandleAsyncUnary<compat::v1::ExecuteAddTikTokAdRequest,
                                  compat::v1::ExecuteAddTikTokAdResponse>(
      env_, ctx, req, resp, "ExecuteAddTikTokAd",
      [this](const CallContext& call,
             const compat::v1::ExecuteAddTikTokAdRequest& r,
             compat::v1::ExecuteAddTikTokAdResponse* out,
             std::function<void(absl::Status)> done) {
        auto request = std::make_shared<CoreRequest>(ToCore(r.arguments()));
        auto created = std::make_shared<v1::AdCreation>();
        creator_->Create(
            call, request->request, request->words, r.arguments(),
            created.get(),
            [request, created, out, done = std::move(done)](absl::Status s) {
              // Caller mistakes answer in the tool's shape; infrastructure
              // failures stay gRPC errors (so they are retried as such).
              const bool tool_error =
                  s.code() == absl::StatusCode::kInvalidArgument ||
                  s.code() == absl::StatusCode::kFailedPrecondition ||
                  s.code() == absl::StatusCode::kAlreadyExists ||
                  s.code() == absl::StatusCode::kNotFound;
              if (!s.ok() && !tool_error) return done(s);
              *out = ToToolResponse(s, *created);
              done(absl::OkStatus());
            });
      });
}

}  // namespace ttads::ads
