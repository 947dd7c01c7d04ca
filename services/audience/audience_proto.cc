#include "services/audience/audience_proto.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/status/status_macros.h"
#include "services/audience/job_progress.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {
namespace {

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  const int64_t ms = absl::ToUnixMillis(t);
  ts->set_seconds(ms / 1000);
  ts->set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
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

Operation OperationOf(v1::MemberOperation operation) {
  switch (operation) {
    case v1::MEMBER_OPERATION_ADD:
      return Operation::kAdd;
    case v1::MEMBER_OPERATION_REMOVE:
      return Operation::kRemove;
    default:
      return static_cast<Operation>(0);
  }
}

absl::StatusOr<std::vector<Batch>> BatchesOf(
    const google::protobuf::RepeatedPtrField<v1::IdentifierBatch>& batches) {
  std::vector<Batch> out;
  for (int i = 0; i < batches.size(); ++i) {
    TTADS_ASSIGN_OR_RETURN(
        const IdType type,
        IdTypeOfNumber(batches[i].type(),
                       absl::StrCat("batches[", i, "].type")));
    out.push_back(
        {type, {batches[i].values().begin(), batches[i].values().end()}});
  }
  return out;
}

}  // namespace ttads::audience
