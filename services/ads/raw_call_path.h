#ifndef TTADS_SERVICES_ADS_RAW_CALL_PATH_H_
#define TTADS_SERVICES_ADS_RAW_CALL_PATH_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::ads {

// The guard in front of CallTikTokApi ("Make an API Call"): the caller's
// path is reduced to one canonical TikTok path before the allow-list sees
// it, so what is checked is exactly what is sent.
//
// CanonicalRawCallPath(path):
//   1. percent-decodes `path` once ("%67" -> "g"); a '%' not followed by two
//      hex digits, or a '%' still present after decoding (double encoding,
//      "%252e"), is refused;
//   2. refuses an absolute URL ("https://...", "//host/...") and adds a
//      missing leading '/';
//   3. strips one leading "/open_api", then the version: "/v1.3", or
//      "/v1.2" (Ibexa's example; TikTok's reference serves v1.3 only and
//      v1.2's endpoints kept their names there, so it is sent to v1.3).
//      Any other version segment ("/v1.1", "/v2") is refused, naming it;
//   4. adds TikTok's trailing '/' when missing ("/ad/get" -> "/ad/get/");
//   5. refuses control bytes, '\', '?', '#', empty segments ("//"), "." and
//      ".." segments, and any byte outside [A-Za-z0-9_-] in a segment
//      (TikTok's paths use no others), so the path sent is always under
//      open_api/v1.3/.
// Every refusal is INVALID_ARGUMENT with a field violation on `path`; an
// empty path is INVALID_ARGUMENT "required". The result looks like
// "/ad/get/".
absl::StatusOr<std::string> CanonicalRawCallPath(absl::string_view path);

// OK when the canonical `path` starts with one of `allowlist`'s prefixes on
// a segment boundary ("/report/" reaches "/report/integrated/get/"; "/ad/get"
// does not reach "/ad/getx/"). Otherwise PERMISSION_DENIED with ErrorInfo
// RAW_CALL_NOT_ALLOWED and a field violation, both naming `path`.
absl::Status CheckRawCallAllowed(const std::string& path,
                                 const std::vector<std::string>& allowlist);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_RAW_CALL_PATH_H_
