#ifndef TTADS_SERVICES_ADS_AD_CREATOR_TEST_ENV_H_
#define TTADS_SERVICES_ADS_AD_CREATOR_TEST_ENV_H_

#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/server/work_queue.h"
#include "services/ads/ad_creator.h"
#include "services/ads/ads_domain_test_env.h"
#include "services/ads/creatives.h"
#include "services/ads/fake_ads_peers.h"

namespace ttads::ads {

// AdsDomainTest plus an AdCreator over the fake TikTok, fake identity and
// preflight services and the binary's private redis-server (request-id
// records; each test uses its own request ids). The ad group kAdgroup
// exists and kVideo has a cover, so VideoAd() creates an ad as it is.
class AdCreatorTestEnv : public AdsDomainTest {
 protected:
  static constexpr char kVideo[] = "7301000000000001001";
  static constexpr char kCover[] = "https://cdn.example/cover-1001.jpg";

  // `redis` holds the request-id records: the binary's private server by
  // default, or a suite's own when its request ids must not meet others'.
  explicit AdCreatorTestEnv(store::RedisPool* redis = TestRedis())
      : idempotency_(redis), creatives_(&tiktok_, {}), work_(2) {
    tiktok_.video_covers[kVideo] = kCover;
    tiktok_.adgroups[kAdgroup] = {kAdgroup, "1600000000000000001", "TRAFFIC"};
    Creator();
  }

  // (Re)builds the creator, with or without the preflight step.
  AdCreator& Creator(bool with_preflight = true) {
    creator_ = std::make_unique<AdCreator>(
        AdCreatorDeps{.tiktok = &tiktok_,
                      .connections = &connections_,
                      .tokens = &tokens_,
                      .idempotency = &idempotency_,
                      .creatives = &creatives_,
                      .work = &work_,
                      .identity = &identity_,
                      .preflight = with_preflight ? &preflight_ : nullptr});
    return *creator_;
  }

  // A valid video ad for kAdvertiser; each test changes what it is about.
  static v1::AdInput VideoAd(const std::string& request_id = "") {
    v1::AdInput req;
    req.set_advertiser_id(kAdvertiser);
    req.set_adgroup_id(kAdgroup);
    req.set_ad_text("Fresh coffee, delivered");
    req.set_landing_page_url("https://shop.example/coffee");
    req.set_video_id(kVideo);
    req.set_request_id(request_id);
    return req;
  }

  // AdCreator::Create, waited for.
  absl::StatusOr<v1::AdCreation> Create(const v1::AdInput& req,
                                        const server::CallContext& call) {
    std::promise<absl::Status> finished;
    v1::AdCreation out;
    creator_->Create(call, req, &out,
                     [&](absl::Status s) { finished.set_value(s); });
    absl::Status s = finished.get_future().get();
    if (!s.ok()) return s;
    return out;
  }
  absl::StatusOr<v1::AdCreation> Create(const v1::AdInput& req) {
    return Create(req, Call());
  }

  int AdsInFake() {
    std::lock_guard<std::mutex> lock(tiktok_.mu);
    return static_cast<int>(tiktok_.ads.size());
  }

  idempotency::IdempotencyStore idempotency_;
  Creatives creatives_;
  server::WorkQueue work_;
  FakeIdentityClient identity_;
  FakePreflightClient preflight_;
  std::unique_ptr<AdCreator> creator_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_CREATOR_TEST_ENV_H_
