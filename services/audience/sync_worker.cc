#include "services/audience/sync_worker.h"

#include <cstdio>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/log/log.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok/budget.h"
#include "libs/tiktok/error_class.h"
#include "services/audience/chunk_merger.h"
#include "services/audience/customer_file.h"

namespace ttads::audience {
namespace {

// The job was claimed more than max_attempts times: final, not retried.
constexpr char kMaxAttemptsReason[] = "MAX_ATTEMPTS_EXCEEDED";

bool IsRetryableFailure(const absl::Status& s) {
  if (status::ReasonOf(s) == kMaxAttemptsReason) return false;
  if (tiktok::GetTikTokErrorInfo(s).has_value()) return tiktok::IsRetryable(s);
  return absl::IsUnavailable(s) || absl::IsAborted(s) ||
         absl::IsDeadlineExceeded(s);
}

std::string AudienceCalculateType(const AudienceRecord& a) {
  if (a.types.size() == 1)
    return std::string(identifiers::CalculateType(a.types[0]));
  return "MULTIPLE_TYPES";
}

// A consumer name as a file-name part: [A-Za-z0-9._-], others become '_'.
std::string FileNamePart(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
    if (!keep) c = '_';
  }
  return out;
}

}  // namespace

SyncWorker::SyncWorker(AudienceStore* store, JobQueue* queue,
                       TikTokAudienceApi* tiktok, TokenSource* tokens,
                       WorkerOptions options)
    : store_(store),
      queue_(queue),
      tiktok_(tiktok),
      tokens_(tokens),
      options_(std::move(options)) {}

SyncWorker::~SyncWorker() { Stop(); }

void SyncWorker::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      auto r = RunOnce();
      if (!r.ok()) absl::SleepFor(options_.retry_pause);
    }
  });
}

void SyncWorker::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<bool> SyncWorker::RunOnce() {
  TTADS_ASSIGN_OR_RETURN(auto next,
                         queue_->Next(options_.consumer, options_.poll));
  if (!next.has_value()) return false;
  const QueuedJob entry = *next;
  const absl::Duration interval = options_.heartbeat > absl::ZeroDuration()
                                      ? options_.heartbeat
                                      : queue_->claim_idle() / 3;
  ClaimHeartbeat heartbeat(queue_, options_.consumer, entry, interval);
  heartbeat_ = &heartbeat;
  claim_epoch_ = kUnfenced;
  succeeded_ = false;
  bool abandon = false;
  absl::Status s = Process(entry, &abandon);
  bool failed = false;
  if (!s.ok() && !abandon && !IsRetryableFailure(s) && !IsClaimLost(s) &&
      !heartbeat.lost()) {
    // Recorded while the claim is held (fenced): a worker that lost the job
    // does not fail it under its new owner. When it cannot be recorded the
    // entry stays pending, so the next claim records it.
    absl::Status f =
        store_->FailJob(entry.team_id, entry.job_id, s, claim_epoch_);
    if (IsClaimLost(f)) s = f;
    failed = f.ok();
  }
  heartbeat.Stop();
  heartbeat_ = nullptr;
  if (heartbeat.lost() || IsClaimLost(s)) {
    // Another worker owns the job now: nothing more from this one, not even
    // the acknowledgement.
    ++claims_lost_;
    log::Warn("audience job claim lost; stopped working on it",
              {{"job_id", entry.job_id},
               {"consumer", options_.consumer},
               {"claim_epoch", claim_epoch_}});
    return true;
  }
  if (options_.on_finished && (succeeded_ || failed)) {
    options_.on_finished(failed ? JobState::kFailed : JobState::kSucceeded);
  }
  if (abandon) return true;
  if (s.ok() || failed) {
    TTADS_RETURN_IF_ERROR(queue_->Ack(options_.consumer, entry));
    return true;
  }
  // Left pending: claimed again after the claim interval.
  absl::SleepFor(options_.retry_pause);
  return s;
}

absl::Status SyncWorker::CheckClaim() const {
  if (heartbeat_ != nullptr && heartbeat_->lost()) {
    return status::WithErrorInfo(
        absl::AbortedError("the job was claimed by another worker"),
        "CLAIM_LOST");
  }
  return absl::OkStatus();
}

absl::Status SyncWorker::SpoolRemovals(JobRecord& job) {
  bool wrote = false;
  for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
    const IdType type = static_cast<IdType>(t);
    if (job.chunks.count(std::string(identifiers::IdTypeName(type)))) continue;
    TTADS_ASSIGN_OR_RETURN(
        auto digests,
        store_->TakeRemovals(job.team_id, job.audience_id, type, job.id));
    if (digests.empty()) continue;
    ReceiveCounts counts;
    counts.received = static_cast<int64_t>(digests.size());
    TTADS_RETURN_IF_ERROR(store_->WriteChunk(job.team_id, job.id, type, 0,
                                             digests, counts, claim_epoch_));
    wrote = true;
  }
  if (wrote) {
    TTADS_ASSIGN_OR_RETURN(auto reloaded, store_->GetJob(job.team_id, job.id));
    job = std::move(reloaded);
  }
  return absl::OkStatus();
}

absl::Status SyncWorker::Process(const QueuedJob& entry, bool* abandon) {
  tiktok::BudgetScope budget({tiktok::WorkClass::kBackground, entry.team_id});
  auto job_or = store_->GetJob(entry.team_id, entry.job_id);
  if (absl::IsNotFound(job_or.status())) return absl::OkStatus();  // gone
  TTADS_RETURN_IF_ERROR(job_or.status());
  JobRecord job = *std::move(job_or);
  if (job.state == JobState::kSucceeded || job.state == JobState::kFailed) {
    return absl::OkStatus();
  }
  // The fence: from here on a worker that claimed the job before this one
  // can record nothing.
  auto claim = store_->ClaimJob(job.team_id, job.id, options_.consumer);
  if (absl::IsNotFound(claim.status())) return absl::OkStatus();  // gone
  TTADS_RETURN_IF_ERROR(claim.status());
  claim_epoch_ = claim->epoch;
  TTADS_RETURN_IF_ERROR(CheckClaim());
  if (claim->attempts > options_.max_attempts) {
    return status::WithErrorInfo(
        absl::DeadlineExceededError(
            absl::StrCat("gave up after ", options_.max_attempts, " attempts")),
        kMaxAttemptsReason);
  }
  TTADS_RETURN_IF_ERROR(store_->SetJobState(job.team_id, job.id,
                                            JobState::kRunning, claim_epoch_));
  auto audience = store_->GetAudience(job.team_id, job.audience_id);
  if (!audience.ok()) {
    if (absl::IsNotFound(audience.status())) {
      return absl::FailedPreconditionError("the audience was deleted");
    }
    return audience.status();
  }
  if (job.source == JobSource::kDisqualification) {
    TTADS_RETURN_IF_ERROR(SpoolRemovals(job));
  }
  TTADS_ASSIGN_OR_RETURN(
      auto token,
      tokens_->Token(job.team_id, job.member_id, job.role, job.advertiser_id));
  for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
    const IdType type = static_cast<IdType>(t);
    auto it = job.chunks.find(std::string(identifiers::IdTypeName(type)));
    if (it == job.chunks.end() || it->second == 0) continue;
    absl::Status s =
        ProcessType(job, *audience, token, type, it->second, abandon);
    if (*abandon || !s.ok()) return s;
  }
  TTADS_RETURN_IF_ERROR(CheckClaim());
  TTADS_RETURN_IF_ERROR(store_->SetJobState(
      job.team_id, job.id, JobState::kSucceeded, claim_epoch_));
  succeeded_ = true;
  (void)store_->DropJobData(job);
  return absl::OkStatus();
}

absl::Status SyncWorker::ProcessType(JobRecord& job, AudienceRecord& audience,
                                     const std::string& token, IdType type,
                                     int64_t chunks, bool* abandon) {
  std::vector<int64_t> cursor(chunks, 0);
  std::unique_ptr<ChunkMerger> merger;
  const int64_t per_file = DigestsPerFile(type, options_.max_file_bytes);
  std::vector<std::pair<int64_t, FileCheckpoint>> group;
  for (int64_t n = 0;; ++n) {
    TTADS_RETURN_IF_ERROR(CheckClaim());
    TTADS_ASSIGN_OR_RETURN(auto file,
                           store_->GetFile(job.team_id, job.id, type, n));
    if (file.state != FileCheckpoint::State::kNone) {
      cursor = file.cursor_end;
      merger.reset();
      if (file.state != FileCheckpoint::State::kApplied) {
        group.emplace_back(n, std::move(file));
      }
    } else {
      if (merger == nullptr) {
        merger = std::make_unique<ChunkMerger>(store_, job.team_id, job.id,
                                               type, cursor);
      }
      merger->ResetDuplicates();
      const std::string local_path = absl::StrCat(
          options_.temp_dir, "/ttads-", job.id, "-",
          identifiers::IdTypeName(type), "-", n, "-",
          FileNamePart(options_.consumer), "-", claim_epoch_, ".csv");
      TTADS_ASSIGN_OR_RETURN(auto writer,
                             CustomerFileWriter::Open(local_path, type));
      Digest d;
      while (writer.count() < per_file) {
        TTADS_ASSIGN_OR_RETURN(auto more, merger->Next(&d));
        if (!more) break;
        TTADS_RETURN_IF_ERROR(writer.Append(d));
      }
      TTADS_RETURN_IF_ERROR(writer.Close());
      if (writer.count() == 0) {
        std::remove(local_path.c_str());
        // Duplicates found after the last file still count.
        if (merger->duplicates() > 0) {
          ReceiveCounts tail;
          tail.duplicates = merger->duplicates();
          if (absl::Status s =
                  store_->AddCounts(job.team_id, job.id, tail, claim_epoch_);
              IsClaimLost(s)) {
            return s;
          }
        }
        break;
      }
      // TikTok: a file's calculate_type must be the audience's (create:
      // "the same as all the files"; update: "the same encryption
      // method/type"), so a multi-type audience gets MULTIPLE_TYPES files.
      auto path =
          tiktok_->UploadFile(token, job.advertiser_id,
                              AudienceCalculateType(audience), local_path);
      std::remove(local_path.c_str());
      TTADS_RETURN_IF_ERROR(path.status());
      TTADS_RETURN_IF_ERROR(CheckClaim());
      file.state = FileCheckpoint::State::kUploaded;
      file.file_path = *path;
      file.cursor_end = merger->cursor();
      cursor = file.cursor_end;
      file.count = writer.count();
      file.duplicates = merger->duplicates();
      TTADS_RETURN_IF_ERROR(store_->RecordUpload(job.team_id, job.id, type, n,
                                                 file, claim_epoch_));
      group.emplace_back(n, std::move(file));
    }
    if (static_cast<int>(group.size()) >= options_.files_per_update) {
      absl::Status s = ApplyGroup(job, audience, token, type, group, abandon);
      group.clear();
      if (!s.ok() || *abandon) return s;
    }
  }
  if (!group.empty()) {
    return ApplyGroup(job, audience, token, type, group, abandon);
  }
  return absl::OkStatus();
}

absl::Status SyncWorker::ApplyGroup(
    JobRecord& job, AudienceRecord& audience, const std::string& token,
    IdType type, std::vector<std::pair<int64_t, FileCheckpoint>>& group,
    bool* abandon) {
  TTADS_RETURN_IF_ERROR(CheckClaim());
  bool resumed = false;
  std::vector<std::string> paths;
  for (auto& [n, file] : group) {
    resumed |= file.state == FileCheckpoint::State::kApplying;
    file.state = FileCheckpoint::State::kApplying;
    TTADS_RETURN_IF_ERROR(
        store_->PutFile(job.team_id, job.id, type, n, file, claim_epoch_));
    paths.push_back(file.file_path);
  }
  // The "applying" writes passed the fence; the heartbeat may have seen a
  // takeover since.
  TTADS_RETURN_IF_ERROR(CheckClaim());
  TTADS_RETURN_IF_ERROR(Apply(job, audience, token, paths, resumed));
  for (auto& [n, file] : group) {
    const std::string history = absl::StrCat(
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                         absl::UTCTimeZone()),
        " ", job.operation == Operation::kAdd ? "APPEND" : "REMOVE", " ",
        identifiers::IdTypeName(type), " ", file.count, " ", file.file_path,
        " job=", job.id);
    TTADS_RETURN_IF_ERROR(store_->MarkFileApplied(job.team_id, job.id,
                                                  audience.id, type, n, file,
                                                  history, claim_epoch_));
  }
  files_applied_ += static_cast<int64_t>(group.size());
  if (after_file && !after_file(files_applied_)) *abandon = true;
  return absl::OkStatus();
}

absl::Status SyncWorker::Apply(JobRecord& job, AudienceRecord& audience,
                               const std::string& token,
                               const std::vector<std::string>& paths,
                               bool resumed) {
  const bool add = job.operation == Operation::kAdd;
  if (audience.tiktok_id.empty()) {
    // Another job may have created it meanwhile.
    TTADS_ASSIGN_OR_RETURN(auto fresh,
                           store_->GetAudience(job.team_id, audience.id));
    audience.tiktok_id = fresh.tiktok_id;
  }
  if (audience.tiktok_id.empty()) {
    if (!add) {
      return status::WithErrorInfo(
          absl::FailedPreconditionError(
              "the audience has no members on TikTok yet: nothing to remove"),
          "AUDIENCE_EMPTY");
    }
    // One creator per audience at a time.
    const std::string lock =
        store::TeamKey(job.team_id, "audience:" + audience.id + ":create_lock");
    TTADS_ASSIGN_OR_RETURN(
        auto got,
        store_->redis()->Command({"SET", lock, job.id, "NX", "PX", "120000"}));
    if (got.is_nil()) {
      auto holder = store_->redis()->Command({"GET", lock});
      if (!holder.ok() || holder->str != job.id) {
        return absl::UnavailableError("audience creation in progress");
      }
    }
    if (resumed) {
      // The create may have happened before the crash (or its answer was
      // lost): adopt it by name — but never a TikTok audience another
      // audience of the team is bound to (names are not unique).
      TTADS_ASSIGN_OR_RETURN(auto list,
                             tiktok_->List(token, job.advertiser_id));
      TTADS_ASSIGN_OR_RETURN(auto ours, store_->ListAudiences(job.team_id));
      std::set<std::string> bound;
      for (const auto& other : ours) {
        if (other.id != audience.id && !other.tiktok_id.empty()) {
          bound.insert(other.tiktok_id);
        }
      }
      for (const auto& a : list) {
        if (a.name == audience.name && !bound.count(a.id)) {
          audience.tiktok_id = a.id;
          return store_->SetTikTokId(job.team_id, audience.id, a.id);
        }
      }
    }
    TTADS_ASSIGN_OR_RETURN(
        auto id, tiktok_->Create(token, job.advertiser_id, audience.name,
                                 AudienceCalculateType(audience), paths));
    audience.tiktok_id = id;
    absl::Status s = store_->SetTikTokId(job.team_id, audience.id, id);
    (void)store_->redis()->Command({"DEL", lock});
    return s;
  }
  return tiktok_->Update(token, job.advertiser_id, audience.tiktok_id,
                         add ? "APPEND" : "REMOVE", paths);
}

}  // namespace ttads::audience
