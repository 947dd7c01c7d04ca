#include "services/audience/audience_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/server/decode_guard.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/validate/validate.h"

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
  out->set_operation(j.operation == Operation::kAdd ? v1::ADD : v1::REMOVE);
  out->set_state(static_cast<v1::SyncJobState>(static_cast<int>(j.state)));
  out->set_received(j.received);
  out->set_duplicates(j.duplicates);
  for (const auto& [reason, n] : j.invalid) {
    auto* inv = out->add_invalid();
    inv->set_reason(reason);
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
  out->set_source(j.source);
}

grpc::ServerUnaryReactor* AudienceServiceImpl::CreateAudience(
    grpc::CallbackServerContext* ctx, const v1::CreateAudienceRequest* req,
    v1::Audience* resp) {
  return server::HandleUnary<v1::CreateAudienceRequest, v1::Audience>(
      *env_, ctx, req, resp, "CreateAudience",
      [this](const server::CallContext& call,
             const v1::CreateAudienceRequest& r,
             v1::Audience* out) -> absl::Status {
        std::vector<int> types(r.identifier_types().begin(),
                               r.identifier_types().end());
        auto view =
            manager_->Create(From(call), r.advertiser_id(), r.name(), types,
                             r.refresh_interval_seconds(), r.default_region());
        if (!view.ok()) return view.status();
        ToProto(*view, out);
        return absl::OkStatus();
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
             v1::DeleteAudienceResponse*) -> absl::Status {
        return manager_->Delete(From(call), r.advertiser_id(), r.audience_id());
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
        if (absl::Status s = ToBatches(r.batches(), &batches); !s.ok())
          return s;
        auto result =
            manager_->Disqualify(From(call), r.advertiser_id(), r.audience_id(),
                                 batches, r.default_region());
        if (!result.ok()) return result.status();
        for (const auto& id : result->first) out->add_audience_ids(id);
        out->set_queued(result->second);
        return absl::OkStatus();
      });
}

namespace {

class SyncReactor : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  SyncReactor(const server::ServiceEnv* env, AudienceManager* manager,
              grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp)
      : env_(env),
        manager_(manager),
        ctx_(ctx),
        resp_(resp),
        start_(absl::Now()) {
    env_->work->Post([this] {
      absl::Status s = server::BeginCall(*env_, *ctx_, &call_);
      ctx_->AddInitialMetadata(server::kRequestIdHeader, call_.request_id);
      if (!s.ok()) {
        Done(s);
        return;
      }
      StartRead(&raw_);
    });
  }

  void OnReadDone(bool ok) override {
    env_->work->Post([this, ok] {
      if (!ok) {
        if (ctx_->IsCancelled()) {
          if (session_)
            session_->Abort(absl::CancelledError("client cancelled"));
          Done(absl::CancelledError("client cancelled"));
          return;
        }
        if (session_ == nullptr) {
          Done(status::InvalidArgument(
              "the stream carried no message naming the audience",
              {{"audience_id", "required on the first message"}}));
          return;
        }
        auto job = session_->Finish();
        if (!job.ok()) {
          Done(job.status());
          return;
        }
        v1::SyncJob out;
        ToProto(*job, &out);
        bool own_buffer = false;
        grpc::Status serialized =
            grpc::SerializationTraits<v1::SyncJob>::Serialize(out, resp_,
                                                              &own_buffer);
        Done(serialized.ok() ? absl::OkStatus()
                             : absl::InternalError(serialized.error_message()));
        return;
      }
      absl::Status s = server::DecodeStreamMessage(&raw_, messages_++, &req_);
      if (s.ok()) s = validate::Validate(req_);
      if (s.ok()) s = Process();
      if (!s.ok()) {
        if (session_) session_->Abort(s);
        Done(s);
        return;
      }
      req_.Clear();
      StartRead(&raw_);
    });
  }

  void OnDone() override { delete this; }

 private:
  absl::Status Process() {
    if (session_ == nullptr) {
      const Operation op = req_.operation() == v1::REMOVE ? Operation::kRemove
                           : req_.operation() == v1::ADD
                               ? Operation::kAdd
                               : static_cast<Operation>(0);
      auto session = manager_->BeginSync(
          Requester{call_.caller.team_id, call_.caller.member_id,
                    call_.caller.role},
          req_.advertiser_id(), req_.audience_id(), op, req_.default_region());
      if (!session.ok()) return session.status();
      session_ = *std::move(session);
    }
    for (int i = 0; i < req_.batches_size(); ++i) {
      const auto& b = req_.batches(i);
      const int t = b.type();
      if (t < 1 || t > identifiers::kIdTypeCount) {
        return status::InvalidArgument(
            "unknown identifier type",
            {{absl::StrCat("batches[", i, "].type"),
              "must be EMAIL, PHONE, IDFA, GAID or MAID"}});
      }
      absl::Status s = session_->AddBatch(
          static_cast<IdType>(t - 1), b.values_size(),
          [&b](size_t k) -> const std::string& { return b.values(k); });
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  void Done(const absl::Status& s) {
    const absl::Duration elapsed = absl::Now() - start_;
    if (env_->metrics)
      env_->metrics->RecordCall("SyncMembers", s.code(), elapsed);
    server::LogCall(*env_, "SyncMembers", call_, s, elapsed);
    Finish(status::ToGrpcStatus(s));
  }

  const server::ServiceEnv* env_;
  AudienceManager* manager_;
  grpc::CallbackServerContext* ctx_;
  grpc::ByteBuffer* resp_;
  absl::Time start_;
  server::CallContext call_;
  grpc::ByteBuffer raw_;
  int messages_ = 0;
  v1::SyncMembersRequest req_;
  std::unique_ptr<AudienceManager::SyncSession> session_;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* AudienceServiceImpl::SyncMembers(
    grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) {
  return new SyncReactor(env_, manager_, ctx, resp);
}

}  // namespace ttads::audience
