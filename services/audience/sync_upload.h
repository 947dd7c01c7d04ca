#ifndef TTADS_SERVICES_AUDIENCE_SYNC_UPLOAD_H_
#define TTADS_SERVICES_AUDIENCE_SYNC_UPLOAD_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/idempotency/request_digest.h"
#include "services/audience/member_sync.h"
#include "services/audience/requester.h"
#include "services/audience/sync_session.h"
#include "ttads/audience/v1/audience_service.pb.h"

namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// One SyncMembers stream, message by message. The first message names the
// audience, the operation and maybe the upload's region (MemberSync::Begin);
// every message's batches are spooled as they arrive. The stream as a whole
// is the request of its `request_id` (the first message's; every message is
// digested without it), so the key is claimed when the stream ends
// (Finish), after spooling; the job id is the intent, recorded before the
// job is queued. A duplicate stream (sequential or concurrent) gets the
// first stream's job and its own spooled job is deleted (never queued,
// never listed); a call that takes over an earlier owner's claim returns
// that owner's job when it was queued, else fails it (superseded) and
// queues this stream's. A stream that breaks (Abort) fails its job.
class SyncUpload {
 public:
  SyncUpload(MemberSync* sync, idempotency::IdempotencyStore* idempotency)
      : sync_(sync), idempotency_(idempotency) {}

  // Message `index` (0 first) of the stream. INVALID_ARGUMENT as Begin
  // says for the first message, and on `batches[i].type` for an unknown
  // identifier type; NOT_FOUND for another team's audience.
  absl::Status Add(const Requester& who, const v1::SyncMembersRequest& req,
                   int index);
  // The stream ended: queues the job (or answers the earlier stream's, as
  // above). INVALID_ARGUMENT on `audience_id` when no message named the
  // audience.
  absl::StatusOr<v1::SyncJob> Finish(const Requester& who, absl::Time deadline);
  // The stream broke: its job (if one was begun) is marked FAILED.
  void Abort(const absl::Status& why);

 private:
  MemberSync* sync_;
  idempotency::IdempotencyStore* idempotency_;
  std::unique_ptr<SyncSession> session_;
  idempotency::StreamDigest digest_;
  std::string request_id_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_SYNC_UPLOAD_H_
