#include "services/audience/sync_upload.h"

#include <optional>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "libs/idempotency/run_once.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/audience/audience_proto.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {

using google::protobuf::Message;

absl::Status SyncUpload::Add(const Requester& who,
                             const v1::SyncMembersRequest& req, int index) {
  if (index == 0) request_id_ = req.request_id();
  digest_.Add(req);
  if (session_ == nullptr) {
    TTADS_ASSIGN_OR_RETURN(
        session_,
        sync_->Begin(who, req.advertiser_id(), req.audience_id(),
                     OperationOf(req.operation()), req.default_region()));
  }
  for (int i = 0; i < req.batches_size(); ++i) {
    const auto& b = req.batches(i);
    TTADS_ASSIGN_OR_RETURN(
        const IdType type,
        IdTypeOfNumber(b.type(), absl::StrCat("batches[", i, "].type")));
    TTADS_RETURN_IF_ERROR(session_->AddBatch(
        type, b.values_size(),
        [&b](size_t k) -> const std::string& { return b.values(k); }));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SyncJob> SyncUpload::Finish(const Requester& who,
                                               absl::Time deadline) {
  if (session_ == nullptr) {
    return status::InvalidArgument(
        "the stream carried no message naming the audience",
        {{"audience_id", "required on the first message"}});
  }
  v1::SyncJob out;
  bool committed = false;
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt& attempt,
                 Message* response) -> absl::Status {
    TTADS_RETURN_IF_ERROR(attempt.SaveIntent(session_->job().id));
    TTADS_ASSIGN_OR_RETURN(JobRecord job, session_->Finish());
    committed = true;
    ToProto(job, static_cast<v1::SyncJob*>(response));
    return absl::OkStatus();
  };
  op.reconcile = [&](std::string_view intent,
                     Message* response) -> absl::StatusOr<bool> {
    if (intent.empty()) return false;
    TTADS_ASSIGN_OR_RETURN(std::optional<JobRecord> job,
                           sync_->CommittedJob(who, std::string(intent)));
    if (!job.has_value()) return false;
    ToProto(*job, static_cast<v1::SyncJob*>(response));
    return true;
  };
  idempotency::RunResult result;
  absl::Status s = idempotency::RunOnce(
      idempotency_, {who.team_id, "audience.SyncMembers", request_id_},
      digest_.Finish(), deadline, &out, op, &result);
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
  TTADS_RETURN_IF_ERROR(s);
  return out;
}

void SyncUpload::Abort(const absl::Status& why) {
  if (session_) session_->Abort(why);
}

}  // namespace ttads::audience
