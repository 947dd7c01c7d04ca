#ifndef TTADS_LIBS_TIKTOK_QUERY_H_
#define TTADS_LIBS_TIKTOK_QUERY_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace ttads::tiktok {

// Encodes GET parameters the way TikTok expects them: `params` is a JSON
// object; string values go as they are, numbers and booleans as their JSON
// text, arrays and objects (`filtering`, `fields`, `*_ids`) as compact JSON
// strings, null values are left out. Keys come out sorted, values
// percent-encoded (http::PercentEncode), joined with '&' (no leading '?'). A
// non-object `params` encodes to "".
std::string EncodeQuery(const nlohmann::json& params);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_QUERY_H_
