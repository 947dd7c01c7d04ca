// Customer-file custom audiences ("DMP"): file upload, create, update
// (APPEND / REMOVE / REPLACE), list, get, delete. Every digest received is
// kept countable (AudienceFile::digests, Audience::digests_received).

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/tiktok_sim/handlers.h"
#include "tools/tiktok_sim/media.h"

namespace ttads::tiktok_sim {
namespace {

constexpr size_t kMinMembersAfterRemove = 1000;
constexpr size_t kMaxAudiencesPerAdvertiser = 400;

const std::set<std::string> kCalculateTypes = {
    "EMAIL_SHA256", "PHONE_SHA256", "IDFA_SHA256",   "IDFA_MD5",
    "GAID_SHA256",  "GAID_MD5",     "MAID_SHA256",   "MAID_MD5",
    "FIRST_SHA256", "FIRST_MD5",    "MULTIPLE_TYPES"};

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

ApiResult FileUpload(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type = ParamString(req.params, "calculate_type").value_or("");
  if (!kCalculateTypes.count(type)) {
    return Err(
        kBadCalculateType,
        absl::StrCat("calculate_type: unsupported value \"", type, "\""));
  }
  auto it = req.files.find("file");
  if (it == req.files.end()) return Err(kFileMissing, "file: missing");
  const std::string& data = it->second.data;
  if (data.empty()) return Err(kFileEmpty, "file: empty");
  std::string sig = ParamString(req.params, "file_signature").value_or("");
  if (sig.empty()) return Err(kParamError, "file_signature: required");
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
    if (line_no == 1 || line.empty()) continue;  // Header row.
    for (absl::string_view cell : absl::StrSplit(line, ',')) {
      cell = absl::StripAsciiWhitespace(cell);
      if (cell.empty()) continue;
      bool ok =
          IsHex(std::string_view(cell.data(), cell.size())) &&
          (type == "MULTIPLE_TYPES" ? (cell.size() == 32 || cell.size() == 64)
                                    : cell.size() == expected_len);
      if (!ok) {
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

// Resolves file paths of `adv` with `calculate_type` into digests.
std::optional<ApiResult> CollectDigests(const SimState& s,
                                        const std::string& adv,
                                        const Json& params,
                                        std::vector<const AudienceFile*>* out) {
  std::string error;
  auto paths = ParamStringList(params, "file_paths", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!paths || paths->empty()) return Err(kParamError, "file_paths: required");
  for (const auto& p : *paths) {
    auto it = s.audience_files.find(p);
    if (it == s.audience_files.end() || it->second.advertiser_id != adv) {
      return Err(kParamError,
                 absl::StrCat("file_paths: unknown file path ", p));
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

Json AudienceJson(const Audience& a) {
  Json j = a.info;
  j["cover_num"] = a.members.size();
  j["is_valid"] = a.members.size() >= kMinMembersAfterRemove;
  j["is_expired"] = false;
  j["audience_type"] = "Customer File";
  return j;
}

ApiResult AudienceCreate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string name =
      ParamString(req.params, "custom_audience_name").value_or("");
  if (name.empty() || CodePointCount(name) > 128) {
    return Err(kParamError, "custom_audience_name: 1-128 characters");
  }
  std::string type = ParamString(req.params, "calculate_type").value_or("");
  if (!kCalculateTypes.count(type)) {
    return Err(kBadCalculateType, "calculate_type: unsupported value");
  }
  size_t live = 0;
  for (const auto& [id, a] : s.audiences) {
    live += a.advertiser_id == adv && !a.deleted;
  }
  if (live >= kMaxAudiencesPerAdvertiser) {
    return Err(kParamError, "at most 400 custom audiences per advertiser");
  }
  std::vector<const AudienceFile*> files;
  if (auto e = CollectDigests(s, adv, req.params, &files)) return *e;
  std::string id = s.NewId();
  Audience a;
  a.advertiser_id = adv;
  std::string now = NowString();
  a.info = {
      {"custom_audience_id", id}, {"audience_id", id},  {"name", name},
      {"calculate_type", type},   {"create_time", now}, {"update_time", now}};
  std::string error;
  if (auto days = ParamInt(req.params, "retention_in_days", &error)) {
    a.info["retention_in_days"] = *days;
  }
  for (const auto* f : files) {
    a.members.insert(f->digests.begin(), f->digests.end());
    a.digests_received += f->digests.size();
  }
  a.info["file_paths"] = req.params.value("file_paths", Json::array());
  s.audiences[id] = std::move(a);
  return Ok({{"custom_audience_id", id}});
}

ApiResult AudienceUpdate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string id = ParamString(req.params, "custom_audience_id").value_or("");
  Audience* a = FindAudience(s, adv, id);
  if (a == nullptr) return Err(kNotFound, "custom audience does not exist");
  std::string action = ParamString(req.params, "action").value_or("REPLACE");
  if (action != "APPEND" && action != "REMOVE" && action != "REPLACE") {
    return Err(kParamError, "action: must be APPEND, REMOVE or REPLACE");
  }
  std::vector<const AudienceFile*> files;
  if (auto e = CollectDigests(s, adv, req.params, &files)) return *e;
  std::set<std::string> incoming;
  uint64_t received = 0;
  for (const auto* f : files) {
    incoming.insert(f->digests.begin(), f->digests.end());
    received += f->digests.size();
  }
  if (action == "REMOVE") {
    size_t remaining = 0;
    for (const auto& m : a->members) remaining += !incoming.count(m);
    if (remaining < kMinMembersAfterRemove) {
      return Err(kParamError,
                 absl::StrCat("REMOVE would leave ", remaining,
                              " members; a custom audience must keep at "
                              "least 1000 members"));
    }
    for (const auto& m : incoming) a->members.erase(m);
  } else if (action == "APPEND") {
    a->members.insert(incoming.begin(), incoming.end());
  } else {
    a->members = std::move(incoming);
  }
  a->digests_received += received;
  a->info["update_time"] = NowString();
  return Ok({{"custom_audience_id", id}});
}

ApiResult AudienceList(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 100, &paging)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "custom_audience_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  std::vector<Json> items;
  for (const auto& [id, a] : s.audiences) {
    if (a.advertiser_id != adv || a.deleted) continue;
    if (ids && !ids->empty() &&
        std::find(ids->begin(), ids->end(), id) == ids->end()) {
      continue;
    }
    items.push_back(AudienceJson(a));
  }
  return Ok(ListData("list", items, paging));
}

ApiResult AudienceGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "custom_audience_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!ids || ids->empty()) {
    return Err(kParamError, "custom_audience_ids: required");
  }
  if (ids->size() > 100) return Err(kTooManyIds, "custom_audience_ids: ≤100");
  Json list = Json::array();
  for (const auto& id : *ids) {
    Audience* a = FindAudience(s, adv, id);
    if (a == nullptr) {
      return Err(kNotFound,
                 absl::StrCat("custom audience ", id, " does not exist"));
    }
    list.push_back({{"audience_details", AudienceJson(*a)},
                    {"audience_history", Json::array()}});
  }
  return Ok({{"list", list}});
}

ApiResult AudienceDelete(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "custom_audience_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!ids || ids->empty()) {
    return Err(kParamError, "custom_audience_ids: required");
  }
  for (const auto& id : *ids) {
    if (FindAudience(s, adv, id) == nullptr) {
      return Err(kNotFound,
                 absl::StrCat("custom audience ", id, " does not exist"));
    }
  }
  for (const auto& id : *ids) s.audiences[id].deleted = true;
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
