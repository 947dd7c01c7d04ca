// Customer-file custom audiences ("DMP"): file upload, create, update
// (APPEND / REMOVE / REPLACE), list, get, delete, held to TikTok's contract
// as written down in docs/tiktok-contract/audience.md (each rule below names
// the page it comes from). Every digest received is kept countable
// (AudienceFile::digests, Audience::digests_received).
//
// Unknown and missing fields, conditional fields, enum values and list
// lengths are contract data (contract/audience.json), checked before these
// handlers run and counted as violations. What needs the state or the file's
// content stays here: the file name, signature and rows, a file's
// calculate_type against the audience's, the 400-audience cap and the
// 1,000-member floor, each answered with TikTok's code and a message naming
// the field.

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/tiktok_sim/handlers.h"
#include "tools/tiktok_sim/media.h"

namespace ttads::tiktok_sim {
namespace {

// Unhashed personal data in a file declared hashed. (TikTok's return-code
// appendix is not among the mirrored pages; the number is the one the
// client's error table already lists as INVALID_ARGUMENT.)
constexpr int kUnhashedPii = 40062;

// "Update an audience": APPEND, REMOVE and REPLACE fail when the audience
// has fewer than 1,000 members afterwards.
constexpr size_t kMinMembersAfterUpdate = 1000;
constexpr size_t kMaxAudiencesPerAdvertiser = 400;

// The value a calculate_type stands for (MAID_x is FIRST_x): a file and the
// audience it goes to must agree on it.
std::string Canonical(const std::string& type) {
  if (type == "MAID_SHA256") return "FIRST_SHA256";
  if (type == "MAID_MD5") return "FIRST_MD5";
  return type;
}

// A JSON-body list of strings (its shape is the contract's); empty when
// absent.
std::vector<std::string> StringList(const Json& params,
                                    const std::string& key) {
  std::vector<std::string> out;
  if (!params.contains(key) || !params[key].is_array()) return out;
  for (const Json& item : params[key]) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

bool IsHex(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// What a non-digest cell most likely is, when it is personal data.
std::optional<std::string> PiiKind(absl::string_view cell) {
  if (cell.find('@') != absl::string_view::npos) return "an email address";
  int digits = 0;
  bool phone_chars = true;
  for (char c : cell) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!(c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' ||
                 c == '.')) {
      phone_chars = false;
    }
  }
  // E.164 numbers have at most 15 digits (longer all-digit cells are
  // digests of the wrong length, not phone numbers).
  if (phone_chars && digits >= 7 && digits <= 15) return "a phone number";
  if (cell.size() == 36 && cell[8] == '-' && cell[13] == '-' &&
      cell[18] == '-' && cell[23] == '-') {
    return "a raw mobile advertising id";
  }
  return std::nullopt;
}

ApiResult FileUpload(SimState& s, const ApiRequest& req) {
  // "Upload an audience file": multipart/form-data with advertiser_id, file,
  // file_signature and calculate_type (the contract checks them, and the
  // optional name and file_name; TikTok's own SDK sends file_name).
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type = ParamString(req.params, "calculate_type").value_or("");
  if (!req.files.count("file")) return Err(kFileMissing, "file: required");
  const MultipartPart& part = req.files.at("file");
  // "Only supports CSV and TXT files. The file suffixes should exactly be
  // .csv or .txt."
  if (!absl::EndsWith(part.filename, ".csv") &&
      !absl::EndsWith(part.filename, ".txt")) {
    return Err(kFileWrongType, absl::StrCat("file: \"", part.filename,
                                            "\" must end in .csv or .txt"));
  }
  const std::string& data = part.data;
  if (data.empty()) return Err(kFileEmpty, "file: empty");
  std::string sig = ParamString(req.params, "file_signature").value_or("");
  if (!absl::EqualsIgnoreCase(sig, Md5Hex(data))) {
    return Err(kSignatureMismatch, "file_signature: does not match the file");
  }
  AudienceFile file;
  file.advertiser_id = adv;
  file.calculate_type = type;
  size_t expected_len = absl::EndsWith(type, "MD5") ? 32 : 64;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line_no == 1) {
      // TikTok's customer-file guide: a header row names the ID type.
      if (IsHex(line) && (line.size() == 32 || line.size() == 64)) {
        return Err(kParamError,
                   "file: the first row must be a header naming the ID "
                   "type (e.g. Email_SHA256), not a digest");
      }
      continue;
    }
    if (line.empty()) continue;
    for (absl::string_view cell : absl::StrSplit(line, ',')) {
      cell = absl::StripAsciiWhitespace(cell);
      if (cell.empty()) continue;
      bool ok = IsHex(cell) && (type == "MULTIPLE_TYPES"
                                    ? (cell.size() == 32 || cell.size() == 64)
                                    : cell.size() == expected_len);
      if (!ok) {
        // calculate_type "must be consistent with the actual file data.
        // Otherwise, your upload will fail".
        if (auto kind = PiiKind(cell)) {
          return Err(kUnhashedPii,
                     absl::StrCat("file: line ", line_no,
                                  " holds unhashed "
                                  "personal data (",
                                  *kind, "); calculate_type ", type,
                                  " takes hex digests only"));
        }
        return Err(kParamError,
                   absl::StrCat("file: line ", line_no,
                                " is not a hex digest for ", type));
      }
      file.digests.push_back(absl::AsciiStrToLower(cell));
    }
  }
  if (file.digests.empty()) return Err(kFileEmpty, "file: no identifiers");
  std::string path = absl::StrCat("sim-dmp/", adv, "/", s.NewId(), ".csv");
  s.audience_files[path] = std::move(file);
  return Ok({{"file_path", path}});
}

// Resolves `paths` of `adv` into files whose calculate_type matches
// `calculate_type` ("calculate_type should be the same as all the files";
// update: "The files must be encrypted with the same encryption
// method/type").
std::optional<ApiResult> CollectFiles(const SimState& s, const std::string& adv,
                                      const std::vector<std::string>& paths,
                                      const std::string& calculate_type,
                                      std::vector<const AudienceFile*>* out) {
  for (const auto& p : paths) {
    auto it = s.audience_files.find(p);
    if (it == s.audience_files.end() || it->second.advertiser_id != adv) {
      return Err(kParamError,
                 absl::StrCat("file_paths: unknown file path ", p));
    }
    if (Canonical(it->second.calculate_type) != Canonical(calculate_type)) {
      return Err(
          kParamError,
          absl::StrCat("file_paths: ", p, " was uploaded as ",
                       it->second.calculate_type,
                       "; the audience's calculate_type is ", calculate_type));
    }
    out->push_back(&it->second);
  }
  return std::nullopt;
}

Audience* FindAudience(SimState& s, const std::string& adv,
                       const std::string& id) {
  auto it = s.audiences.find(id);
  if (it == s.audiences.end() || it->second.advertiser_id != adv ||
      it->second.deleted) {
    return nullptr;
  }
  return &it->second;
}

// The fields both /get/ (audience_details) and /list/ return, named as
// their pages name them: `audience_id`, not custom_audience_id.
Json AudienceJson(const Audience& a) {
  Json j = {{"audience_id", a.info.value("audience_id", "")},
            {"name", a.info.value("name", "")},
            {"calculate_type", a.info.value("calculate_type", "")},
            {"create_time", a.info.value("create_time", "")},
            {"audience_sub_type", a.info.value("audience_sub_type", "NORMAL")},
            {"cover_num", a.members.size()},
            {"is_valid", a.members.size() >= kMinMembersAfterUpdate},
            {"is_expiring", false},
            {"shared", false},
            {"is_creator", true}};
  return j;
}

ApiResult AudienceCreate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string name =
      ParamString(req.params, "custom_audience_name").value_or("");
  std::string type = ParamString(req.params, "calculate_type").value_or("");
  std::vector<std::string> paths = StringList(req.params, "file_paths");
  size_t live = 0;
  for (const auto& [id, a] : s.audiences) {
    live += a.advertiser_id == adv && !a.deleted;
  }
  if (live >= kMaxAudiencesPerAdvertiser) {
    return Err(kParamError, "at most 400 custom audiences per advertiser");
  }
  std::vector<const AudienceFile*> files;
  if (auto e = CollectFiles(s, adv, paths, type, &files)) return *e;
  std::string id = s.NewId();
  Audience a;
  a.advertiser_id = adv;
  std::string now = NowString();
  a.info = {{"audience_id", id},      {"name", name},
            {"calculate_type", type}, {"create_time", now},
            {"update_time", now},     {"file_paths", paths}};
  std::string error;
  if (auto days = ParamInt(req.params, "retention_in_days", &error)) {
    a.info["retention_in_days"] = *days;
  }
  if (auto sub = ParamString(req.params, "audience_sub_type")) {
    a.info["audience_sub_type"] = *sub;
  }
  for (const auto* f : files) {
    a.members.insert(f->digests.begin(), f->digests.end());
    a.digests_received += f->digests.size();
  }
  s.audiences[id] = std::move(a);
  return Ok({{"custom_audience_id", id}});
}

ApiResult AudienceUpdate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string id = ParamString(req.params, "custom_audience_id").value_or("");
  Audience* a = FindAudience(s, adv, id);
  if (a == nullptr) {
    return Err(kNotFound, "custom_audience_id: custom audience does not exist");
  }
  // The contract requires custom_audience_name or file_paths ("You must
  // pass in either this field or file_paths") and checks both.
  auto new_name = ParamString(req.params, "custom_audience_name");
  const bool has_files = req.params.contains("file_paths");
  // "Default value: REPLACE"; only read when file_paths is passed.
  std::string action = ParamString(req.params, "action").value_or("REPLACE");
  std::vector<const AudienceFile*> files;
  if (has_files) {
    if (auto e = CollectFiles(s, adv, StringList(req.params, "file_paths"),
                              a->info.value("calculate_type", ""), &files)) {
      return *e;
    }
    std::set<std::string> incoming;
    uint64_t received = 0;
    for (const auto* f : files) {
      incoming.insert(f->digests.begin(), f->digests.end());
      received += f->digests.size();
    }
    std::set<std::string> after;
    if (action == "REMOVE") {
      for (const auto& m : a->members) {
        if (!incoming.count(m)) after.insert(m);
      }
    } else if (action == "APPEND") {
      after = a->members;
      after.insert(incoming.begin(), incoming.end());
    } else {
      after = incoming;
    }
    // "The APPEND, REMOVE and REPLACE operations will fail if the audience
    // size is less than 1,000 after the operation."
    if (after.size() < kMinMembersAfterUpdate) {
      return Err(
          kParamError,
          absl::StrCat("file_paths: ", action, " would leave ", after.size(),
                       " members; a custom audience must have at "
                       "least 1000 members after an update"));
    }
    a->members = std::move(after);
    a->digests_received += received;
  }
  if (new_name) a->info["name"] = *new_name;
  a->info["update_time"] = NowString();
  return Ok(Json::object());
}

// custom_audience_ids of a GET (JSON-encoded in the query; 1-100 when given,
// checked by the contract); empty when absent.
std::vector<std::string> ReadIds(const ApiRequest& req) {
  std::string error;
  return ParamStringList(req.params, "custom_audience_ids", &error)
      .value_or(std::vector<std::string>{});
}

ApiResult AudienceList(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 100, &paging)) return *e;
  std::vector<std::string> ids = ReadIds(req);
  std::vector<Json> items;
  for (const auto& [id, a] : s.audiences) {
    if (a.advertiser_id != adv || a.deleted) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
      continue;
    }
    Json j = AudienceJson(a);
    j["audience_type"] = "Customer File Audience";
    items.push_back(std::move(j));
  }
  return Ok(ListData("list", items, paging));
}

ApiResult AudienceGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::vector<std::string> ids = ReadIds(req);
  Json list = Json::array();
  for (const auto& id : ids) {
    Audience* a = FindAudience(s, adv, id);
    if (a == nullptr) {
      return Err(kNotFound, absl::StrCat("custom_audience_ids: audience ", id,
                                         " does not exist"));
    }
    Json details = AudienceJson(*a);
    details["type"] = "Customer File Audience";
    list.push_back(
        {{"audience_details", details}, {"audience_history", Json::array()}});
  }
  return Ok({{"list", list}});
}

ApiResult AudienceDelete(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::vector<std::string> ids = StringList(req.params, "custom_audience_ids");
  for (const auto& id : ids) {
    if (FindAudience(s, adv, id) == nullptr) {
      return Err(kNotFound, absl::StrCat("custom_audience_ids: audience ", id,
                                         " does not exist"));
    }
  }
  for (const auto& id : ids) s.audiences[id].deleted = true;
  return Ok(Json::object());
}

}  // namespace

void AddDmpRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST", "/dmp/custom_audience/file/upload/", true, false, FileUpload});
  routes.push_back(
      {"POST", "/dmp/custom_audience/create/", true, false, AudienceCreate});
  routes.push_back(
      {"POST", "/dmp/custom_audience/update/", true, false, AudienceUpdate});
  routes.push_back(
      {"GET", "/dmp/custom_audience/list/", true, false, AudienceList});
  routes.push_back(
      {"GET", "/dmp/custom_audience/get/", true, false, AudienceGet});
  routes.push_back(
      {"POST", "/dmp/custom_audience/delete/", true, false, AudienceDelete});
}

}  // namespace ttads::tiktok_sim
