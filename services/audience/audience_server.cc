#include "services/audience/audience_server.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libs/crypto/crypto.h"

namespace ttads::audience {
namespace {

class ResolverTokens : public TokenSource {
 public:
  explicit ResolverTokens(connections::TokenResolver* resolver)
      : resolver_(resolver) {}
  absl::StatusOr<std::string> Token(const std::string& team,
                                    const std::string& member,
                                    const std::string& role,
                                    const std::string& advertiser) override {
    auto r = resolver_->Resolve({team, member, role}, advertiser);
    if (!r.ok()) return r.status();
    return r->access_token;
  }

 private:
  connections::TokenResolver* resolver_;
};

}  // namespace

config::Schema AudienceSchema() {
  config::Schema s = config::CommonServiceSchema(50054, 9104);
  s.Add(config::Key::Int("TTADS_AUDIENCE_WORKERS", 0, 64)
            .Default("2")
            .Help("sync workers in this process (0: receive only)"));
  s.Add(config::Key::Int("TTADS_AUDIENCE_MAX_FILE_BYTES", 1024, 500LL << 20)
            .Default(absl::StrCat(50 << 20))
            .Help("customer files are split at this size"));
  s.Add(config::Key::Int("TTADS_AUDIENCE_CHUNK_DIGESTS", 1000, 4 << 20)
            .Default("262144")
            .Help("digests per spooled chunk (32 bytes each)"));
  s.Add(config::Key::Int("TTADS_AUDIENCE_CLAIM_IDLE_MS", 100, 3600000)
            .Default("60000")
            .Help("a job idle this long is claimed by another worker"));
  s.Add(config::Key::Int("TTADS_AUDIENCE_REFRESH_SECONDS", 1, 90 * 86400)
            .Default("86400")
            .Help("default refresh interval for disqualifications"));
  s.Add(config::Key::Int("TTADS_AUDIENCE_SCHEDULER_MS", 50, 3600000)
            .Default("5000")
            .Help("how often due refresh cycles are looked for"));
  s.Add(config::Key::String("TTADS_AUDIENCE_DEFAULT_REGION")
            .Default("US")
            .Help("ISO 3166-1 alpha-2 region for phone numbers written "
                  "without + when neither the audience nor the upload names "
                  "one"));
  s.Add(config::Key::Enum("TTADS_AUDIENCE_EMAIL_RULE",
                          {"all_domains", "gmail_only", "none"})
            .Default("all_domains")
            .Help("removal of +tag and dots in the email local part"));
  s.Add(config::Key::Enum("TTADS_AUDIENCE_PHONE_FORM", {"digits", "e164"})
            .Default("e164")
            .Help("hashed phone text: E.164 with + (TikTok's form) or digits "
                  "only"));
  s.Add(config::Key::String("TTADS_AUDIENCE_TEMP_DIR")
            .Default("/tmp")
            .Help("where customer files are written before upload"));
  return s;
}

absl::StatusOr<std::unique_ptr<AudienceServer>> AudienceServer::Create(
    const config::Config& config) {
  std::unique_ptr<AudienceServer> s(new AudienceServer());
  auto kit = service_kit::ServiceKit::Create(config, "audience");
  if (!kit.ok()) return kit.status();
  s->kit_ = *std::move(kit);
  s->tiktok_ = NewClientAudienceApi(&s->kit_->tiktok());
  s->store_ = std::make_unique<AudienceStore>(&s->kit_->redis());
  s->queue_ = std::make_unique<RedisJobQueue>(
      &s->kit_->redis(),
      absl::Milliseconds(config.GetInt("TTADS_AUDIENCE_CLAIM_IDLE_MS")));
  s->tokens_ = std::make_unique<ResolverTokens>(&s->kit_->tokens());
  ManagerOptions mo;
  mo.normalizer.default_region = identifiers::CanonicalRegion(
      config.GetString("TTADS_AUDIENCE_DEFAULT_REGION"));
  if (mo.normalizer.default_region.empty()) {
    return absl::InvalidArgumentError(
        "TTADS_AUDIENCE_DEFAULT_REGION: must be an ISO 3166-1 alpha-2 region "
        "code, e.g. US or GB");
  }
  const std::string rule = config.GetString("TTADS_AUDIENCE_EMAIL_RULE");
  mo.normalizer.email_rule =
      rule == "gmail_only" ? identifiers::EmailRule::kGmailOnly
      : rule == "none"     ? identifiers::EmailRule::kNone
                           : identifiers::EmailRule::kAllDomains;
  mo.normalizer.phone_hash_form =
      config.GetString("TTADS_AUDIENCE_PHONE_FORM") == "e164"
          ? identifiers::PhoneHashForm::kE164WithPlus
          : identifiers::PhoneHashForm::kDigitsOnly;
  mo.chunk_digests = config.GetInt("TTADS_AUDIENCE_CHUNK_DIGESTS");
  mo.default_refresh_interval_seconds =
      config.GetInt("TTADS_AUDIENCE_REFRESH_SECONDS");
  s->manager_ = std::make_unique<AudienceManager>(
      s->store_.get(), s->queue_.get(), s->tiktok_.get(), s->tokens_.get(), mo);
  const std::string host = [] {
    char buf[256] = {0};
    ::gethostname(buf, sizeof(buf) - 1);
    return std::string(buf);
  }();
  for (int64_t i = 0; i < config.GetInt("TTADS_AUDIENCE_WORKERS"); ++i) {
    WorkerOptions wo;
    wo.consumer = absl::StrCat(host, "-", ::getpid(), "-", i);
    wo.temp_dir = config.GetString("TTADS_AUDIENCE_TEMP_DIR");
    wo.max_file_bytes = config.GetInt("TTADS_AUDIENCE_MAX_FILE_BYTES");
    s->workers_.push_back(
        std::make_unique<SyncWorker>(s->store_.get(), s->queue_.get(),
                                     s->tiktok_.get(), s->tokens_.get(), wo));
  }
  s->scheduler_ = std::make_unique<RefreshScheduler>(
      s->manager_.get(),
      absl::Milliseconds(config.GetInt("TTADS_AUDIENCE_SCHEDULER_MS")));
  s->service_ =
      std::make_unique<AudienceServiceImpl>(&s->kit_->env(), s->manager_.get());
  s->kit_->runner().AddService(s->service_.get(),
                               v1::AudienceService::service_full_name());
  return s;
}

void AudienceServer::StartBackground() {
  for (auto& w : workers_) w->Start();
  scheduler_->Start();
}

void AudienceServer::StopBackground() {
  if (scheduler_) scheduler_->Stop();
  for (auto& w : workers_) w->Stop();
}

AudienceServer::~AudienceServer() { StopBackground(); }

}  // namespace ttads::audience
