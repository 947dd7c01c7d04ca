#include "services/ads/compat_service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

v1::CreateAdRequest ToCore(const compat::v1::CreateAdRequest& request) {
  return SameFields<v1::CreateAdRequest>(request);
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
        auto request = std::make_shared<v1::CreateAdRequest>(ToCore(r));
        auto created = std::make_shared<v1::AdCreation>();
        creator_->Create(
            call, *request, created.get(),
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
        auto request =
            std::make_shared<v1::CreateAdRequest>(ToCore(r.arguments()));
        auto created = std::make_shared<v1::AdCreation>();
        creator_->Create(
            call, *request, created.get(),
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
