#include "services/ads/ads_service.h"

#include <memory>
#include <mutex>

#include "libs/server/streams.h"
#include "libs/status/status_macros.h"
#include "services/ads/ad_input.h"
#include "services/ads/ad_watch_request.h"
#include "services/ads/created_ad.h"

namespace ttads::ads {
namespace {

using server::CallContext;
using server::HandleUnary;

// Moves a domain result into the response.
template <typename Response>
absl::Status Into(absl::StatusOr<Response> result, Response* out) {
  TTADS_ASSIGN_OR_RETURN(*out, std::move(result));
  return absl::OkStatus();
}

// A WatchAds stream on libs/server's server-streaming pipeline (request id,
// authentication, validation, one status mapping, metrics and access log):
// on start it resolves the advertiser's token and registers with the hub,
// which delivers events as they are found; when the stream is over it
// unregisters.
class WatchReactor
    : public server::ServerStreamReactor<v1::WatchAdsRequest, v1::AdEvent>,
      public AdEventSink {
 public:
  WatchReactor(const server::ServiceEnv& env, AdWatchHub* hub,
               const AdvertiserTokens* tokens,
               grpc::CallbackServerContext* context,
               const v1::WatchAdsRequest* req)
      : ServerStreamReactor(&env, context, req, "WatchAds"),
        hub_(hub),
        tokens_(tokens) {
    Begin();
  }

  void Deliver(const v1::AdEvent& event) override { Send(event); }

 protected:
  absl::Status OnStart(const CallContext& call,
                       const v1::WatchAdsRequest& req) override {
    TTADS_ASSIGN_OR_RETURN(int handle,
                           StartAdWatch(hub_, *tokens_, call, req, this));
    std::lock_guard<std::mutex> lock(registration_mu_);
    handle_ = handle;
    return absl::OkStatus();
  }

  // Called once the stream is over; outside the reactor's lock, since the
  // poller delivers under the hub's lock.
  void OnFinished() override {
    int handle;
    {
      std::lock_guard<std::mutex> lock(registration_mu_);
      handle = handle_;
    }
    if (handle > 0) hub_->Remove(handle);
  }

 private:
  AdWatchHub* hub_;
  const AdvertiserTokens* tokens_;
  std::mutex registration_mu_;
  int handle_ = 0;
};

}  // namespace

grpc::ServerUnaryReactor* AdsServiceImpl::UploadImage(
    grpc::CallbackServerContext* ctx, const v1::UploadImageRequest* req,
    v1::Image* resp) {
  return HandleUnary<v1::UploadImageRequest, v1::Image>(
      env_, ctx, req, resp, "UploadImage",
      [this](const CallContext& call, const v1::UploadImageRequest& r,
             v1::Image* out) {
        return Into(domain_.uploads->UploadImage(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::UploadVideo(
    grpc::CallbackServerContext* ctx, const v1::UploadVideoRequest* req,
    v1::Video* resp) {
  return HandleUnary<v1::UploadVideoRequest, v1::Video>(
      env_, ctx, req, resp, "UploadVideo",
      [this](const CallContext& call, const v1::UploadVideoRequest& r,
             v1::Video* out) {
        return Into(domain_.uploads->UploadVideo(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::CreateAd(
    grpc::CallbackServerContext* ctx, const v1::CreateAdRequest* req,
    v1::Ad* resp) {
  return server::HandleAsyncUnary<v1::CreateAdRequest, v1::Ad>(
      env_, ctx, req, resp, "CreateAd",
      [this](const CallContext& call, const v1::CreateAdRequest& r, v1::Ad* out,
             std::function<void(absl::Status)> done) {
        absl::StatusOr<v1::AdInput> input = ToAdInput(r);
        if (!input.ok()) return done(input.status());
        auto request = std::make_shared<v1::AdInput>(*std::move(input));
        auto created = std::make_shared<v1::AdCreation>();
        domain_.creator->Create(call, *request, created.get(),
                                [this, call, request, created, out,
                                 done = std::move(done)](absl::Status s) {
                                  if (s.ok()) {
                                    *out = CreatedAd(*domain_.reader, call,
                                                     *request, *created);
                                  }
                                  done(std::move(s));
                                });
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::GetAd(
    grpc::CallbackServerContext* ctx, const v1::GetAdRequest* req,
    v1::Ad* resp) {
  return HandleUnary<v1::GetAdRequest, v1::Ad>(
      env_, ctx, req, resp, "GetAd",
      [this](const CallContext& call, const v1::GetAdRequest& r, v1::Ad* out) {
        return Into(domain_.reader->Get(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::ListAds(
    grpc::CallbackServerContext* ctx, const v1::ListAdsRequest* req,
    v1::ListAdsResponse* resp) {
  return HandleUnary<v1::ListAdsRequest, v1::ListAdsResponse>(
      env_, ctx, req, resp, "ListAds",
      [this](const CallContext& call, const v1::ListAdsRequest& r,
             v1::ListAdsResponse* out) {
        return Into(domain_.reader->List(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::SetAdStatus(
    grpc::CallbackServerContext* ctx, const v1::SetAdStatusRequest* req,
    v1::SetAdStatusResponse* resp) {
  return HandleUnary<v1::SetAdStatusRequest, v1::SetAdStatusResponse>(
      env_, ctx, req, resp, "SetAdStatus",
      [this](const CallContext& call, const v1::SetAdStatusRequest& r,
             v1::SetAdStatusResponse* out) {
        return Into(domain_.status->Update(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::UpdateAd(
    grpc::CallbackServerContext* ctx, const v1::UpdateAdRequest* req,
    v1::Ad* resp) {
  return HandleUnary<v1::UpdateAdRequest, v1::Ad>(
      env_, ctx, req, resp, "UpdateAd",
      [this](const CallContext& call, const v1::UpdateAdRequest& r,
             v1::Ad* out) {
        return Into(domain_.updater->Update(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::ListAdReports(
    grpc::CallbackServerContext* ctx, const v1::ListAdReportsRequest* req,
    v1::ListAdReportsResponse* resp) {
  return HandleUnary<v1::ListAdReportsRequest, v1::ListAdReportsResponse>(
      env_, ctx, req, resp, "ListAdReports",
      [this](const CallContext& call, const v1::ListAdReportsRequest& r,
             v1::ListAdReportsResponse* out) {
        return Into(domain_.reports->List(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::ListIdentityVideos(
    grpc::CallbackServerContext* ctx, const v1::ListIdentityVideosRequest* req,
    v1::ListIdentityVideosResponse* resp) {
  return HandleUnary<v1::ListIdentityVideosRequest,
                     v1::ListIdentityVideosResponse>(
      env_, ctx, req, resp, "ListIdentityVideos",
      [this](const CallContext& call, const v1::ListIdentityVideosRequest& r,
             v1::ListIdentityVideosResponse* out) {
        return Into(domain_.spark_posts->List(call, r), out);
      });
}

grpc::ServerUnaryReactor* AdsServiceImpl::CallTikTokApi(
    grpc::CallbackServerContext* ctx, const v1::CallTikTokApiRequest* req,
    v1::CallTikTokApiResponse* resp) {
  return HandleUnary<v1::CallTikTokApiRequest, v1::CallTikTokApiResponse>(
      env_, ctx, req, resp, "CallTikTokApi",
      [this](const CallContext& call, const v1::CallTikTokApiRequest& r,
             v1::CallTikTokApiResponse* out) {
        return Into(domain_.raw->Call(call, r), out);
      });
}

grpc::ServerWriteReactor<v1::AdEvent>* AdsServiceImpl::WatchAds(
    grpc::CallbackServerContext* ctx, const v1::WatchAdsRequest* req) {
  return new WatchReactor(env_, domain_.watch, domain_.tokens, ctx, req);
}

}  // namespace ttads::ads
