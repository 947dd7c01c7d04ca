#include "libs/tiktok/query.h"

namespace ttads::tiktok {

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

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
    out += PercentEncode(key);
    out.push_back('=');
    out += PercentEncode(text);
  }
  return out;
}

}  // namespace ttads::tiktok
