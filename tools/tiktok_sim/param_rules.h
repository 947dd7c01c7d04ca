#ifndef TTADS_TOOLS_TIKTOK_SIM_PARAM_RULES_H_
#define TTADS_TOOLS_TIKTOK_SIM_PARAM_RULES_H_

// Parameter rules the strict handlers apply before anything else, each
// answering the way TikTok does for a malformed request: code 40002 with a
// message that starts with the parameter's name. The rules of each endpoint
// come from its API reference page (docs/tiktok-contract/identity.md).

#include <initializer_list>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tools/tiktok_sim/api.h"

namespace ttads::tiktok_sim {

// 40002 for the first parameter not listed on the endpoint's reference page
// (the stricter reading: TikTok's pages do not promise to ignore them).
inline std::optional<ApiResult> OnlyParams(
    const ApiRequest& req, std::initializer_list<absl::string_view> known) {
  for (const auto& [key, value] : req.params.items()) {
    bool listed = false;
    for (absl::string_view k : known) listed = listed || key == k;
    if (!listed) {
      return Err(kParamError,
                 absl::StrCat(key, ": unknown parameter for ", req.path));
    }
  }
  return std::nullopt;
}

// 40002 when `key` is absent or empty; otherwise its value in *out.
inline std::optional<ApiResult> RequireParam(const ApiRequest& req,
                                             const std::string& key,
                                             std::string* out) {
  *out = ParamString(req.params, key).value_or("");
  if (out->empty()) return Err(kParamError, absl::StrCat(key, ": required"));
  return std::nullopt;
}

// 40002 when a present `value` of `key` is not one of `allowed`.
inline std::optional<ApiResult> EnumParam(
    const std::string& key, const std::string& value,
    std::initializer_list<absl::string_view> allowed) {
  if (value.empty()) return std::nullopt;
  for (absl::string_view a : allowed) {
    if (value == a) return std::nullopt;
  }
  return Err(kParamError,
             absl::StrCat(key, ": unknown value ", value, " (one of ",
                          absl::StrJoin(allowed, ", "), ")"));
}

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_PARAM_RULES_H_
