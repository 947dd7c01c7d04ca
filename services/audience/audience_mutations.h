#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_MUTATIONS_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_MUTATIONS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/idempotency/idempotency_store.h"
#include "services/audience/audience_registry.h"
#include "services/audience/disqualifier.h"
#include "services/audience/requester.h"
#include "ttads/audience/v1/audience_service.pb.h"

namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// The unary audience mutations that declare a `request_id` (AIP-155), each
// honouring it through libs/idempotency (RunOnce, key scope
// "audience.<Rpc>", the caller's team): the same request again within 24 h
// gets the first answer and changes nothing, another request under the key
// is ALREADY_EXISTS naming it, a duplicate while the first runs waits for it
// (within `deadline`). Without a request id each call simply applies. What
// a call that takes over an earlier attempt (its owner died, or its outcome
// was unknown) does:
//  - CreateAudience: creates `audience` (AIP-133; the registry's field
//    violations are answered under `audience.`, e.g. "audience.name").
//    The audience id is the intent, recorded just before the
//    record is written; the earlier attempt's audience is answered when it
//    exists, else created under that same id (never a second audience).
//  - DeleteAudience: the audience id is recorded before deleting; deleting
//    twice deletes once, and a call that takes over an attempt that had
//    started answers OK also when it finds the audience gone.
//  - DisqualifyMembers: queuing removals adds to sets, so it applies again.
//    Identifier types are checked (INVALID_ARGUMENT on `batches[i].type`)
//    before the key is claimed.
// SyncMembers, a stream, honours its request_id in SyncUpload.
class AudienceMutations {
 public:
  AudienceMutations(idempotency::IdempotencyStore* idempotency,
                    AudienceRegistry* audiences, Disqualifier* disqualifier)
      : idempotency_(idempotency),
        audiences_(audiences),
        disqualifier_(disqualifier) {}

  absl::StatusOr<v1::Audience> CreateAudience(
      const Requester& who, absl::Time deadline,
      const v1::CreateAudienceRequest& req);
  absl::StatusOr<v1::DeleteAudienceResponse> DeleteAudience(
      const Requester& who, absl::Time deadline,
      const v1::DeleteAudienceRequest& req);
  absl::StatusOr<v1::DisqualifyMembersResponse> DisqualifyMembers(
      const Requester& who, absl::Time deadline,
      const v1::DisqualifyMembersRequest& req);

 private:
  idempotency::IdempotencyStore* idempotency_;
  AudienceRegistry* audiences_;
  Disqualifier* disqualifier_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_MUTATIONS_H_
