#include "services/ads/ads_server.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace ttads::ads {

using config::Key;

config::Schema AdsSchema() {
  config::Schema schema = config::CommonServiceSchema(50053, 9103);
  schema.Add(
      Key::String("TTADS_ADS_RAW_CALL_ALLOWLIST")
          .Default("/ad/get/,/campaign/get/,/adgroup/get/,/report/")
          .Help(
              "comma-separated TikTok path prefixes CallTikTokApi may reach"));
  schema.Add(
      Key::Int("TTADS_ADS_WATCH_INTERVAL_MS", 50, 3600000)
          .Default("5000")
          .Help("how often each advertiser's watch poller asks /ad/get/"));
  schema.Add(Key::Int("TTADS_ADS_WORK_THREADS", 1, 1024)
                 .Default("32")
                 .Help("work-queue threads (blocking steps of a call)"));
  schema.Add(
      Key::Int("TTADS_ADS_IDEMPOTENCY_LEASE_MS", 1000, 3600000)
          .Default("120000")
          .Help("how long a CreateAd holds its request_id; after that a "
                "retry takes it over and looks the ad up before sending"));
  schema.Add(
      Key::Bool("TTADS_ADS_PREFLIGHT")
          .Default("true")
          .Help("validate_only runs PublishCheck at TTADS_PREFLIGHT_ADDRESS"));
  schema.Add(
      Key::Bool("TTADS_FETCH_ALLOW_PRIVATE")
          .Default("false")
          .Help("let user-supplied URLs reach private addresses (tests only)"));
  schema.Add(Key::String("TTADS_FETCH_PRIVATE_ALLOWLIST")
                 .Help("comma-separated host:port targets user URLs may reach "
                       "although not public"));
  schema.Add(Key::Int("TTADS_FETCH_MAX_IMAGE_BYTES", 1, 64 << 20)
                 .Default(std::to_string(5 * 1024 * 1024))
                 .Help("largest image fetched from a URL"));
  schema.Add(
      Key::Int("TTADS_FETCH_MAX_VIDEO_BYTES", 1, int64_t{500} << 20)
          .Default(std::to_string(int64_t{500} << 20))
          .Help("largest video fetched from a URL (streamed to a temp file)"));
  return schema;
}

AdsServer::~AdsServer() {
  // Stop pollers and pending work before the collaborators go away.
  if (kit_) kit_->runner().Shutdown();
  watch_.reset();
}

absl::StatusOr<std::unique_ptr<AdsServer>> AdsServer::Create(
    const config::Config& config, Overrides overrides) {
  std::unique_ptr<AdsServer> s(new AdsServer());
  auto kit = service_kit::ServiceKit::Create(
      config, "ads", static_cast<int>(config.GetInt("TTADS_ADS_WORK_THREADS")));
  if (!kit.ok()) return kit.status();
  s->kit_ = *std::move(kit);
  auto& kit_ref = *s->kit_;
  s->tiktok_override_ = std::move(overrides.tiktok);
  s->tiktok_ = NewClientAdsApi(s->tiktok_override_ ? s->tiktok_override_.get()
                                                   : &kit_ref.tiktok());
  TikTokAdsApi* tiktok = s->tiktok_.get();

  s->identity_stub_ = identity::v1::IdentityService::NewStub(
      grpc::CreateChannel(config.GetString("TTADS_IDENTITY_ADDRESS"),
                          grpc::InsecureChannelCredentials()));
  s->identity_ = NewGrpcIdentityClient(s->identity_stub_.get());
  if (config.GetBool("TTADS_ADS_PREFLIGHT")) {
    s->preflight_stub_ = preflight::v1::PreflightService::NewStub(
        grpc::CreateChannel(config.GetString("TTADS_PREFLIGHT_ADDRESS"),
                            grpc::InsecureChannelCredentials()));
    s->preflight_ = NewGrpcPreflightClient(s->preflight_stub_.get());
  }
  CreativeOptions creative;
  creative.fetch.allow_private = config.GetBool("TTADS_FETCH_ALLOW_PRIVATE");
  std::vector<std::string> http_hosts;
  for (absl::string_view entry :
       absl::StrSplit(config.GetString("TTADS_FETCH_PRIVATE_ALLOWLIST"), ',',
                      absl::SkipWhitespace())) {
    creative.fetch.private_allowlist.emplace_back(
        absl::StripAsciiWhitespace(entry));
    http_hosts.emplace_back(absl::StripAsciiWhitespace(entry));
  }
  creative.max_image_bytes =
      static_cast<size_t>(config.GetInt("TTADS_FETCH_MAX_IMAGE_BYTES"));
  creative.max_video_bytes =
      static_cast<size_t>(config.GetInt("TTADS_FETCH_MAX_VIDEO_BYTES"));
  std::vector<std::string> raw_call_allowlist;
  for (absl::string_view entry :
       absl::StrSplit(config.GetString("TTADS_ADS_RAW_CALL_ALLOWLIST"), ',',
                      absl::SkipWhitespace())) {
    raw_call_allowlist.emplace_back(absl::StripAsciiWhitespace(entry));
  }
  s->tokens_ = std::make_unique<AdvertiserTokens>(&kit_ref.tokens());
  s->idempotency_ = std::make_unique<IdempotencyStore>(
      &kit_ref.redis(), absl::Hours(24),
      absl::Milliseconds(config.GetInt("TTADS_ADS_IDEMPOTENCY_LEASE_MS")));
  s->creatives_ = std::make_unique<Creatives>(tiktok, creative);
  s->creator_ = std::make_unique<AdCreator>(
      AdCreatorDeps{.tiktok = tiktok,
                    .connections = &kit_ref.connections(),
                    .tokens = s->tokens_.get(),
                    .idempotency = s->idempotency_.get(),
                    .creatives = s->creatives_.get(),
                    .work = kit_ref.env().work,
                    .identity = s->identity_.get(),
                    .preflight = s->preflight_.get(),
                    .http_media_hosts = http_hosts});
  s->reader_ = std::make_unique<AdReader>(tiktok, s->tokens_.get());
  s->status_ = std::make_unique<AdStatusUpdater>(tiktok, s->tokens_.get());
  s->updater_ = std::make_unique<AdUpdater>(tiktok, s->reader_.get());
  s->reports_ = std::make_unique<AdReports>(tiktok, s->tokens_.get());
  s->spark_posts_ = std::make_unique<SparkPosts>(tiktok, s->tokens_.get(),
                                                 s->identity_.get());
  s->raw_ = std::make_unique<RawCaller>(tiktok, s->tokens_.get(),
                                        std::move(raw_call_allowlist));
  s->watch_ = std::make_unique<AdWatchHub>(
      tiktok, AdWatchHub::Options{.interval = absl::Milliseconds(config.GetInt(
                                      "TTADS_ADS_WATCH_INTERVAL_MS"))});
  s->service_ = std::make_unique<AdsServiceImpl>(
      kit_ref.env(), AdsDomain{.tokens = s->tokens_.get(),
                               .creator = s->creator_.get(),
                               .reader = s->reader_.get(),
                               .status = s->status_.get(),
                               .updater = s->updater_.get(),
                               .reports = s->reports_.get(),
                               .spark_posts = s->spark_posts_.get(),
                               .raw = s->raw_.get(),
                               .creatives = s->creatives_.get(),
                               .watch = s->watch_.get()});
  kit_ref.runner().AddService(s->service_.get(),
                              v1::AdsService::service_full_name());
  return s;
}

}  // namespace ttads::ads
