#include "services/audience/tiktok_audience_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/error_class.h"
#include "nlohmann/json.hpp"

namespace ttads::audience {
namespace {

using nlohmann::json;

TikTokAudience FromJson(const json& j) {
  TikTokAudience a;
  const json& d = j.contains("audience_details") ? j["audience_details"] : j;
  a.id = d.value("custom_audience_id", d.value("audience_id", ""));
  a.name = d.value("name", "");
  a.calculate_type = d.value("calculate_type", "");
  if (d.contains("cover_num") && d["cover_num"].is_number()) {
    a.size = d["cover_num"].get<int64_t>();
  }
  a.is_valid = d.value("is_valid", false);
  return a;
}

class ClientAudienceApi : public TikTokAudienceApi {
 public:
  ClientAudienceApi(tiktok::Client* client, absl::Duration timeout)
      : client_(client), timeout_(timeout) {}

  absl::StatusOr<std::string> UploadFile(
      const std::string& token, const std::string& advertiser_id,
      absl::string_view calculate_type,
      const std::string& local_path) override {
    tiktok::MultipartForm form;
    form.AddText("advertiser_id", advertiser_id);
    form.AddText("calculate_type", std::string(calculate_type));
    TTADS_RETURN_IF_ERROR(
        form.AddFileFromPath("file", local_path, "file_signature", "text/csv"));
    tiktok::HttpCall call = tiktok::HttpCall::Upload(
        "dmp/custom_audience/file/upload/", std::move(form), token);
    call.advertiser_id = advertiser_id;
    // A second upload of the same file only yields another file_path.
    call.idempotent = true;
    TTADS_ASSIGN_OR_RETURN(
        auto env, client_->Call(std::move(call), absl::Now() + timeout_));
    std::string path = env.data.value("file_path", "");
    if (path.empty()) {
      return absl::InternalError("TikTok file upload returned no file_path");
    }
    return path;
  }

  absl::StatusOr<std::string> Create(
      const std::string& token, const std::string& advertiser_id,
      const std::string& name, absl::string_view calculate_type,
      const std::vector<std::string>& file_paths) override {
    json body = {{"advertiser_id", advertiser_id},
                 {"custom_audience_name", name},
                 {"calculate_type", std::string(calculate_type)},
                 {"file_paths", file_paths}};
    tiktok::HttpCall call = tiktok::HttpCall::Post(
        "dmp/custom_audience/create/", std::move(body), token);
    call.advertiser_id = advertiser_id;
    TTADS_ASSIGN_OR_RETURN(
        auto env, client_->Call(std::move(call), absl::Now() + timeout_));
    std::string id = env.data.value("custom_audience_id", "");
    if (id.empty()) {
      return absl::InternalError(
          "TikTok create returned no custom_audience_id");
    }
    return id;
  }

  absl::Status Update(const std::string& token,
                      const std::string& advertiser_id,
                      const std::string& audience_id, absl::string_view action,
                      const std::vector<std::string>& file_paths) override {
    json body = {{"advertiser_id", advertiser_id},
                 {"custom_audience_id", audience_id},
                 {"action", std::string(action)},
                 {"file_paths", file_paths}};
    tiktok::HttpCall call = tiktok::HttpCall::Post(
        "dmp/custom_audience/update/", std::move(body), token);
    call.advertiser_id = advertiser_id;
    auto env = client_->Call(std::move(call), absl::Now() + timeout_);
    if (env.ok()) return absl::OkStatus();
    auto info = tiktok::GetTikTokErrorInfo(env.status());
    // TikTok ("Update an audience"): APPEND, REMOVE and REPLACE all fail
    // when the audience would have fewer than 1,000 members afterwards.
    if (info && info->code == 40002 &&
        (absl::StrContains(info->message, "1000") ||
         absl::StrContains(info->message, "1,000"))) {
      return status::WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              "TikTok refused the ", action,
              ": a custom audience must have at least 1,000 members after "
              "an update (",
              info->message, ")")),
          "AUDIENCE_BELOW_MINIMUM", {{"tiktok_request_id", info->request_id}});
    }
    return env.status();
  }

  absl::StatusOr<TikTokAudience> Get(const std::string& token,
                                     const std::string& advertiser_id,
                                     const std::string& audience_id) override {
    tiktok::HttpCall call = tiktok::HttpCall::Get(
        "dmp/custom_audience/get/",
        {{"advertiser_id", advertiser_id},
         {"custom_audience_ids", json::array({audience_id})}},
        token);
    call.advertiser_id = advertiser_id;
    TTADS_ASSIGN_OR_RETURN(
        auto env, client_->Call(std::move(call), absl::Now() + timeout_));
    const json& list = env.data.contains("list") ? env.data["list"] : json();
    if (!list.is_array() || list.empty()) {
      return absl::NotFoundError("TikTok returned no such audience");
    }
    return FromJson(list[0]);
  }

  absl::StatusOr<std::vector<TikTokAudience>> List(
      const std::string& token, const std::string& advertiser_id) override {
    std::vector<TikTokAudience> out;
    for (int page = 1; page <= 100; ++page) {
      tiktok::HttpCall call =
          tiktok::HttpCall::Get("dmp/custom_audience/list/",
                                {{"advertiser_id", advertiser_id},
                                 {"page", page},
                                 {"page_size", 100}},
                                token);
      call.advertiser_id = advertiser_id;
      TTADS_ASSIGN_OR_RETURN(
          auto env, client_->Call(std::move(call), absl::Now() + timeout_));
      const json& list = env.data.contains("list") ? env.data["list"] : json();
      if (!list.is_array()) break;
      for (const json& j : list) out.push_back(FromJson(j));
      int total_page = 1;
      if (env.data.contains("page_info")) {
        total_page = env.data["page_info"].value("total_page", 1);
      }
      if (page >= total_page) break;
    }
    return out;
  }

  absl::Status Delete(const std::string& token,
                      const std::string& advertiser_id,
                      const std::string& audience_id) override {
    tiktok::HttpCall call = tiktok::HttpCall::Post(
        "dmp/custom_audience/delete/",
        {{"advertiser_id", advertiser_id},
         {"custom_audience_ids", json::array({audience_id})}},
        token);
    call.advertiser_id = advertiser_id;
    call.idempotent = true;
    auto env = client_->Call(std::move(call), absl::Now() + timeout_);
    if (!env.ok()) {
      auto info = tiktok::GetTikTokErrorInfo(env.status());
      if (info && info->code == 40007) return absl::OkStatus();
      return env.status();
    }
    return absl::OkStatus();
  }

 private:
  tiktok::Client* client_;
  absl::Duration timeout_;
};

}  // namespace

std::unique_ptr<TikTokAudienceApi> NewClientAudienceApi(
    tiktok::Client* client, absl::Duration timeout) {
  return std::make_unique<ClientAudienceApi>(client, timeout);
}

}  // namespace ttads::audience
