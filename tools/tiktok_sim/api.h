#ifndef TTADS_TOOLS_TIKTOK_SIM_API_H_
#define TTADS_TOOLS_TIKTOK_SIM_API_H_

// What a simulated Marketing API endpoint sees and returns, plus the helpers
// every handler uses to read parameters the way TikTok accepts them: GET
// query values are strings (arrays/objects JSON-encoded), POST bodies are
// JSON or multipart form fields. The helpers accept both shapes.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/multipart.h"

namespace ttads::tiktok_sim {

using Json = nlohmann::json;

// TikTok response codes used by the simulator (see docs/simulator.md).
enum Code : int {
  kOk = 0,
  kInvalidParams = 40000,
  kNoPermission = 40001,
  kParamError = 40002,
  kNotFound = 40007,
  kTooManyIds = 40011,
  kRateLimited = 40100,
  kBadApp = 40101,
  kTokenEmpty = 40104,
  kTokenInvalid = 40105,
  kBadAuthCode = 40110,
  kAdvertiserQps = 40133,
  kSignatureMismatch = 40900,
  kFileMissing = 40905,
  kFileEmpty = 40906,
  kFileTooLarge = 40907,
  kFileWrongType = 40908,
  kBadCalculateType = 40909,
  kDuplicateName = 40911,
  kSystemError = 50000,
};

struct ApiRequest {
  std::string method;
  std::string path;  // Relative to /open_api/v1.3, e.g. "/ad/get/".
  Json params = Json::object();
  std::map<std::string, MultipartPart> files;  // Multipart file parts by name.
  std::string access_token;                    // Validated token, if any.
  std::string app_id;                          // App of the token.
  std::vector<std::string> token_advertisers;  // Advertisers it reaches.
};

struct ApiResult {
  int code = kOk;
  std::string message = "OK";
  Json data = Json::object();
};

inline ApiResult Ok(Json data) { return {kOk, "OK", std::move(data)}; }
inline ApiResult Err(int code, std::string message) {
  return {code, std::move(message), Json::object()};
}

// Parameter readers. Each returns nullopt when the key is absent or null.
std::optional<std::string> ParamString(const Json& params,
                                       const std::string& key);
// Accepts a JSON number or a numeric string; nullopt if absent, error
// message in *error if present but not an integer.
std::optional<long long> ParamInt(const Json& params, const std::string& key,
                                  std::string* error);
// Accepts a JSON array/object or a string holding JSON. Sets *error when the
// value is present but does not parse as JSON.
std::optional<Json> ParamJson(const Json& params, const std::string& key,
                              std::string* error);
// A JSON array of strings (numbers are stringified). Sets *error otherwise.
std::optional<std::vector<std::string>> ParamStringList(const Json& params,
                                                        const std::string& key,
                                                        std::string* error);

// Page/page_size validation and slicing. Returns an error result on a bad
// page/page_size; otherwise fills *page_items and *page_info.
struct Paging {
  long long page = 1;
  long long page_size = 10;
};
std::optional<ApiResult> ReadPaging(const Json& params, long long default_size,
                                    long long max_size, Paging* out);
// Returns the slice of `items` for `paging` and sets `page_info`.
Json Paginate(const std::vector<Json>& items, const Paging& paging,
              Json* page_info);

// Length in characters as TikTok counts them for ad text: code points, with
// CJK ideographs/kana/hangul counting double.
size_t TikTokTextLength(const std::string& utf8);
size_t CodePointCount(const std::string& utf8);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_API_H_
