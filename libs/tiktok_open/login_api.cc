#include "libs/tiktok_open/login_api.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/open_http.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_open {

using Json = nlohmann::json;

absl::StatusOr<UserTokens> ParseTokenAnswer(const std::string& body,
                                            absl::Time now) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("access_token") ||
      !j["access_token"].is_string() || !j.contains("expires_in") ||
      !j["expires_in"].is_number_integer()) {
    return absl::UnavailableError(
        "TikTok's token answer is not the documented JSON");
  }
  UserTokens t;
  t.access_token = j["access_token"].get<std::string>();
  t.refresh_token = j.value("refresh_token", "");
  t.open_id = j.value("open_id", "");
  for (absl::string_view s :
       absl::StrSplit(j.value("scope", ""), ',', absl::SkipWhitespace())) {
    t.scopes.emplace_back(s);
  }
  t.access_expire_time = now + absl::Seconds(j["expires_in"].get<int64_t>());
  t.refresh_expire_time =
      now + absl::Seconds(j.value("refresh_expires_in", int64_t{0}));
  return t;
}

absl::Status OAuthAnswerError(int http_status, const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  std::string error, description, log_id;
  if (!j.is_discarded() && j.is_object()) {
    error = j.value("error", "");
    description = j.value("error_description", "");
    log_id = j.value("log_id", "");
  }
  std::string message =
      absl::StrCat("TikTok Login Kit answered HTTP ", http_status,
                   error.empty() ? "" : absl::StrCat(" ", error),
                   description.empty() ? "" : absl::StrCat(": ", description));
  std::vector<std::pair<std::string, std::string>> meta;
  if (!log_id.empty()) meta.push_back({"tiktok_log_id", log_id});
  if (!error.empty()) meta.push_back({"tiktok_error", error});
  if (error == "invalid_grant") {
    return status::WithErrorInfo(absl::FailedPreconditionError(message),
                                 kGrantInvalid, meta);
  }
  if (error == "invalid_client") {
    return status::WithErrorInfo(absl::FailedPreconditionError(message),
                                 kClientInvalid, meta);
  }
  if (http_status >= 500 || http_status == 429 || error == "server_error" ||
      error == "temporarily_unavailable") {
    return status::WithErrorInfo(absl::UnavailableError(message),
                                 "TIKTOK_UNAVAILABLE", meta);
  }
  return status::WithErrorInfo(absl::FailedPreconditionError(message),
                               "TIKTOK_REFUSED", meta);
}

std::string ErrorReason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!status::GetDetail(status, &info)) return "";
  return info.reason();
}

absl::StatusOr<std::string> HttpLoginApi::Post(
    const std::string& path,
    std::vector<std::pair<std::string, std::string>> fields,
    absl::Time deadline) {
  fields.insert(fields.begin(), {{"client_key", options_.client_key},
                                 {"client_secret", options_.client_secret}});
  HttpRequestSpec req;
  req.method = "POST";
  req.url = JoinUrl(options_.base_url, path);
  req.headers = {"Content-Type: application/x-www-form-urlencoded",
                 "Cache-Control: no-cache"};
  req.body = FormEncode(fields);
  TTADS_ASSIGN_OR_RETURN(HttpAnswer answer, Exchange(req, deadline));
  if (answer.status != 200) return OAuthAnswerError(answer.status, answer.body);
  Json j = Json::parse(answer.body, nullptr, false);
  // TikTok may answer 200 with an error object; treat it as the error.
  if (!j.is_discarded() && j.is_object() && j.contains("error") &&
      j["error"].is_string() && !j["error"].get<std::string>().empty()) {
    return OAuthAnswerError(400, answer.body);
  }
  return answer.body;
}

absl::StatusOr<UserTokens> HttpLoginApi::ExchangeCode(
    const std::string& code, const std::string& redirect_uri,
    absl::Time deadline) {
  TTADS_ASSIGN_OR_RETURN(std::string body,
                         Post("v2/oauth/token/",
                              {{"code", code},
                               {"grant_type", "authorization_code"},
                               {"redirect_uri", redirect_uri}},
                              deadline));
  return ParseTokenAnswer(body, absl::Now());
}

absl::StatusOr<UserTokens> HttpLoginApi::Refresh(
    const std::string& refresh_token, absl::Time deadline) {
  TTADS_ASSIGN_OR_RETURN(
      std::string body,
      Post("v2/oauth/token/",
           {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}},
           deadline));
  return ParseTokenAnswer(body, absl::Now());
}

absl::Status HttpLoginApi::Revoke(const std::string& access_token,
                                  absl::Time deadline) {
  return Post("v2/oauth/revoke/", {{"token", access_token}}, deadline).status();
}

}  // namespace ttads::tiktok_open
