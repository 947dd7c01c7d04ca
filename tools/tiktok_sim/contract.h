#ifndef TTADS_TOOLS_TIKTOK_SIM_CONTRACT_H_
#define TTADS_TOOLS_TIKTOK_SIM_CONTRACT_H_

// TikTok's request contract as data, and the generic checker the simulator
// runs on every request before the endpoint's handler.
//
// The contract lives in tools/tiktok_sim/contract/*.json (embedded in the
// binary at build time; format in docs/simulator.md "Contract files"). Each
// file holds {"endpoints": [...]}; each endpoint names its method, the
// encodings TikTok accepts for it, required headers, and a field tree:
//
//   {"path": "/ad/create/", "method": "POST", "encoding": ["json"],
//    "headers": ["Access-Token"], "unknown_fields": "refuse",
//    "source": "<reference page>",
//    "fields": {"creatives": {"type": "array", "required": true,
//                             "max_items": 20, "items": {...}}},
//    "rules": [{"if": {...}, "require": [...], "source": "..."}]}
//
// Field specs: type (string, integer, number, boolean, array, object, file,
// any), required, enum, min_len/max_len (characters; "length": "tiktok"
// counts CJK double), min_items/max_items, items (element spec), fields and
// unknown_fields (object members), rules, max_total_len ({"field", "max"}:
// the summed length of one member over an array of objects), code (the code
// TikTok answers for a bad value of this field, instead of 40002).
//
// Rules apply to the object they sit on. "if" maps a key to a list of
// values (matches when the value is one of them), to {"present": bool},
// {"contains": v} (an array holding v), {"not_in": [...]}, or to a scalar
// (equality); a key starting with "$." is read from the request's top level
// and "$encoding" is the request's encoding ("query", "json", "multipart").
// Effects: "require" (every key present), "require_one_of" (lists of
// alternatives, at least one present), "forbid" (none present), "only" (no
// key outside the list), "max_items" ({key: n}), "refuse" (a field name:
// the request is refused), "date_range" ({from, to, max_days}: YYYY-MM-DD
// dates, inclusive). A rule's "code" replaces 40002 as the answer's code.
// A missing required header is 40002, except Access-Token: 40104 (TikTok's
// answer for an empty token).
//
// Query (GET) and multipart values arrive as strings: a string is accepted
// for integer/number/boolean when it parses as one, and for array/object
// when it holds JSON of that shape. JSON bodies must carry the JSON type
// itself (TikTok's reference types them; "123" is not a number).
//
// Thread-safe after construction (read-only).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_sim {

// How a request carried its parameters.
enum class Encoding { kNone, kQuery, kJson, kMultipart, kOther };
const char* EncodingName(Encoding e);

struct ContractRequest {
  std::string method;
  std::string path;  // Relative to /open_api/v1.3, e.g. "/ad/create/".
  Encoding encoding = Encoding::kNone;
  nlohmann::json query = nlohmann::json::object();  // URL query values.
  nlohmann::json body = nlohmann::json::object();   // JSON or form fields.
  std::vector<std::string> file_parts;              // Multipart file names.
  std::vector<std::string> headers;                 // Header names present.
};

struct ContractViolation {
  int code = 40002;
  std::string field;    // "creatives[0].video_id"; "" for method/encoding.
  std::string message;  // Names the field and the rule; cites the source.
};

class Contract {
 public:
  // Parses contract files ({"endpoints": [...]}); INVALID_ARGUMENT naming
  // the file for a malformed one. Later files may not redefine an endpoint.
  static absl::StatusOr<Contract> FromFiles(
      const std::vector<std::pair<std::string, std::string>>& name_and_text);
  // The files embedded from tools/tiktok_sim/contract/ at build time.
  static const Contract& Embedded();

  // True when the contract covers `path` (any method).
  bool Covers(const std::string& path) const;
  // The method the contract names for `path`, if covered.
  std::optional<std::string> MethodOf(const std::string& path) const;
  // The first way `req` breaks the contract; nullopt when it conforms or the
  // endpoint is not covered.
  std::optional<ContractViolation> Check(const ContractRequest& req) const;
  // Every covered path, sorted.
  std::vector<std::string> Paths() const;

 private:
  std::map<std::string, nlohmann::json> endpoints_;  // By path.
};

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_CONTRACT_H_
