#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_PROTO_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_PROTO_H_

#include <vector>

#include "absl/status/statusor.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_store.h"
#include "services/audience/disqualifier.h"
#include "ttads/audience/v1/audience_service.pb.h"

// Conversions between the audience contract (ttads.audience.v1) and the
// domain's records. Pure functions: no I/O.
namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// The audience as the contract answers it (size, validity, history,
// pending removals and next refresh time from `view`).
void ToProto(const AudienceView& view, v1::Audience* out);
// The job with its progress (JobProgress); reasons stored by name become
// the contract's InvalidReason (UNSPECIFIED for a name this version does
// not know).
void ToProto(const JobRecord& job, v1::SyncJob* out);

// The domain's operation: ADD or REMOVE, else an invalid value the domain
// refuses (MemberSync::Begin).
Operation OperationOf(v1::MemberOperation operation);

// The batches of a request; INVALID_ARGUMENT on `batches[i].type` for an
// unknown identifier type.
absl::StatusOr<std::vector<Batch>> BatchesOf(
    const google::protobuf::RepeatedPtrField<v1::IdentifierBatch>& batches);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_PROTO_H_
