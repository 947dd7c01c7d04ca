#ifndef TTADS_SERVICES_ADS_AD_INPUT_H_
#define TTADS_SERVICES_ADS_AD_INPUT_H_

// CreateAd's request (AIP-133: the parent advertiser, the Ad, request_id and
// validate_only) as the domain takes it: the flat v1::AdInput that
// AdCreator, validation and the request-id records work on, which is also
// the shape CreateAd took before it took an Ad. The same ad reduces to the
// same AdInput whichever shape it came in, so a request keys (KeyedRequest)
// and hashes exactly as the flat request did, and request-id records written
// before replay.

#include "absl/status/statusor.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Whether `f` is annotated `[(google.api.field_behavior) = behavior]`.
bool HasFieldBehavior(const google::protobuf::FieldDescriptor* f,
                      google::api::FieldBehavior behavior);

// Whether `f` of `m` is set: present (a field with presence), not its
// default (one without), not empty (a list).
bool IsFieldSet(const google::protobuf::Message& m,
                const google::protobuf::FieldDescriptor* f);

// Every field of `ad` that AdInput has under the same name and type, as set
// (see ToAdInput), `advertiser_id` included: UpdateAd's values.
v1::AdInput AdInputOf(const v1::Ad& ad);

// The AdInput of `req`:
//  - every field of `req.ad()` that AdInput has under the same name and
//    type, as set (a field with presence when present; one without when not
//    its default; a list when not empty). OUTPUT_ONLY fields (ad_id,
//    campaign_id, statuses, times, `fields`) have no counterpart and are
//    ignored (AIP-203);
//  - advertiser_id: the parent, else `ad.advertiser_id`; both set and
//    different is a violation of `ad.advertiser_id`;
//  - request_id and validate_only from the request.
// INVALID_ARGUMENT with a field violation of `ad.advertiser_id` for a
// mismatched advertiser; no other error.
absl::StatusOr<v1::AdInput> ToAdInput(const v1::CreateAdRequest& req);

// The CreateAdRequest of a flat `input` (the inverse of ToAdInput for every
// AdInput a caller can write): for clients and tests that hold the flat
// shape.
v1::CreateAdRequest ToCreateAdRequest(const v1::AdInput& input);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_INPUT_H_
