#include "tools/tiktok_sim/api.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ttads::tiktok_sim {

std::optional<std::string> ParamString(const Json& params,
                                       const std::string& key) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return it->dump();
}

std::optional<long long> ParamInt(const Json& params, const std::string& key,
                                  std::string* error) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<long long>();
  long long v = 0;
  if (it->is_string() && absl::SimpleAtoi(it->get<std::string>(), &v)) {
    return v;
  }
  *error = absl::StrCat(key, ": must be an integer");
  return std::nullopt;
}

std::optional<Json> ParamJson(const Json& params, const std::string& key,
                              std::string* error) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return *it;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.empty()) return std::nullopt;
  Json parsed = Json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    *error = absl::StrCat(key, ": must be valid JSON");
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::vector<std::string>> ParamStringList(const Json& params,
                                                        const std::string& key,
                                                        std::string* error) {
  auto j = ParamJson(params, key, error);
  if (!j) return std::nullopt;
  if (!j->is_array()) {
    *error = absl::StrCat(key, ": must be a JSON array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& v : *j) {
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    } else if (v.is_number_integer()) {
      out.push_back(std::to_string(v.get<long long>()));
    } else {
      *error = absl::StrCat(key, ": items must be strings");
      return std::nullopt;
    }
  }
  return out;
}

std::optional<ApiResult> ReadPaging(const Json& params, long long default_size,
                                    long long max_size, Paging* out) {
  std::string error;
  auto page = ParamInt(params, "page", &error);
  auto size = ParamInt(params, "page_size", &error);
  if (!error.empty()) return Err(kParamError, error);
  out->page = page.value_or(1);
  out->page_size = size.value_or(default_size);
  if (out->page < 1) return Err(kParamError, "page: must be >= 1");
  if (out->page_size < 1 || out->page_size > max_size) {
    return Err(kParamError,
               absl::StrCat("page_size: must be between 1 and ", max_size));
  }
  return std::nullopt;
}

Json Paginate(const std::vector<Json>& items, const Paging& paging,
              Json* page_info) {
  long long total = static_cast<long long>(items.size());
  long long total_page = (total + paging.page_size - 1) / paging.page_size;
  (*page_info) = {{"page", paging.page},
                  {"page_size", paging.page_size},
                  {"total_number", total},
                  {"total_page", total_page}};
  Json out = Json::array();
  long long start = (paging.page - 1) * paging.page_size;
  for (long long i = start; i < total && i < start + paging.page_size; ++i) {
    out.push_back(items[static_cast<size_t>(i)]);
  }
  return out;
}

namespace {

// Decodes UTF-8 into code points (invalid bytes count as one each).
std::vector<unsigned> CodePoints(const std::string& s) {
  std::vector<unsigned> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80         ? 1
              : (c >> 5) == 6  ? 2
              : (c >> 4) == 14 ? 3
              : (c >> 3) == 30 ? 4
                               : 1;
    if (i + len > s.size()) len = 1;
    unsigned cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

}  // namespace

size_t CodePointCount(const std::string& utf8) {
  return CodePoints(utf8).size();
}

size_t TikTokTextLength(const std::string& utf8) {
  size_t n = 0;
  for (unsigned cp : CodePoints(utf8)) {
    bool wide = (cp >= 0x1100 && cp <= 0x11FF) ||  // Hangul Jamo
                (cp >= 0x2E80 && cp <= 0x9FFF) ||  // CJK, kana
                (cp >= 0xAC00 && cp <= 0xD7AF) ||  // Hangul syllables
                (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK compatibility
                (cp >= 0xFF00 && cp <= 0xFFEF);    // Full-width forms
    n += wide ? 2 : 1;
  }
  return n;
}

}  // namespace ttads::tiktok_sim
