#include "services/audience/audience_service.h"

#include <algorithm>
#include <mutex>
#include <string_view>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "libs/idempotency/request_digest.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/streams.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/validate/validate.h"
#include "services/audience/job_progress.h"

namespace ttads::audience {
namespace {

Requester From(const server::CallContext& call) {
  return {call.caller.team_id, call.caller.member_id, call.caller.role};
}

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  const int64_t ms = absl::ToUnixMillis(t);
  ts->set_seconds(ms / 1000);
  ts->set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
}

absl::Status ToBatches(
    const google::protobuf::RepeatedPtrField<v1::IdentifierBatch>& in,
    std::vector<Batch>* out) {
  for (int i = 0; i < in.size(); ++i) {
    const int t = in[i].type();
    if (t < 1 || t > identifiers::kIdTypeCount) {
      return status::InvalidArgument(
          "unknown identifier type",
          {{absl::StrCat("batches[", i, "].type"),
            "must be EMAIL, PHONE, IDFA, GAID or MAID"}});
    }
    out->push_back({static_cast<IdType>(t - 1),
                    {in[i].values().begin(), in[i].values().end()}});
  }
  return absl::OkStatus();
}

// The contract's value of a reason a job record stores by name
// (identifiers::ReasonName: "bad_email", ...); UNSPECIFIED for a name this
// version does not know (a record of a later one).
v1::InvalidReason InvalidReasonOf(absl::string_view name) {
  using identifiers::Reason;
  static constexpr std::pair<Reason, v1::InvalidReason> kReasons[] = {
      {Reason::kEmpty, v1::INVALID_REASON_EMPTY},
      {Reason::kBadEmail, v1::INVALID_REASON_BAD_EMAIL},
      {Reason::kBadPhone, v1::INVALID_REASON_BAD_PHONE},
      {Reason::kBadMaid, v1::INVALID_REASON_BAD_MAID},
      {Reason::kMixedHashedRaw, v1::INVALID_REASON_MIXED_HASHED_RAW},
      {Reason::kTooLong, v1::INVALID_REASON_TOO_LONG},
  };
  for (const auto& [reason, value] : kReasons) {
    if (identifiers::ReasonName(reason) == name) return value;
  }
  return v1::INVALID_REASON_UNSPECIFIED;
}

// Offset paging over an in-memory list; the token is the next offset.
size_t PageStart(const std::string& token) {
  size_t start = 0;
  if (!token.empty()) (void)absl::SimpleAtoi(token, &start);
  return start;
}

}  // namespace

void ToProto(const AudienceView& view, v1::Audience* out) {
  const AudienceRecord& a = view.record;
  out->set_audience_id(a.id);
  out->set_advertiser_id(a.advertiser_id);
  out->set_name(a.name);
  for (IdType t : a.types) {
    out->add_identifier_types(
        static_cast<v1::IdentifierType>(static_cast<int>(t) + 1));
  }
  out->set_size(view.size);
  out->set_is_valid(view.is_valid);
  out->set_refresh_interval_seconds(a.refresh_interval_seconds);
  SetTime(a.create_time, out->mutable_create_time());
  for (const auto& h : view.history) out->add_history(h);
  out->set_tiktok_audience_id(a.tiktok_id);
  out->set_default_region(a.default_region);
  out->set_pending_removals(view.pending_removals);
  if (view.next_refresh)
    SetTime(*view.next_refresh, out->mutable_next_refresh_time());
}

void ToProto(const JobRecord& j, v1::SyncJob* out) {
  out->set_job_id(j.id);
  out->set_advertiser_id(j.advertiser_id);
  out->set_audience_id(j.audience_id);
  out->set_operation(j.operation == Operation::kAdd
                         ? v1::MEMBER_OPERATION_ADD
                         : v1::MEMBER_OPERATION_REMOVE);
  out->set_state(static_cast<v1::SyncJobState>(static_cast<int>(j.state)));
  out->set_received(j.received);
  out->set_duplicates(j.duplicates);
  for (const auto& [reason, n] : j.invalid) {
    auto* inv = out->add_invalid();
    inv->set_reason(InvalidReasonOf(reason));
    inv->set_count(n);
    auto it = j.samples.find(reason);
    if (it != j.samples.end()) {
      for (const auto& s : it->second) inv->add_samples(s);
    }
  }
  for (const auto& [type, n] : j.uploaded) (*out->mutable_uploaded())[type] = n;
  for (const auto& e : j.errors) out->add_errors(e);
  SetTime(j.create_time, out->mutable_create_time());
  SetTime(j.update_time, out->mutable_update_time());
  out->set_error_code(j.error_code);
  out->set_error_reason(j.error_reason);
  out->set_files_uploaded(j.files_uploaded);
  out->set_source(j.source == JobSource::kDisqualification
                      ? v1::SYNC_JOB_SOURCE_DISQUALIFICATION
                      : v1::SYNC_JOB_SOURCE_SYNC);
  const JobProgress progress = ProgressOf(j);
  out->set_total(progress.total);
  out->set_done(progress.done);
  out->set_percent(progress.percent);
  if (progress.eta) {
    const int64_t ms = absl::ToInt64Milliseconds(*progress.eta);
    out->mutable_eta()->set_seconds(ms / 1000);
    out->mutable_eta()->set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
  }
  if (progress.progress_time) {
    SetTime(*progress.progress_time, out->mutable_progress_time());
  }
}

grpc::ServerUnaryReactor* AudienceServiceImpl::CreateAudience(
    grpc::CallbackServerContext* ctx, const v1::CreateAudienceRequest* req,
    v1::Audience* resp) {
  return server::HandleUnary<v1::CreateAudienceRequest, v1::Audience>(
      *env_, ctx, req, resp, "CreateAudience",
      [this](const server::CallContext& call,
             const v1::CreateAudienceRequest& r,
             v1::Audience* out) -> absl::Status {
        const Requester who = From(call);
        idempotency::Operation op;
        // The audience id is the intent: recorded before the record is
        // written, reused by a call that takes the key over.
        op.apply = [&](idempotency::Attempt& attempt,
                       google::protobuf::Message* response) -> absl::Status {
          std::vector<int> types(r.identifier_types().begin(),
                                 r.identifier_types().end());
          CreateOptions create;
          create.audience_id = attempt.earlier_intent();
          create.before_write = [&attempt](const std::string& id) {
            return attempt.SaveIntent(id);
          };
          TTADS_ASSIGN_OR_RETURN(
              AudienceView view,
              manager_->Create(who, r.advertiser_id(), r.name(), types,
                               r.refresh_interval_seconds(), r.default_region(),
                               create));
          ToProto(view, static_cast<v1::Audience*>(response));
          return absl::OkStatus();
        };
        op.reconcile =
            [&](std::string_view intent,
                google::protobuf::Message* response) -> absl::StatusOr<bool> {
          if (intent.empty()) return false;
          auto view = manager_->Get(who, "", std::string(intent));
          if (absl::IsNotFound(view.status())) return false;
          if (!view.ok()) return view.status();
          ToProto(*view, static_cast<v1::Audience*>(response));
          return true;
        };
        return idempotency::RunOnce(
            &idempotency_,
            {call.caller.team_id, "audience.CreateAudience", r.request_id()},
            idempotency::RequestDigest(r), call.deadline, out, op);
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::ListAudiences(
    grpc::CallbackServerContext* ctx, const v1::ListAudiencesRequest* req,
    v1::ListAudiencesResponse* resp) {
  return server::HandleUnary<v1::ListAudiencesRequest,
                             v1::ListAudiencesResponse>(
      *env_, ctx, req, resp, "ListAudiences",
      [this](const server::CallContext& call, const v1::ListAudiencesRequest& r,
             v1::ListAudiencesResponse* out) -> absl::Status {
        auto list = manager_->List(From(call), r.advertiser_id());
        if (!list.ok()) return list.status();
        const size_t size =
            r.page_size() > 0 ? std::min<size_t>(r.page_size(), 100) : 50;
        const size_t start = PageStart(r.page_token());
        for (size_t i = start; i < list->size() && i < start + size; ++i) {
          AudienceView v;
          v.record = (*list)[i];
          ToProto(v, out->add_audiences());
        }
        if (start + size < list->size()) {
          out->set_next_page_token(absl::StrCat(start + size));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::GetAudience(
    grpc::CallbackServerContext* ctx, const v1::GetAudienceRequest* req,
    v1::Audience* resp) {
  return server::HandleUnary<v1::GetAudienceRequest, v1::Audience>(
      *env_, ctx, req, resp, "GetAudience",
      [this](const server::CallContext& call, const v1::GetAudienceRequest& r,
             v1::Audience* out) -> absl::Status {
        auto view =
            manager_->Get(From(call), r.advertiser_id(), r.audience_id());
        if (!view.ok()) return view.status();
        ToProto(*view, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::DeleteAudience(
    grpc::CallbackServerContext* ctx, const v1::DeleteAudienceRequest* req,
    v1::DeleteAudienceResponse* resp) {
  return server::HandleUnary<v1::DeleteAudienceRequest,
                             v1::DeleteAudienceResponse>(
      *env_, ctx, req, resp, "DeleteAudience",
      [this](const server::CallContext& call,
             const v1::DeleteAudienceRequest& r,
             v1::DeleteAudienceResponse* out) -> absl::Status {
        idempotency::Operation op;
        // Deleting twice deletes once; a call that takes over an attempt
        // that had started deleting answers as that attempt would have,
        // also when it finds the audience gone.
        op.apply = [&](idempotency::Attempt& attempt,
                       google::protobuf::Message*) -> absl::Status {
          const bool resumed = !attempt.earlier_intent().empty();
          TTADS_RETURN_IF_ERROR(attempt.SaveIntent(r.audience_id()));
          absl::Status deleted =
              manager_->Delete(From(call), r.advertiser_id(), r.audience_id());
          if (resumed && absl::IsNotFound(deleted)) return absl::OkStatus();
          return deleted;
        };
        return idempotency::RunOnce(
            &idempotency_,
            {call.caller.team_id, "audience.DeleteAudience", r.request_id()},
            idempotency::RequestDigest(r), call.deadline, out, op);
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::GetSyncJob(
    grpc::CallbackServerContext* ctx, const v1::GetSyncJobRequest* req,
    v1::SyncJob* resp) {
  return server::HandleUnary<v1::GetSyncJobRequest, v1::SyncJob>(
      *env_, ctx, req, resp, "GetSyncJob",
      [this](const server::CallContext& call, const v1::GetSyncJobRequest& r,
             v1::SyncJob* out) -> absl::Status {
        auto job = manager_->GetJob(From(call), r.job_id());
        if (!job.ok()) return job.status();
        ToProto(*job, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::ListSyncJobs(
    grpc::CallbackServerContext* ctx, const v1::ListSyncJobsRequest* req,
    v1::ListSyncJobsResponse* resp) {
  return server::HandleUnary<v1::ListSyncJobsRequest, v1::ListSyncJobsResponse>(
      *env_, ctx, req, resp, "ListSyncJobs",
      [this](const server::CallContext& call, const v1::ListSyncJobsRequest& r,
             v1::ListSyncJobsResponse* out) -> absl::Status {
        const size_t size =
            r.page_size() > 0 ? std::min<size_t>(r.page_size(), 100) : 50;
        const size_t start = PageStart(r.page_token());
        auto jobs = manager_->ListJobs(From(call), r.audience_id(),
                                       static_cast<int>(start + size + 1));
        if (!jobs.ok()) return jobs.status();
        for (size_t i = start; i < jobs->size() && i < start + size; ++i) {
          ToProto((*jobs)[i], out->add_jobs());
        }
        if (jobs->size() > start + size) {
          out->set_next_page_token(absl::StrCat(start + size));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::DisqualifyMembers(
    grpc::CallbackServerContext* ctx, const v1::DisqualifyMembersRequest* req,
    v1::DisqualifyMembersResponse* resp) {
  return server::HandleUnary<v1::DisqualifyMembersRequest,
                             v1::DisqualifyMembersResponse>(
      *env_, ctx, req, resp, "DisqualifyMembers",
      [this](const server::CallContext& call,
             const v1::DisqualifyMembersRequest& r,
             v1::DisqualifyMembersResponse* out) -> absl::Status {
        std::vector<Batch> batches;
        TTADS_RETURN_IF_ERROR(ToBatches(r.batches(), &batches));
        // Queuing removals adds to sets: applying twice changes nothing, so
        // a call that takes the key over simply applies (no reconcile).
        idempotency::Operation op;
        op.apply = [&](idempotency::Attempt&,
                       google::protobuf::Message* response) -> absl::Status {
          TTADS_ASSIGN_OR_RETURN(
              auto result, manager_->Disqualify(From(call), r.advertiser_id(),
                                                r.audience_id(), batches,
                                                r.default_region()));
          auto* dq = static_cast<v1::DisqualifyMembersResponse*>(response);
          for (const auto& id : result.first) dq->add_audience_ids(id);
          dq->set_queued(result.second);
          return absl::OkStatus();
        };
        return idempotency::RunOnce(
            &idempotency_,
            {call.caller.team_id, "audience.DisqualifyMembers", r.request_id()},
            idempotency::RequestDigest(r), call.deadline, out, op);
      });
}

namespace {

// One SyncMembers stream through the shared client-stream pipeline
// (server::ClientStreamReactor: auth, per-message decode and contract
// checks, error details, metrics, access log). Every message is spooled as
// it arrives and digested (without request_id); the request id of the first
// message is claimed when the stream ends, so a retried stream is compared
// as a whole.
class SyncReactor
    : public server::ClientStreamReactor<v1::SyncMembersRequest, v1::SyncJob> {
 public:
  SyncReactor(const server::ServiceEnv* env, AudienceManager* manager,
              idempotency::IdempotencyStore* idempotency,
              grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp)
      : ClientStreamReactor(env, ctx, resp, "SyncMembers"),
        manager_(manager),
        idempotency_(idempotency) {
    Begin();
  }

 protected:
  absl::Status OnMessage(const server::CallContext& call,
                         v1::SyncMembersRequest& req, int index) override {
    if (index == 0) request_id_ = req.request_id();
    digest_.Add(req);
    if (session_ == nullptr) {
      const Operation op = req.operation() == v1::MEMBER_OPERATION_REMOVE
                               ? Operation::kRemove
                           : req.operation() == v1::MEMBER_OPERATION_ADD
                               ? Operation::kAdd
                               : static_cast<Operation>(0);
      TTADS_ASSIGN_OR_RETURN(
          session_,
          manager_->BeginSync(From(call), req.advertiser_id(),
                              req.audience_id(), op, req.default_region()));
    }
    for (int i = 0; i < req.batches_size(); ++i) {
      const auto& b = req.batches(i);
      const int t = b.type();
      if (t < 1 || t > identifiers::kIdTypeCount) {
        return status::InvalidArgument(
            "unknown identifier type",
            {{absl::StrCat("batches[", i, "].type"),
              "must be EMAIL, PHONE, IDFA, GAID or MAID"}});
      }
      TTADS_RETURN_IF_ERROR(session_->AddBatch(
          static_cast<IdType>(t - 1), b.values_size(),
          [&b](size_t k) -> const std::string& { return b.values(k); }));
    }
    return absl::OkStatus();
  }

  absl::Status OnEnd(const server::CallContext& call, int,
                     v1::SyncJob* out) override {
    if (session_ == nullptr) {
      return status::InvalidArgument(
          "the stream carried no message naming the audience",
          {{"audience_id", "required on the first message"}});
    }
    const Requester who = From(call);
    bool committed = false;
    idempotency::Operation op;
    // The job id is the intent: a call that takes the key over finds that
    // job and returns it if it was committed (QUEUED or later).
    op.apply = [&](idempotency::Attempt& attempt,
                   google::protobuf::Message* response) -> absl::Status {
      TTADS_RETURN_IF_ERROR(attempt.SaveIntent(session_->job().id));
      TTADS_ASSIGN_OR_RETURN(JobRecord job, session_->Finish());
      committed = true;
      ToProto(job, static_cast<v1::SyncJob*>(response));
      return absl::OkStatus();
    };
    op.reconcile =
        [&](std::string_view intent,
            google::protobuf::Message* response) -> absl::StatusOr<bool> {
      if (intent.empty()) return false;
      auto job = manager_->GetJob(who, std::string(intent));
      if (absl::IsNotFound(job.status())) return false;
      if (!job.ok()) return job.status();
      if (job->state == JobState::kReceiving) {
        // Its stream died before committing: this stream's job replaces it.
        (void)manager_->store()->FailJob(
            who.team_id, job->id,
            absl::AbortedError("superseded by a retry of its request_id"));
        return false;
      }
      ToProto(*job, static_cast<v1::SyncJob*>(response));
      return true;
    };
    idempotency::RunResult result;
    absl::Status s = idempotency::RunOnce(
        idempotency_, {who.team_id, "audience.SyncMembers", request_id_},
        digest_.Finish(), call.deadline, out, op, &result);
    if (!committed) {
      // Answered without this stream's job (a replay, a reconciled earlier
      // job, a refused key): it never existed. A job whose own commit
      // failed keeps its FAILED record.
      if (result.applied) {
        session_->Abort(s);
      } else {
        session_->Discard();
      }
    }
    return s;
  }

  void OnAbort(const absl::Status& why) override {
    if (session_) session_->Abort(why);
  }

 private:
  AudienceManager* manager_;
  idempotency::IdempotencyStore* idempotency_;
  std::unique_ptr<AudienceManager::SyncSession> session_;
  idempotency::StreamDigest digest_;
  std::string request_id_;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* AudienceServiceImpl::SyncMembers(
    grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) {
  return new SyncReactor(env_, manager_, &idempotency_, ctx, resp);
}

namespace {

// One WatchSyncJob stream on libs/server's server-streaming pipeline
// (request id, authentication, validation, one status mapping, metrics and
// access log). On start it reads the job as the caller's team (NOT_FOUND
// for another team's), sends it, and ends there when it is final; else it
// registers with the hub, which sends each change and ends the stream after
// the final state (or with NOT_FOUND if the job is deleted). When the stream
// is over it unregisters.
class WatchJobReactor
    : public server::ServerStreamReactor<v1::WatchSyncJobRequest, v1::SyncJob> {
 public:
  WatchJobReactor(const server::ServiceEnv* env, AudienceManager* manager,
                  JobWatchHub* hub, grpc::CallbackServerContext* ctx,
                  const v1::WatchSyncJobRequest* req)
      : ServerStreamReactor(env, ctx, req, "WatchSyncJob"),
        manager_(manager),
        hub_(hub) {
    Begin();
  }

 protected:
  absl::Status OnStart(const server::CallContext& call,
                       const v1::WatchSyncJobRequest& req) override {
    TTADS_ASSIGN_OR_RETURN(JobRecord job,
                           manager_->GetJob(From(call), req.job_id()));
    v1::SyncJob first;
    ToProto(job, &first);
    Send(std::move(first));
    if (IsFinal(job.state)) {
      End(absl::OkStatus());
      return absl::OkStatus();
    }
    TTADS_ASSIGN_OR_RETURN(
        int handle,
        hub_->Add(job, [this](const absl::StatusOr<JobRecord>& changed) {
          if (!changed.ok()) return End(changed.status());
          v1::SyncJob message;
          ToProto(*changed, &message);
          Send(std::move(message));
          if (IsFinal(changed->state)) End(absl::OkStatus());
        }));
    std::lock_guard<std::mutex> lock(handle_mu_);
    handle_ = handle;
    return absl::OkStatus();
  }

  // After the stream is over, outside the reactor's lock (the hub delivers
  // under its own lock).
  void OnFinished() override {
    int handle;
    {
      std::lock_guard<std::mutex> lock(handle_mu_);
      handle = handle_;
    }
    if (handle > 0) hub_->Remove(handle);
  }

 private:
  AudienceManager* manager_;
  JobWatchHub* hub_;
  std::mutex handle_mu_;
  int handle_ = 0;
};

}  // namespace

grpc::ServerWriteReactor<v1::SyncJob>* AudienceServiceImpl::WatchSyncJob(
    grpc::CallbackServerContext* ctx, const v1::WatchSyncJobRequest* req) {
  return new WatchJobReactor(env_, manager_, watch_, ctx, req);
}

}  // namespace ttads::audience
