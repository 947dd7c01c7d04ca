#include "services/audience/audience_mutations.h"

#include <string>
#include <string_view>
#include <vector>

#include "libs/idempotency/request_digest.h"
#include "libs/idempotency/run_once.h"
#include "libs/status/status_macros.h"
#include "services/audience/audience_proto.h"

namespace ttads::audience {

using google::protobuf::Message;
using idempotency::Attempt;

absl::StatusOr<v1::Audience> AudienceMutations::CreateAudience(
    const Requester& who, absl::Time deadline,
    const v1::CreateAudienceRequest& req) {
  v1::Audience out;
  idempotency::Operation op;
  op.apply = [&](Attempt& attempt, Message* response) -> absl::Status {
    const v1::Audience& audience = req.audience();
    AudienceSpec spec;
    spec.advertiser_id = req.advertiser_id();
    spec.name = audience.name();
    spec.identifier_types.assign(audience.identifier_types().begin(),
                                 audience.identifier_types().end());
    spec.refresh_interval_seconds = audience.refresh_interval_seconds();
    spec.default_region = audience.default_region();
    CreateOptions create;
    create.audience_id = attempt.earlier_intent();
    create.before_write = [&attempt](const std::string& id) {
      return attempt.SaveIntent(id);
    };
    TTADS_ASSIGN_OR_RETURN(AudienceView view,
                           audiences_->Create(who, spec, create));
    ToProto(view, static_cast<v1::Audience*>(response));
    return absl::OkStatus();
  };
  op.reconcile = [&](std::string_view intent,
                     Message* response) -> absl::StatusOr<bool> {
    if (intent.empty()) return false;
    auto view = audiences_->Get(who, "", std::string(intent));
    if (absl::IsNotFound(view.status())) return false;
    TTADS_RETURN_IF_ERROR(view.status());
    ToProto(*view, static_cast<v1::Audience*>(response));
    return true;
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {who.team_id, "audience.CreateAudience", req.request_id()},
      idempotency::RequestDigest(req), deadline, &out, op));
  return out;
}

absl::StatusOr<v1::DeleteAudienceResponse> AudienceMutations::DeleteAudience(
    const Requester& who, absl::Time deadline,
    const v1::DeleteAudienceRequest& req) {
  v1::DeleteAudienceResponse out;
  idempotency::Operation op;
  op.apply = [&](Attempt& attempt, Message*) -> absl::Status {
    const bool resumed = !attempt.earlier_intent().empty();
    TTADS_RETURN_IF_ERROR(attempt.SaveIntent(req.audience_id()));
    absl::Status deleted =
        audiences_->Delete(who, req.advertiser_id(), req.audience_id());
    if (resumed && absl::IsNotFound(deleted)) return absl::OkStatus();
    return deleted;
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {who.team_id, "audience.DeleteAudience", req.request_id()},
      idempotency::RequestDigest(req), deadline, &out, op));
  return out;
}

absl::StatusOr<v1::DisqualifyMembersResponse>
AudienceMutations::DisqualifyMembers(const Requester& who, absl::Time deadline,
                                     const v1::DisqualifyMembersRequest& req) {
  TTADS_ASSIGN_OR_RETURN(const std::vector<Batch> batches,
                         BatchesOf(req.batches()));
  v1::DisqualifyMembersResponse out;
  idempotency::Operation op;
  op.apply = [&](Attempt&, Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(
        const Disqualified result,
        disqualifier_->Disqualify(who, req.advertiser_id(), req.audience_id(),
                                  batches, req.default_region()));
    auto* dq = static_cast<v1::DisqualifyMembersResponse*>(response);
    for (const auto& id : result.audience_ids) dq->add_audience_ids(id);
    dq->set_queued(result.queued);
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_,
      {who.team_id, "audience.DisqualifyMembers", req.request_id()},
      idempotency::RequestDigest(req), deadline, &out, op));
  return out;
}

}  // namespace ttads::audience
