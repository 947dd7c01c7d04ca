#include "libs/tiktok/query.h"

#include "libs/http/query.h"

namespace ttads::tiktok {

std::string EncodeQuery(const nlohmann::json& params) {
  std::string out;
  if (!params.is_object()) return out;
  for (const auto& [key, value] : params.items()) {
    if (value.is_null()) continue;
    std::string text =
        value.is_string()
            ? value.get<std::string>()
            : value.dump(-1, ' ', false,
                         nlohmann::json::error_handler_t::replace);
    if (!out.empty()) out.push_back('&');
    out += http::PercentEncode(key);
    out.push_back('=');
    out += http::PercentEncode(text);
  }
  return out;
}

}  // namespace ttads::tiktok
