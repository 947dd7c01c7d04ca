#include "services/audience/audience_store.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"
#include "libs/store/script.h"

namespace ttads::audience {
namespace {

using store::RedisReply;
using store::TeamKey;

constexpr int kMaxSamples = 5;
constexpr int kMaxHistory = 200;
constexpr char kRefreshKey[] = "ttads:audience:refresh";

std::string AudKey(const std::string& t, const std::string& id) {
  return TeamKey(t, "audience:" + id);
}
std::string AudIndexKey(const std::string& t) {
  return TeamKey(t, "audiences");
}
std::string HistoryKey(const std::string& t, const std::string& id) {
  return TeamKey(t, "audience:" + id + ":history");
}
std::string DqKey(const std::string& t, const std::string& id, IdType type) {
  return TeamKey(
      t, absl::StrCat("audience:", id, ":dq:", identifiers::IdTypeName(type)));
}
std::string JobKey(const std::string& t, const std::string& id) {
  return TeamKey(t, "job:" + id);
}
std::string JobIndexKey(const std::string& t) { return TeamKey(t, "jobs"); }
std::string ErrorsKey(const std::string& t, const std::string& id) {
  return TeamKey(t, "job:" + id + ":errors");
}
std::string SamplesKey(const std::string& t, const std::string& id,
                       const std::string& reason) {
  return TeamKey(t, "job:" + id + ":samples:" + reason);
}
std::string ChunkKey(const std::string& t, const std::string& id, IdType type,
                     int64_t k) {
  return TeamKey(t, absl::StrCat("job:", id, ":chunk:",
                                 identifiers::IdTypeName(type), ":", k));
}
std::string FileKey(const std::string& t, const std::string& id, IdType type,
                    int64_t n) {
  return TeamKey(t, absl::StrCat("job:", id, ":file:",
                                 identifiers::IdTypeName(type), ":", n));
}
std::string DqSnapshotKey(const std::string& t, const std::string& job,
                          IdType type) {
  return TeamKey(
      t, absl::StrCat("job:", job, ":dq:", identifiers::IdTypeName(type)));
}

int64_t ToInt(const std::map<std::string, std::string>& m,
              const std::string& k) {
  auto it = m.find(k);
  int64_t v = 0;
  if (it != m.end()) (void)absl::SimpleAtoi(it->second, &v);
  return v;
}
std::string Str(const std::map<std::string, std::string>& m,
                const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? "" : it->second;
}
std::string Ms(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

absl::Status CheckReplies(const absl::StatusOr<std::vector<RedisReply>>& r) {
  TTADS_RETURN_IF_ERROR(r.status());
  for (const auto& e : *r) {
    if (e.is_error()) return absl::InternalError(e.str);
  }
  // EXEC returns nil when aborted.
  if (!r->empty() && r->back().is_nil()) {
    return absl::AbortedError("Redis transaction aborted");
  }
  return absl::OkStatus();
}

constexpr char kClaimLostReason[] = "CLAIM_LOST";

absl::Status ClaimLostError(const std::string& job) {
  return status::WithErrorInfo(
      absl::AbortedError(absl::StrCat("job ", job,
                                      " was claimed by another worker; this "
                                      "worker's claim is void")),
      kClaimLostReason);
}

// KEYS[1] the job hash, then every key the commands touch (same team, same
// slot); ARGV[1] the claim epoch, then each command as <argc> <args...>.
// Runs the commands only while ARGV[1] is the job's claim_epoch.
const store::Script& FencedScript() {
  static const auto* script = new store::Script(R"lua(
if redis.call('HGET', KEYS[1], 'claim_epoch') ~= ARGV[1] then
  return redis.error_reply('CLAIM_LOST the job has a newer claim')
end
local i = 2
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
return 1
)lua");
  return *script;
}

// KEYS[1] the job hash; ARGV[1] the consumer, ARGV[2] the claim's start
// (Unix ms). {epoch, attempts}, or nil when the job does not exist.
const store::Script& ClaimScript() {
  static const auto* script = new store::Script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local epoch = redis.call('HINCRBY', KEYS[1], 'claim_epoch', 1)
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'claim_owner', ARGV[1], 'run_ms', ARGV[2],
           'run_settled', redis.call('HGET', KEYS[1], 'settled') or '0')
return {epoch, attempts}
)lua");
  return *script;
}

// Wraps commands in MULTI/EXEC and checks every reply; with a claim epoch,
// runs them in one Lua script that first checks the fence in `job_key`.
absl::Status Transaction(store::RedisPool& redis,
                         std::vector<std::vector<std::string>> cmds,
                         const std::string& job_key = "",
                         int64_t claim_epoch = kUnfenced) {
  if (claim_epoch != kUnfenced) {
    std::vector<std::string> keys = {job_key};
    std::vector<std::string> args = {absl::StrCat(claim_epoch)};
    for (auto& cmd : cmds) {
      if (cmd.size() > 1 &&
          std::find(keys.begin(), keys.end(), cmd[1]) == keys.end()) {
        keys.push_back(cmd[1]);
      }
      args.push_back(absl::StrCat(cmd.size()));
      for (auto& a : cmd) args.push_back(std::move(a));
    }
    auto r = FencedScript().Run(redis, keys, args);
    if (!r.ok()) {
      if (absl::StrContains(r.status().message(), kClaimLostReason)) {
        return ClaimLostError(job_key);
      }
      return r.status();
    }
    return r->is_error() ? absl::InternalError(r->str) : absl::OkStatus();
  }
  cmds.insert(cmds.begin(), {"MULTI"});
  cmds.push_back({"EXEC"});
  auto r = redis.Pipeline(cmds);
  TTADS_RETURN_IF_ERROR(CheckReplies(r));
  const RedisReply& exec = r->back();
  for (const auto& e : exec.elements) {
    if (e.is_error()) return absl::InternalError(e.str);
  }
  return absl::OkStatus();
}

// Adds `n` settled identifiers (invalid, duplicate or uploaded) to the job
// and stamps the progress time.
void AppendSettledCommands(const std::string& key, int64_t n, absl::Time now,
                           std::vector<std::vector<std::string>>* cmds) {
  if (n == 0) return;
  cmds->push_back({"HINCRBY", key, "settled", absl::StrCat(n)});
  cmds->push_back({"HSET", key, "progress_ms", Ms(now)});
}

void AppendCountCommands(const std::string& key, const std::string& team,
                         const std::string& job, const ReceiveCounts& counts,
                         absl::Time now,
                         std::vector<std::vector<std::string>>* cmds) {
  int64_t settled = counts.duplicates;
  for (const auto& [reason, n] : counts.invalid) settled += n;
  AppendSettledCommands(key, settled, now, cmds);
  if (counts.received) {
    cmds->push_back(
        {"HINCRBY", key, "received", absl::StrCat(counts.received)});
  }
  if (counts.duplicates) {
    cmds->push_back(
        {"HINCRBY", key, "duplicates", absl::StrCat(counts.duplicates)});
  }
  for (const auto& [reason, n] : counts.invalid) {
    cmds->push_back({"HINCRBY", key, "invalid:" + reason, absl::StrCat(n)});
  }
  for (const auto& [reason, samples] : counts.samples) {
    if (samples.empty()) continue;
    std::vector<std::string> push = {"RPUSH", SamplesKey(team, job, reason)};
    push.insert(push.end(), samples.begin(), samples.end());
    cmds->push_back(std::move(push));
    cmds->push_back({"LTRIM", SamplesKey(team, job, reason), "0",
                     absl::StrCat(kMaxSamples - 1)});
  }
  cmds->push_back({"HSET", key, "update_ms", Ms(absl::Now())});
}

}  // namespace

bool IsClaimLost(const absl::Status& status) {
  return absl::IsAborted(status) &&
         status::ReasonOf(status) == kClaimLostReason;
}

std::string_view JobSourceName(JobSource source) {
  return source == JobSource::kDisqualification ? "disqualification" : "sync";
}

JobSource ParseJobSource(std::string_view name) {
  return name == "disqualification" ? JobSource::kDisqualification
                                    : JobSource::kSync;
}

std::string_view JobStateName(JobState s) {
  switch (s) {
    case JobState::kReceiving:
      return "RECEIVING";
    case JobState::kQueued:
      return "QUEUED";
    case JobState::kRunning:
      return "RUNNING";
    case JobState::kSucceeded:
      return "SUCCEEDED";
    case JobState::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

absl::Status AudienceStore::PutAudience(const AudienceRecord& a) {
  std::vector<std::string> types;
  for (IdType t : a.types) types.push_back(absl::StrCat(static_cast<int>(t)));
  return Transaction(
      *redis_, {{"HSET",
                 AudKey(a.team_id, a.id),
                 "id",
                 a.id,
                 "advertiser_id",
                 a.advertiser_id,
                 "name",
                 a.name,
                 "types",
                 absl::StrJoin(types, ","),
                 "refresh",
                 absl::StrCat(a.refresh_interval_seconds),
                 "create_ms",
                 Ms(a.create_time),
                 "tiktok_id",
                 a.tiktok_id,
                 "member_id",
                 a.member_id,
                 "role",
                 a.role,
                 "region",
                 a.default_region},
                {"ZADD", AudIndexKey(a.team_id), Ms(a.create_time), a.id}});
}

absl::StatusOr<AudienceRecord> AudienceStore::GetAudience(
    const std::string& team, const std::string& id) {
  if (!store::IsValidKeyId(id))
    return absl::NotFoundError("audience not found");
  auto m = store::HashGetAll(*redis_, AudKey(team, id));
  if (!m.ok()) {
    if (absl::IsNotFound(m.status())) {
      return absl::NotFoundError("audience not found");
    }
    return m.status();
  }
  AudienceRecord a;
  a.id = Str(*m, "id");
  a.team_id = team;
  a.advertiser_id = Str(*m, "advertiser_id");
  a.name = Str(*m, "name");
  for (absl::string_view t :
       absl::StrSplit(Str(*m, "types"), ',', absl::SkipEmpty())) {
    int v = 0;
    if (absl::SimpleAtoi(t, &v)) a.types.push_back(static_cast<IdType>(v));
  }
  a.refresh_interval_seconds = ToInt(*m, "refresh");
  a.create_time = absl::FromUnixMillis(ToInt(*m, "create_ms"));
  a.tiktok_id = Str(*m, "tiktok_id");
  a.member_id = Str(*m, "member_id");
  a.role = Str(*m, "role");
  a.default_region = Str(*m, "region");
  return a;
}

absl::StatusOr<std::vector<AudienceRecord>> AudienceStore::ListAudiences(
    const std::string& team) {
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"ZRANGE", AudIndexKey(team), "0", "-1"}));
  TTADS_ASSIGN_OR_RETURN(auto ids, store::ReplyToStrings(r));
  std::vector<AudienceRecord> out;
  for (const auto& id : ids) {
    auto a = GetAudience(team, id);
    if (a.ok()) out.push_back(*std::move(a));
  }
  return out;
}

absl::Status AudienceStore::DeleteAudience(const std::string& team,
                                           const std::string& id) {
  std::vector<std::vector<std::string>> cmds = {
      {"DEL", AudKey(team, id), HistoryKey(team, id)},
      {"ZREM", AudIndexKey(team), id}};
  for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
    cmds.push_back({"DEL", DqKey(team, id, static_cast<IdType>(t))});
  }
  TTADS_RETURN_IF_ERROR(Transaction(*redis_, std::move(cmds)));
  auto r = redis_->Command({"ZREM", kRefreshKey, team + "|" + id});
  return r.status();
}

absl::Status AudienceStore::SetTikTokId(const std::string& team,
                                        const std::string& id,
                                        const std::string& tiktok_id) {
  auto r = redis_->Command({"HSET", AudKey(team, id), "tiktok_id", tiktok_id});
  return r.status();
}

absl::StatusOr<std::vector<std::string>> AudienceStore::History(
    const std::string& team, const std::string& id) {
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"LRANGE", HistoryKey(team, id), "0", "-1"}));
  return store::ReplyToStrings(r);
}

absl::Status AudienceStore::PutJob(const JobRecord& j) {
  return Transaction(
      *redis_, {{"HSET",
                 JobKey(j.team_id, j.id),
                 "id",
                 j.id,
                 "audience_id",
                 j.audience_id,
                 "advertiser_id",
                 j.advertiser_id,
                 "op",
                 absl::StrCat(static_cast<int>(j.operation)),
                 "state",
                 absl::StrCat(static_cast<int>(j.state)),
                 "source",
                 std::string(JobSourceName(j.source)),
                 "member_id",
                 j.member_id,
                 "role",
                 j.role,
                 "create_ms",
                 Ms(j.create_time),
                 "update_ms",
                 Ms(j.update_time)},
                {"ZADD", JobIndexKey(j.team_id), Ms(j.create_time), j.id}});
}

absl::StatusOr<JobRecord> AudienceStore::GetJob(const std::string& team,
                                                const std::string& id) {
  if (!store::IsValidKeyId(id)) return absl::NotFoundError("job not found");
  auto m = store::HashGetAll(*redis_, JobKey(team, id));
  if (!m.ok()) {
    if (absl::IsNotFound(m.status()))
      return absl::NotFoundError("job not found");
    return m.status();
  }
  JobRecord j;
  j.id = Str(*m, "id");
  j.team_id = team;
  j.audience_id = Str(*m, "audience_id");
  j.advertiser_id = Str(*m, "advertiser_id");
  j.operation = static_cast<Operation>(ToInt(*m, "op"));
  j.state = static_cast<JobState>(ToInt(*m, "state"));
  j.source = ParseJobSource(Str(*m, "source"));
  j.member_id = Str(*m, "member_id");
  j.role = Str(*m, "role");
  j.received = ToInt(*m, "received");
  j.duplicates = ToInt(*m, "duplicates");
  j.files_uploaded = ToInt(*m, "files_uploaded");
  j.attempts = ToInt(*m, "attempts");
  j.claim_epoch = ToInt(*m, "claim_epoch");
  j.claim_owner = Str(*m, "claim_owner");
  j.error_code = Str(*m, "error_code");
  j.error_reason = Str(*m, "error_reason");
  j.create_time = absl::FromUnixMillis(ToInt(*m, "create_ms"));
  j.update_time = absl::FromUnixMillis(ToInt(*m, "update_ms"));
  j.settled = ToInt(*m, "settled");
  j.progress_time = absl::FromUnixMillis(ToInt(*m, "progress_ms"));
  j.run_start = absl::FromUnixMillis(ToInt(*m, "run_ms"));
  j.run_start_settled = ToInt(*m, "run_settled");
  for (const auto& [k, v] : *m) {
    int64_t n = 0;
    (void)absl::SimpleAtoi(v, &n);
    if (absl::StartsWith(k, "invalid:")) j.invalid[k.substr(8)] = n;
    if (absl::StartsWith(k, "uploaded:")) j.uploaded[k.substr(9)] = n;
    if (absl::StartsWith(k, "chunks:")) j.chunks[k.substr(7)] = n;
  }
  std::vector<std::vector<std::string>> cmds = {
      {"LRANGE", ErrorsKey(team, id), "0", "-1"}};
  std::vector<std::string> reasons;
  for (const auto& [reason, n] : j.invalid) {
    reasons.push_back(reason);
    cmds.push_back({"LRANGE", SamplesKey(team, id, reason), "0", "-1"});
  }
  TTADS_ASSIGN_OR_RETURN(auto r, redis_->Pipeline(cmds));
  if (auto e = store::ReplyToStrings(r[0]); e.ok()) j.errors = *e;
  for (size_t i = 0; i < reasons.size(); ++i) {
    if (auto s = store::ReplyToStrings(r[i + 1]); s.ok()) {
      j.samples[reasons[i]] = *s;
    }
  }
  return j;
}

absl::StatusOr<std::vector<JobRecord>> AudienceStore::ListJobs(
    const std::string& team, int limit) {
  TTADS_ASSIGN_OR_RETURN(auto r,
                         redis_->Command({"ZREVRANGE", JobIndexKey(team), "0",
                                          absl::StrCat(limit - 1)}));
  TTADS_ASSIGN_OR_RETURN(auto ids, store::ReplyToStrings(r));
  std::vector<JobRecord> out;
  for (const auto& id : ids) {
    auto j = GetJob(team, id);
    if (j.ok()) out.push_back(*std::move(j));
  }
  return out;
}

absl::Status AudienceStore::SetJobState(const std::string& team,
                                        const std::string& id, JobState state,
                                        int64_t claim_epoch) {
  return Transaction(
      *redis_,
      {{"HSET", JobKey(team, id), "state",
        absl::StrCat(static_cast<int>(state)), "update_ms", Ms(absl::Now())}},
      JobKey(team, id), claim_epoch);
}

absl::Status AudienceStore::FailJob(const std::string& team,
                                    const std::string& id,
                                    const absl::Status& status,
                                    int64_t claim_epoch) {
  return Transaction(
      *redis_,
      {{"HSET", JobKey(team, id), "state",
        absl::StrCat(static_cast<int>(JobState::kFailed)), "error_code",
        absl::StatusCodeToString(status.code()), "error_reason",
        status::ReasonOf(status), "update_ms", Ms(absl::Now())},
       {"RPUSH", ErrorsKey(team, id),
        absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                     status.message())}},
      JobKey(team, id), claim_epoch);
}

absl::StatusOr<JobClaim> AudienceStore::ClaimJob(const std::string& team,
                                                 const std::string& id,
                                                 const std::string& consumer) {
  if (!store::IsValidKeyId(id)) return absl::NotFoundError("job not found");
  TTADS_ASSIGN_OR_RETURN(auto r, ClaimScript().Run(*redis_, {JobKey(team, id)},
                                                   {consumer, Ms(clock_())}));
  if (r.is_error()) return absl::InternalError(r.str);
  if (r.is_nil() || r.elements.size() != 2) {
    return absl::NotFoundError("job not found");
  }
  return JobClaim{r.elements[0].integer, r.elements[1].integer};
}

absl::Status AudienceStore::WriteChunk(const std::string& team,
                                       const std::string& job, IdType type,
                                       int64_t index,
                                       const std::vector<Digest>& digests,
                                       const ReceiveCounts& counts,
                                       int64_t claim_epoch) {
  std::string blob(digests.size() * 32, '\0');
  for (size_t i = 0; i < digests.size(); ++i) {
    std::copy(digests[i].begin(), digests[i].end(), blob.begin() + i * 32);
  }
  const std::string key = JobKey(team, job);
  std::vector<std::vector<std::string>> cmds = {
      {"SET", ChunkKey(team, job, type, index), std::move(blob)},
      {"HSET", key, absl::StrCat("chunks:", identifiers::IdTypeName(type)),
       absl::StrCat(index + 1)}};
  AppendCountCommands(key, team, job, counts, clock_(), &cmds);
  return Transaction(*redis_, std::move(cmds), key, claim_epoch);
}

absl::Status AudienceStore::AddCounts(const std::string& team,
                                      const std::string& job,
                                      const ReceiveCounts& counts,
                                      int64_t claim_epoch) {
  std::vector<std::vector<std::string>> cmds;
  AppendCountCommands(JobKey(team, job), team, job, counts, clock_(), &cmds);
  return Transaction(*redis_, std::move(cmds), JobKey(team, job), claim_epoch);
}

absl::StatusOr<std::string> AudienceStore::ReadChunk(const std::string& team,
                                                     const std::string& job,
                                                     IdType type, int64_t index,
                                                     int64_t start,
                                                     int64_t count) {
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"GETRANGE", ChunkKey(team, job, type, index),
                               absl::StrCat(start * 32),
                               absl::StrCat((start + count) * 32 - 1)}));
  if (r.is_error()) return absl::InternalError(r.str);
  return std::move(r.str);
}

absl::StatusOr<FileCheckpoint> AudienceStore::GetFile(const std::string& team,
                                                      const std::string& job,
                                                      IdType type, int64_t n) {
  auto m = store::HashGetAll(*redis_, FileKey(team, job, type, n));
  FileCheckpoint f;
  if (!m.ok()) {
    if (absl::IsNotFound(m.status())) return f;
    return m.status();
  }
  f.state = static_cast<FileCheckpoint::State>(ToInt(*m, "state"));
  f.file_path = Str(*m, "file_path");
  f.count = ToInt(*m, "count");
  f.duplicates = ToInt(*m, "duplicates");
  for (absl::string_view c :
       absl::StrSplit(Str(*m, "cursor"), ',', absl::SkipEmpty())) {
    int64_t v = 0;
    (void)absl::SimpleAtoi(c, &v);
    f.cursor_end.push_back(v);
  }
  return f;
}

absl::Status AudienceStore::PutFile(const std::string& team,
                                    const std::string& job, IdType type,
                                    int64_t n, const FileCheckpoint& f,
                                    int64_t claim_epoch) {
  return Transaction(*redis_,
                     {{"HSET", FileKey(team, job, type, n), "state",
                       absl::StrCat(static_cast<int>(f.state)), "file_path",
                       f.file_path, "count", absl::StrCat(f.count),
                       "duplicates", absl::StrCat(f.duplicates), "cursor",
                       absl::StrJoin(f.cursor_end, ",")}},
                     JobKey(team, job), claim_epoch);
}

absl::Status AudienceStore::RecordUpload(const std::string& team,
                                         const std::string& job, IdType type,
                                         int64_t n, const FileCheckpoint& f,
                                         int64_t claim_epoch) {
  const std::string key = JobKey(team, job);
  std::vector<std::vector<std::string>> cmds = {
      {"HSET", FileKey(team, job, type, n), "state",
       absl::StrCat(static_cast<int>(f.state)), "file_path", f.file_path,
       "count", absl::StrCat(f.count), "duplicates", absl::StrCat(f.duplicates),
       "cursor", absl::StrJoin(f.cursor_end, ",")}};
  AppendSettledCommands(key, f.count + f.duplicates, clock_(), &cmds);
  return Transaction(*redis_, std::move(cmds), key, claim_epoch);
}

absl::Status AudienceStore::MarkFileApplied(
    const std::string& team, const std::string& job,
    const std::string& audience, IdType type, int64_t n,
    const FileCheckpoint& f, const std::string& history, int64_t claim_epoch) {
  const std::string key = JobKey(team, job);
  return Transaction(
      *redis_,
      {{"HSET", FileKey(team, job, type, n), "state",
        absl::StrCat(static_cast<int>(FileCheckpoint::State::kApplied))},
       {"HINCRBY", key,
        absl::StrCat("uploaded:", identifiers::IdTypeName(type)),
        absl::StrCat(f.count)},
       {"HINCRBY", key, "duplicates", absl::StrCat(f.duplicates)},
       {"HINCRBY", key, "files_uploaded", "1"},
       {"HSET", key, "update_ms", Ms(absl::Now())},
       {"RPUSH", HistoryKey(team, audience), history},
       {"LTRIM", HistoryKey(team, audience), absl::StrCat(-kMaxHistory), "-1"}},
      key, claim_epoch);
}

absl::Status AudienceStore::DropJobData(const JobRecord& job) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& [type_name, n] : job.chunks) {
    for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
      const IdType type = static_cast<IdType>(t);
      if (identifiers::IdTypeName(type) != type_name) continue;
      for (int64_t k = 0; k < n; ++k) {
        cmds.push_back({"DEL", ChunkKey(job.team_id, job.id, type, k)});
      }
      cmds.push_back({"DEL", DqSnapshotKey(job.team_id, job.id, type)});
    }
  }
  if (cmds.empty()) return absl::OkStatus();
  auto r = redis_->Pipeline(cmds);
  return r.status();
}

absl::Status AudienceStore::DeleteJob(const JobRecord& job) {
  TTADS_RETURN_IF_ERROR(DropJobData(job));
  std::vector<std::vector<std::string>> cmds = {
      {"ZREM", JobIndexKey(job.team_id), job.id},
      {"DEL", JobKey(job.team_id, job.id), ErrorsKey(job.team_id, job.id)}};
  for (const auto& [reason, n] : job.invalid) {
    cmds.push_back({"DEL", SamplesKey(job.team_id, job.id, reason)});
  }
  auto r = redis_->Pipeline(cmds);
  return r.status();
}

absl::Status AudienceStore::QueueRemovals(const std::string& team,
                                          const std::string& audience,
                                          IdType type,
                                          const std::vector<Digest>& digests) {
  if (digests.empty()) return absl::OkStatus();
  std::vector<std::string> cmd = {"SADD", DqKey(team, audience, type)};
  for (const Digest& d : digests) {
    cmd.emplace_back(reinterpret_cast<const char*>(d.data()), 32);
  }
  TTADS_ASSIGN_OR_RETURN(auto r, redis_->Command(cmd));
  return r.is_error() ? absl::InternalError(r.str) : absl::OkStatus();
}

absl::StatusOr<int64_t> AudienceStore::PendingRemovals(
    const std::string& team, const std::string& audience) {
  std::vector<std::vector<std::string>> cmds;
  for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
    cmds.push_back({"SCARD", DqKey(team, audience, static_cast<IdType>(t))});
  }
  TTADS_ASSIGN_OR_RETURN(auto r, redis_->Pipeline(cmds));
  int64_t n = 0;
  for (const auto& e : r) n += e.integer;
  return n;
}

absl::StatusOr<std::vector<Digest>> AudienceStore::TakeRemovals(
    const std::string& team, const std::string& audience, IdType type,
    const std::string& job) {
  const std::string snap = DqSnapshotKey(team, job, type);
  // RENAME only when the queue exists; a second call (after a crash) reads
  // the snapshot taken by the first.
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Pipeline(
                  {{"EXISTS", DqKey(team, audience, type)}, {"EXISTS", snap}}));
  if (r[0].integer == 1 && r[1].integer == 0) {
    TTADS_RETURN_IF_ERROR(
        redis_->Command({"RENAME", DqKey(team, audience, type), snap}));
  }
  TTADS_ASSIGN_OR_RETURN(auto members, redis_->Command({"SMEMBERS", snap}));
  std::vector<Digest> out;
  for (const auto& e : members.elements) {
    if (e.str.size() != 32) continue;
    Digest d;
    std::copy(e.str.begin(), e.str.end(), d.begin());
    out.push_back(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status AudienceStore::ScheduleRefresh(const std::string& team,
                                            const std::string& audience,
                                            absl::Time due) {
  auto r =
      redis_->Command({"ZADD", kRefreshKey, Ms(due), team + "|" + audience});
  return r.status();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
AudienceStore::DueRefreshes(absl::Time now, int limit) {
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"ZRANGEBYSCORE", kRefreshKey, "-inf", Ms(now),
                               "LIMIT", "0", absl::StrCat(limit)}));
  TTADS_ASSIGN_OR_RETURN(auto members, store::ReplyToStrings(r));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : members) {
    const size_t bar = m.find('|');
    if (bar == std::string::npos) continue;
    out.emplace_back(m.substr(0, bar), m.substr(bar + 1));
  }
  return out;
}

absl::StatusOr<std::optional<absl::Time>> AudienceStore::NextRefresh(
    const std::string& team, const std::string& audience) {
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"ZSCORE", kRefreshKey, team + "|" + audience}));
  if (r.is_nil()) return std::optional<absl::Time>();
  double ms = 0;
  if (!absl::SimpleAtod(r.str, &ms)) return std::optional<absl::Time>();
  return std::optional<absl::Time>(
      absl::FromUnixMillis(static_cast<int64_t>(ms)));
}

}  // namespace ttads::audience
