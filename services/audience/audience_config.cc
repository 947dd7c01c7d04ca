#include "services/audience/audience_config.h"

#include "absl/strings/str_cat.h"

namespace ttads::audience {
namespace {

using config::Key;

constexpr char kWorkers[] = "TTADS_AUDIENCE_WORKERS";
constexpr char kMaxFileBytes[] = "TTADS_AUDIENCE_MAX_FILE_BYTES";
constexpr char kChunkDigests[] = "TTADS_AUDIENCE_CHUNK_DIGESTS";
constexpr char kClaimIdleMs[] = "TTADS_AUDIENCE_CLAIM_IDLE_MS";
constexpr char kRefreshSeconds[] = "TTADS_AUDIENCE_REFRESH_SECONDS";
constexpr char kSchedulerMs[] = "TTADS_AUDIENCE_SCHEDULER_MS";
constexpr char kDefaultRegion[] = "TTADS_AUDIENCE_DEFAULT_REGION";
constexpr char kEmailRule[] = "TTADS_AUDIENCE_EMAIL_RULE";
constexpr char kPhoneForm[] = "TTADS_AUDIENCE_PHONE_FORM";
constexpr char kTempDir[] = "TTADS_AUDIENCE_TEMP_DIR";

}  // namespace

config::Schema AudienceSchema() {
  config::Schema s = config::CommonServiceSchema(50054, 9104);
  s.Add(Key::Int(kWorkers, 0, 64)
            .Default("2")
            .Help("sync workers in this process (0: receive only)"));
  s.Add(Key::Int(kMaxFileBytes, 1024, 500LL << 20)
            .Default(absl::StrCat(50 << 20))
            .Help("customer files are split at this size, bytes"));
  s.Add(Key::Int(kChunkDigests, 1000, 4 << 20)
            .Default("262144")
            .Help("digests per spooled chunk (32 bytes each)"));
  s.Add(Key::Int(kClaimIdleMs, 100, 3600000)
            .Default("60000")
            .Help("a job idle this long (milliseconds) is claimed by another "
                  "worker"));
  s.Add(Key::Int(kRefreshSeconds, 1, 90 * 86400)
            .Default("86400")
            .Help("default refresh interval for disqualifications, seconds"));
  s.Add(Key::Int(kSchedulerMs, 50, 3600000)
            .Default("5000")
            .Help("how often due refresh cycles are looked for, "
                  "milliseconds"));
  s.Add(Key::String(kDefaultRegion)
            .Default("US")
            .Help("ISO 3166-1 alpha-2 region for phone numbers written "
                  "without + when neither the audience nor the upload names "
                  "one"));
  s.Add(Key::Enum(kEmailRule, {"all_domains", "gmail_only", "none"})
            .Default("all_domains")
            .Help("removal of +tag and dots in the email local part"));
  s.Add(Key::Enum(kPhoneForm, {"digits", "e164"})
            .Default("e164")
            .Help("hashed phone text: E.164 with + (TikTok's form) or digits "
                  "only"));
  s.Add(Key::String(kTempDir).Default("/tmp").Help(
      "where customer files are written before upload"));
  return s;
}

absl::StatusOr<AudienceConfig> AudienceConfigFrom(
    const config::Config& config) {
  AudienceConfig out;
  out.common = config::CommonSettingsFrom(config);
  out.workers = static_cast<int>(config.GetInt(kWorkers));
  out.max_file_bytes = config.GetInt(kMaxFileBytes);
  out.chunk_digests = config.GetInt(kChunkDigests);
  out.claim_idle = absl::Milliseconds(config.GetInt(kClaimIdleMs));
  out.refresh_interval = absl::Seconds(config.GetInt(kRefreshSeconds));
  out.scheduler_every = absl::Milliseconds(config.GetInt(kSchedulerMs));
  out.normalizer.default_region =
      identifiers::CanonicalRegion(config.GetString(kDefaultRegion));
  if (out.normalizer.default_region.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kDefaultRegion,
                     ": must be an ISO 3166-1 alpha-2 region code, e.g. US "
                     "or GB, got \"",
                     config.GetString(kDefaultRegion), "\""));
  }
  const std::string& rule = config.GetString(kEmailRule);
  out.normalizer.email_rule =
      rule == "gmail_only" ? identifiers::EmailRule::kGmailOnly
      : rule == "none"     ? identifiers::EmailRule::kNone
                           : identifiers::EmailRule::kAllDomains;
  out.normalizer.phone_hash_form =
      config.GetString(kPhoneForm) == "e164"
          ? identifiers::PhoneHashForm::kE164WithPlus
          : identifiers::PhoneHashForm::kDigitsOnly;
  out.temp_dir = config.GetString(kTempDir);
  return out;
}

}  // namespace ttads::audience
