#include "services/audience/audience_manager.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/crypto.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/script.h"
#include "libs/text/utf8.h"

namespace ttads::audience {
namespace {

constexpr size_t kMaxNameChars = 128;
constexpr char kRegionRule[] =
    "must be empty or an ISO 3166-1 alpha-2 region code, e.g. GB or US";

std::string NewId(absl::string_view prefix) {
  std::string token = crypto::RandomToken(12);
  for (char& c : token) {
    if (c == '-' || c == '_') c = 'x';
  }
  return absl::StrCat(prefix, token);
}

// Claims one refresh cycle: if `member` is due at `now`, moves it to
// `next`; returns 1 when this caller claimed it.
const store::Script& ClaimRefreshScript() {
  static const store::Script* script = new store::Script(R"(
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s or tonumber(s) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1)");
  return *script;
}

}  // namespace

AudienceManager::AudienceManager(AudienceStore* store, JobQueue* queue,
                                 TikTokAudienceApi* tiktok, TokenSource* tokens,
                                 ManagerOptions options)
    : store_(store),
      queue_(queue),
      tiktok_(tiktok),
      tokens_(tokens),
      options_(std::move(options)),
      normalizer_(options_.normalizer) {}

absl::StatusOr<AudienceView> AudienceManager::Create(
    const Requester& who, const std::string& advertiser_id,
    const std::string& name, const std::vector<int>& types,
    int64_t refresh_interval_seconds, const std::string& default_region,
    const CreateOptions& create) {
  std::vector<status::FieldViolation> violations;
  if (advertiser_id.empty() || !store::IsValidKeyId(advertiser_id)) {
    violations.push_back({"advertiser_id", "required: a TikTok advertiser id"});
  }
  const std::optional<size_t> chars = text::CodePointCount(name);
  if (!chars.has_value()) {
    violations.push_back({"name", "must be valid UTF-8"});
  } else if (*chars == 0 || *chars > kMaxNameChars) {
    violations.push_back({"name", "must be 1-128 characters"});
  }
  std::vector<IdType> id_types;
  if (types.empty()) {
    violations.push_back({"identifier_types", "at least one is required"});
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i] < 1 || types[i] > identifiers::kIdTypeCount) {
      violations.push_back({absl::StrCat("identifier_types[", i, "]"),
                            "must be EMAIL, PHONE, IDFA, GAID or MAID"});
      continue;
    }
    const IdType t = static_cast<IdType>(types[i] - 1);
    if (std::find(id_types.begin(), id_types.end(), t) == id_types.end()) {
      id_types.push_back(t);
    }
  }
  if (refresh_interval_seconds < 0 || refresh_interval_seconds > 90 * 86400) {
    violations.push_back(
        {"refresh_interval_seconds", "must be 0 (default) to 90 days"});
  }
  const std::string region = identifiers::CanonicalRegion(default_region);
  if (!default_region.empty() && region.empty()) {
    violations.push_back({"default_region", kRegionRule});
  }
  if (!violations.empty()) {
    return status::InvalidArgument("invalid audience", std::move(violations));
  }
  auto token =
      tokens_->Token(who.team_id, who.member_id, who.role, advertiser_id);
  if (!token.ok()) return token.status();
  AudienceRecord a;
  a.id = create.audience_id.empty() ? NewId("aud_") : create.audience_id;
  if (create.before_write) TTADS_RETURN_IF_ERROR(create.before_write(a.id));
  a.team_id = who.team_id;
  a.advertiser_id = advertiser_id;
  a.name = name;
  a.types = id_types;
  a.refresh_interval_seconds = refresh_interval_seconds > 0
                                   ? refresh_interval_seconds
                                   : options_.default_refresh_interval_seconds;
  a.create_time = absl::Now();
  a.member_id = who.member_id;
  a.role = who.role;
  a.default_region = region;
  if (absl::Status s = store_->PutAudience(a); !s.ok()) return s;
  const absl::Time next =
      a.create_time + absl::Seconds(a.refresh_interval_seconds);
  if (absl::Status s = store_->ScheduleRefresh(a.team_id, a.id, next);
      !s.ok()) {
    return s;
  }
  AudienceView view;
  view.record = a;
  view.next_refresh = next;
  return view;
}

absl::StatusOr<AudienceRecord> AudienceManager::Owned(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id) {
  auto a = store_->GetAudience(who.team_id, audience_id);
  if (!a.ok()) return a.status();
  if (!advertiser_id.empty() && a->advertiser_id != advertiser_id) {
    return absl::NotFoundError("audience not found");
  }
  return a;
}

absl::StatusOr<std::vector<AudienceRecord>> AudienceManager::List(
    const Requester& who, const std::string& advertiser_id) {
  auto all = store_->ListAudiences(who.team_id);
  if (!all.ok()) return all.status();
  std::vector<AudienceRecord> out;
  for (auto& a : *all) {
    if (advertiser_id.empty() || a.advertiser_id == advertiser_id) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

absl::StatusOr<AudienceView> AudienceManager::Get(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id) {
  auto a = Owned(who, advertiser_id, audience_id);
  if (!a.ok()) return a.status();
  AudienceView view;
  view.record = *a;
  if (!a->tiktok_id.empty()) {
    auto token =
        tokens_->Token(who.team_id, a->member_id, a->role, a->advertiser_id);
    if (!token.ok()) return token.status();
    auto remote = tiktok_->Get(*token, a->advertiser_id, a->tiktok_id);
    if (!remote.ok()) return remote.status();
    view.size = remote->size;
    view.is_valid = remote->is_valid;
  }
  auto history = store_->History(who.team_id, audience_id);
  if (history.ok()) view.history = *std::move(history);
  auto pending = store_->PendingRemovals(who.team_id, audience_id);
  if (pending.ok()) view.pending_removals = *pending;
  auto next = store_->NextRefresh(who.team_id, audience_id);
  if (next.ok()) view.next_refresh = *next;
  return view;
}

absl::Status AudienceManager::Delete(const Requester& who,
                                     const std::string& advertiser_id,
                                     const std::string& audience_id) {
  auto a = Owned(who, advertiser_id, audience_id);
  if (!a.ok()) return a.status();
  if (!a->tiktok_id.empty()) {
    auto token =
        tokens_->Token(who.team_id, a->member_id, a->role, a->advertiser_id);
    if (!token.ok()) return token.status();
    if (absl::Status s =
            tiktok_->Delete(*token, a->advertiser_id, a->tiktok_id);
        !s.ok()) {
      return s;
    }
  }
  return store_->DeleteAudience(who.team_id, audience_id);
}

identifiers::Normalizer AudienceManager::NormalizerFor(
    const std::string& request_region, const AudienceRecord& audience) const {
  if (!request_region.empty()) return normalizer_.WithRegion(request_region);
  if (!audience.default_region.empty()) {
    return normalizer_.WithRegion(audience.default_region);
  }
  return normalizer_;
}

AudienceManager::SyncSession::SyncSession(AudienceManager* m, JobRecord job,
                                          identifiers::Normalizer normalizer)
    : manager_(m),
      job_(std::move(job)),
      normalizer_(std::move(normalizer)),
      spool_(m->store_, job_.team_id, job_.id, &normalizer_,
             m->options_.chunk_digests) {}

absl::Status AudienceManager::SyncSession::AddBatch(IdType type,
                                                    const std::string* values,
                                                    size_t n) {
  return spool_.AddBatch(type, values, n);
}

absl::Status AudienceManager::SyncSession::AddBatch(
    IdType type, size_t n,
    const std::function<const std::string&(size_t)>& value_at) {
  return spool_.AddBatch(type, n, value_at);
}

absl::StatusOr<JobRecord> AudienceManager::SyncSession::Finish() {
  if (absl::Status s = spool_.Finish(); !s.ok()) {
    Abort(s);
    return s;
  }
  AudienceStore* store = manager_->store_;
  if (absl::Status s =
          store->SetJobState(job_.team_id, job_.id, JobState::kQueued);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = manager_->queue_->Enqueue(job_.team_id, job_.id);
      !s.ok()) {
    return s;
  }
  return store->GetJob(job_.team_id, job_.id);
}

void AudienceManager::SyncSession::Abort(const absl::Status& why) {
  (void)manager_->store_->FailJob(
      job_.team_id, job_.id,
      absl::Status(why.code(),
                   absl::StrCat("stream aborted: ", why.message())));
}

void AudienceManager::SyncSession::Discard() {
  // The counts and chunk numbers the spool wrote are in the job record.
  auto job = manager_->store_->GetJob(job_.team_id, job_.id);
  (void)manager_->store_->DeleteJob(job.ok() ? *job : job_);
}

absl::StatusOr<std::unique_ptr<AudienceManager::SyncSession>>
AudienceManager::BeginSync(const Requester& who,
                           const std::string& advertiser_id,
                           const std::string& audience_id, Operation operation,
                           const std::string& default_region) {
  if (audience_id.empty()) {
    return status::InvalidArgument(
        "the first message must name the audience",
        {{"audience_id", "required on the first message"}});
  }
  if (operation != Operation::kAdd && operation != Operation::kRemove) {
    return status::InvalidArgument("operation must be ADD or REMOVE",
                                   {{"operation", "must be ADD or REMOVE"}});
  }
  const std::string region = identifiers::CanonicalRegion(default_region);
  if (!default_region.empty() && region.empty()) {
    return status::InvalidArgument("invalid default_region",
                                   {{"default_region", kRegionRule}});
  }
  auto a = Owned(who, advertiser_id, audience_id);
  if (!a.ok()) return a.status();
  JobRecord job;
  job.id = NewId("job_");
  job.team_id = who.team_id;
  job.audience_id = a->id;
  job.advertiser_id = a->advertiser_id;
  job.operation = operation;
  job.state = JobState::kReceiving;
  job.source = JobSource::kSync;
  job.member_id = a->member_id;
  job.role = a->role;
  job.create_time = job.update_time = absl::Now();
  if (absl::Status s = store_->PutJob(job); !s.ok()) return s;
  return std::unique_ptr<SyncSession>(
      new SyncSession(this, std::move(job), NormalizerFor(region, *a)));
}

absl::StatusOr<JobRecord> AudienceManager::GetJob(const Requester& who,
                                                  const std::string& job_id) {
  return store_->GetJob(who.team_id, job_id);
}

absl::StatusOr<std::vector<JobRecord>> AudienceManager::ListJobs(
    const Requester& who, const std::string& audience_id, int limit) {
  auto jobs = store_->ListJobs(who.team_id, audience_id.empty() ? limit : 1000);
  if (!jobs.ok() || audience_id.empty()) return jobs;
  std::vector<JobRecord> out;
  for (auto& j : *jobs) {
    if (j.audience_id == audience_id && static_cast<int>(out.size()) < limit) {
      out.push_back(std::move(j));
    }
  }
  return out;
}

absl::StatusOr<std::pair<std::vector<std::string>, int64_t>>
AudienceManager::Disqualify(const Requester& who,
                            const std::string& advertiser_id,
                            const std::string& audience_id,
                            const std::vector<Batch>& batches,
                            const std::string& default_region) {
  const std::string region = identifiers::CanonicalRegion(default_region);
  if (!default_region.empty() && region.empty()) {
    return status::InvalidArgument("invalid default_region",
                                   {{"default_region", kRegionRule}});
  }
  std::vector<AudienceRecord> targets;
  if (audience_id.empty()) {
    if (advertiser_id.empty()) {
      return status::InvalidArgument(
          "advertiser_id or audience_id is required",
          {{"advertiser_id", "required when audience_id is empty"}});
    }
    auto all = List(who, advertiser_id);
    if (!all.ok()) return all.status();
    targets = *std::move(all);
  } else {
    auto a = Owned(who, advertiser_id, audience_id);
    if (!a.ok()) return a.status();
    targets.push_back(*std::move(a));
  }
  using Digests = std::array<std::vector<Digest>, identifiers::kIdTypeCount>;
  // Digests per effective region (phone digests depend on it), computed
  // once per distinct region.
  struct Hashed {
    Digests digests;
    int64_t valid = 0;
  };
  auto hash = [&](const identifiers::Normalizer& normalizer) {
    Hashed h;
    std::string scratch;
    for (const Batch& b : batches) {
      identifiers::BatchMode mode;
      for (const std::string& v : b.values) {
        Digest d;
        bool hashed = false;
        auto r = normalizer.Digest(b.type, v, d.data(), &hashed, &scratch);
        if (r == identifiers::Reason::kOk) r = mode.Check(hashed);
        if (r != identifiers::Reason::kOk) continue;
        h.digests[static_cast<int>(b.type)].push_back(d);
        ++h.valid;
      }
    }
    return h;
  };
  std::map<std::string, Hashed> by_region;
  int64_t valid = 0;
  for (const auto& a : targets) {
    const identifiers::Normalizer n = NormalizerFor(region, a);
    const std::string& key = n.options().default_region;
    if (!by_region.count(key)) {
      by_region[key] = hash(n);
      valid = std::max(valid, by_region[key].valid);
    }
  }
  if (targets.empty()) valid = hash(normalizer_).valid;
  if (valid == 0) {
    return status::InvalidArgument(
        "no valid identifier to disqualify",
        {{"batches", "no value is a valid identifier of its type"}});
  }
  std::vector<std::string> ids;
  for (const auto& a : targets) {
    const Digests& digests =
        by_region[NormalizerFor(region, a).options().default_region].digests;
    for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
      absl::Status s = store_->QueueRemovals(
          who.team_id, a.id, static_cast<IdType>(t), digests[t]);
      if (!s.ok()) return s;
    }
    auto next = store_->NextRefresh(who.team_id, a.id);
    if (next.ok() && !next->has_value()) {
      (void)store_->ScheduleRefresh(
          who.team_id, a.id,
          absl::Now() + absl::Seconds(a.refresh_interval_seconds));
    }
    ids.push_back(a.id);
  }
  return std::make_pair(ids, valid);
}

absl::StatusOr<int> AudienceManager::RefreshDue(absl::Time now) {
  auto due = store_->DueRefreshes(now, 100);
  if (!due.ok()) return due.status();
  int queued = 0;
  for (const auto& [team, audience_id] : *due) {
    auto a = store_->GetAudience(team, audience_id);
    if (absl::IsNotFound(a.status())) {
      (void)store_->redis()->Command(
          {"ZREM", "ttads:audience:refresh", team + "|" + audience_id});
      continue;
    }
    if (!a.ok()) return a.status();
    const absl::Time next =
        now + absl::Seconds(std::max<int64_t>(1, a->refresh_interval_seconds));
    auto claimed = ClaimRefreshScript().Run(
        *store_->redis(), {"ttads:audience:refresh"},
        {team + "|" + audience_id, absl::StrCat(absl::ToUnixMillis(now)),
         absl::StrCat(absl::ToUnixMillis(next))});
    if (!claimed.ok()) return claimed.status();
    if (claimed->integer != 1) continue;
    auto pending = store_->PendingRemovals(team, audience_id);
    if (!pending.ok()) return pending.status();
    // Removals wait until the audience exists on TikTok.
    if (*pending == 0 || a->tiktok_id.empty()) continue;
    JobRecord job;
    job.id = NewId("job_");
    job.team_id = team;
    job.audience_id = audience_id;
    job.advertiser_id = a->advertiser_id;
    job.operation = Operation::kRemove;
    job.state = JobState::kQueued;
    job.source = JobSource::kDisqualification;
    job.member_id = a->member_id;
    job.role = a->role;
    job.create_time = job.update_time = now;
    if (absl::Status s = store_->PutJob(job); !s.ok()) return s;
    if (absl::Status s = queue_->Enqueue(team, job.id); !s.ok()) return s;
    ++queued;
  }
  return queued;
}

RefreshScheduler::RefreshScheduler(AudienceManager* manager,
                                   absl::Duration period)
    : manager_(manager), period_(period) {}

RefreshScheduler::~RefreshScheduler() { Stop(); }

void RefreshScheduler::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      (void)manager_->RefreshDue(absl::Now());
      for (absl::Duration left = period_; left > absl::ZeroDuration() && !stop_;
           left -= absl::Milliseconds(50)) {
        absl::SleepFor(std::min(left, absl::Milliseconds(50)));
      }
    }
  });
}

void RefreshScheduler::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttads::audience
