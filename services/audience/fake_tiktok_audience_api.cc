#include "services/audience/fake_tiktok_audience_api.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/status.h"

namespace ttads::audience {

absl::StatusOr<std::string> FakeTikTokAudienceApi::UploadFile(
    const std::string&, const std::string& advertiser_id,
    absl::string_view calculate_type, const std::string& local_path) {
  std::ifstream in(local_path, std::ios::binary);
  if (!in) return absl::NotFoundError("no file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::lock_guard<std::mutex> lock(mu);
  const std::string path = absl::StrCat("fake/", advertiser_id, "/", ++uploads);
  files[path] = {std::string(calculate_type), ss.str()};
  return path;
}

std::vector<std::string> FakeTikTokAudienceApi::Digests(
    const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    bool header = true;
    for (absl::string_view line :
         absl::StrSplit(files[p].content, '\n', absl::SkipEmpty())) {
      if (header) {
        header = false;
        continue;
      }
      out.emplace_back(line);
    }
  }
  return out;
}

absl::StatusOr<std::string> FakeTikTokAudienceApi::Create(
    const std::string&, const std::string&, const std::string& name,
    absl::string_view calculate_type,
    const std::vector<std::string>& file_paths) {
  std::lock_guard<std::mutex> lock(mu);
  const std::string id = absl::StrCat("7000", next_id++);
  Audience& a = audiences[id];
  a.name = name;
  a.calculate_type = std::string(calculate_type);
  for (const auto& d : Digests(file_paths)) {
    a.members.insert(d);
    ++a.applied[d];
  }
  if (lose_create_answers > 0) {
    --lose_create_answers;
    return absl::UnavailableError("create applied, answer lost");
  }
  return id;
}

absl::Status FakeTikTokAudienceApi::Update(
    const std::string&, const std::string&, const std::string& audience_id,
    absl::string_view action, const std::vector<std::string>& file_paths) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = audiences.find(audience_id);
  if (it == audiences.end() || it->second.deleted) {
    return absl::NotFoundError("no audience");
  }
  Audience& a = it->second;
  const auto digests = Digests(file_paths);
  // TikTok: APPEND, REMOVE and REPLACE fail when fewer than 1,000 members
  // would remain after the operation.
  std::set<std::string> after;
  if (action == "REMOVE") {
    std::set<std::string> gone(digests.begin(), digests.end());
    for (const auto& m : a.members) {
      if (!gone.count(m)) after.insert(m);
    }
  } else {
    after = a.members;
    after.insert(digests.begin(), digests.end());
  }
  if (after.size() < 1000) {
    return status::WithErrorInfo(
        absl::FailedPreconditionError("would leave fewer than 1000 members"),
        "AUDIENCE_BELOW_MINIMUM");
  }
  a.members = std::move(after);
  for (const auto& d : digests) ++a.applied[d];
  return absl::OkStatus();
}

absl::StatusOr<TikTokAudience> FakeTikTokAudienceApi::Get(
    const std::string&, const std::string&, const std::string& audience_id) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = audiences.find(audience_id);
  if (it == audiences.end()) return absl::NotFoundError("no audience");
  TikTokAudience t;
  t.id = audience_id;
  t.name = it->second.name;
  t.size = static_cast<int64_t>(it->second.members.size());
  t.is_valid = t.size >= 1000;
  return t;
}

absl::StatusOr<std::vector<TikTokAudience>> FakeTikTokAudienceApi::List(
    const std::string&, const std::string&) {
  std::lock_guard<std::mutex> lock(mu);
  std::vector<TikTokAudience> out;
  for (const auto& [id, a] : audiences) {
    if (!a.deleted) out.push_back({id, a.name, a.calculate_type, 0, false});
  }
  return out;
}

absl::Status FakeTikTokAudienceApi::Delete(const std::string&,
                                           const std::string&,
                                           const std::string& audience_id) {
  std::lock_guard<std::mutex> lock(mu);
  audiences[audience_id].deleted = true;
  return absl::OkStatus();
}

}  // namespace ttads::audience
