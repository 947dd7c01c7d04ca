#ifndef TTADS_SERVICES_PREFLIGHT_PUBLISH_RESPONSE_H_
#define TTADS_SERVICES_PREFLIGHT_PUBLISH_RESPONSE_H_

#include "services/preflight/findings.h"
#include "services/preflight/objectives.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::preflight {

// The answer for one objective, from what the check found:
// - `checks`: one Prerequisite per prerequisite the objective needs, in
//   Prerequisite order, `required` true, with the finding's satisfied flag,
//   found assets, reason and fix hint; `tiktok_error` only for api_error.
// - `missing`: the prerequisites established to be absent. Unverified ones
//   (api_error, and no_token on an asset) are not listed: they only make the
//   answer not ready. no_token on the identity is missing.
// - `ready`: every needed prerequisite is satisfied.
v1::PublishCheckResponse BuildResponse(const Objective& objective,
                                       const Findings& findings);

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PUBLISH_RESPONSE_H_
