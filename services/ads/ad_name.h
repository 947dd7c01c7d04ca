#ifndef TTADS_SERVICES_ADS_AD_NAME_H_
#define TTADS_SERVICES_ADS_AD_NAME_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/compat/v1/zernio_ads_service.pb.h"

namespace ttads::ads {

// The form CreateAd's request-id records and name markers are keyed on:
// `req` in the seeds' shape (ttads.compat.v1.CreateAdRequest), its enum
// values as TikTok's words (CoreWords). The core's and the seeds' requests
// for the same ad key alike, so they share records, and a request keys as it
// did before the core's fields were typed.
compat::v1::CreateAdRequest KeyedRequest(const v1::AdInput& req);

// SHA-256 (hex) of the deterministic serialization of `req` without
// request_id and validate_only: the same ad asked twice hashes the same. The
// name marker uses it. `req` is a KeyedRequest or a seed's request as sent.
std::string CreateRequestHash(const google::protobuf::Message& req);

// The marker a created ad's name carries so an ambiguous /ad/create/ can be
// reconciled: " [tt:" + 12 hex of SHA-256(team, request id or nonce, request
// hash) + "]".
std::string AdNameMarker(const std::string& team_id, const std::string& key,
                         const std::string& request_hash);

// The name of an ad created without one: "<format> <first 40 bytes of
// ad_text, not cutting a UTF-8 sequence> <UTC date of `now`>".
std::string GeneratedAdName(const std::string& ad_format,
                            const std::string& ad_text, absl::Time now);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_NAME_H_
