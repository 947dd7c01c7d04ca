#include "services/identity/tiktok_identity_api.h"

#include "absl/strings/str_cat.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/multipart.h"

namespace ttads::identity {
namespace {

std::string JsonString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool JsonBool(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// One identity_list item; the fields are those of "Get the identity list".
common::v1::Identity IdentityFromJson(const nlohmann::json& item) {
  common::v1::Identity identity;
  identity.set_identity_id(JsonString(item, "identity_id"));
  identity.set_identity_type(
      ParseIdentityType(JsonString(item, "identity_type")));
  identity.set_display_name(JsonString(item, "display_name"));
  identity.set_profile_image(JsonString(item, "profile_image"));
  identity.set_available_status(JsonString(item, "available_status"));
  identity.set_identity_authorized_bc_id(
      JsonString(item, "identity_authorized_bc_id"));
  identity.set_can_pull_video(JsonBool(item, "can_pull_video"));
  identity.set_can_push_video(JsonBool(item, "can_push_video"));
  return identity;
}

}  // namespace

common::v1::IdentityType ParseIdentityType(const std::string& text) {
  common::v1::IdentityType type;
  if (contracts::ParseAnyName(text, &type)) return type;
  return common::v1::IDENTITY_TYPE_UNSPECIFIED;
}

absl::StatusOr<Grant> ClientIdentityApi::ExchangeAuthCode(
    const std::string& auth_code, absl::Time deadline) {
  auto call = tiktok::HttpCall::Post("oauth2/access_token/",
                                     {{"app_id", client_->options().app_id},
                                      {"secret", client_->options().app_secret},
                                      {"auth_code", auth_code}});
  // Exchanging twice would fail with "code used"; one attempt is right.
  call.retry = false;
  TTADS_ASSIGN_OR_RETURN(tiktok::Envelope envelope,
                         client_->Call(std::move(call), deadline));
  Grant grant;
  grant.access_token = JsonString(envelope.data, "access_token");
  if (auto it = envelope.data.find("advertiser_ids");
      it != envelope.data.end() && it->is_array()) {
    for (const auto& id : *it) {
      grant.advertiser_ids.push_back(id.is_string() ? id.get<std::string>()
                                                    : id.dump());
    }
  }
  if (auto it = envelope.data.find("scope");
      it != envelope.data.end() && it->is_array()) {
    for (const auto& s : *it) {
      if (s.is_number_integer()) grant.scopes.push_back(s.get<int64_t>());
    }
  }
  if (grant.access_token.empty()) {
    return absl::UnavailableError("TikTok granted no access token");
  }
  return grant;
}

absl::StatusOr<std::vector<connections::AdvertiserRef>>
ClientIdentityApi::GetAdvertisers(const std::string& access_token,
                                  absl::Time deadline) {
  TTADS_ASSIGN_OR_RETURN(
      tiktok::Envelope envelope,
      client_->Call(
          tiktok::HttpCall::Get("oauth2/advertiser/get/",
                                {{"app_id", client_->options().app_id},
                                 {"secret", client_->options().app_secret}},
                                access_token),
          deadline));
  std::vector<connections::AdvertiserRef> out;
  if (auto it = envelope.data.find("list");
      it != envelope.data.end() && it->is_array()) {
    for (const auto& a : *it) {
      out.push_back(
          {JsonString(a, "advertiser_id"), JsonString(a, "advertiser_name")});
    }
  }
  return out;
}

absl::Status ClientIdentityApi::RevokeToken(const std::string& access_token,
                                            absl::Time deadline) {
  // TikTok authenticates the call with the token itself (Access-Token
  // header, required) and names the token to revoke in the body.
  return client_
      ->Call(tiktok::HttpCall::Post("oauth2/revoke_token/",
                                    {{"app_id", client_->options().app_id},
                                     {"secret", client_->options().app_secret},
                                     {"access_token", access_token}},
                                    access_token),
             deadline)
      .status();
}

absl::StatusOr<IdentityPage> ClientIdentityApi::ListIdentityPage(
    const std::string& access_token, const IdentityPageRequest& request,
    absl::Time deadline) {
  nlohmann::json params = {{"advertiser_id", request.advertiser_id},
                           {"page", request.page},
                           {"page_size", request.page_size}};
  if (request.type != common::v1::IDENTITY_TYPE_UNSPECIFIED) {
    params["identity_type"] = contracts::ShortName(request.type);
  }
  if (!request.authorized_bc_id.empty()) {
    params["identity_authorized_bc_id"] = request.authorized_bc_id;
  }
  auto call =
      tiktok::HttpCall::Get("identity/get/", std::move(params), access_token);
  call.advertiser_id = request.advertiser_id;
  TTADS_ASSIGN_OR_RETURN(tiktok::Envelope envelope,
                         client_->Call(std::move(call), deadline));
  const auto& data = envelope.data;
  IdentityPage page;
  if (auto it = data.find("identity_list");
      it != data.end() && it->is_array()) {
    for (const auto& item : *it) {
      page.identities.push_back(IdentityFromJson(item));
    }
  }
  if (auto it = data.find("page_info"); it != data.end() && it->is_object()) {
    auto total = it->find("total_page");
    if (total != it->end() && total->is_number_integer()) {
      page.total_page = total->get<int>();
    }
  }
  return page;
}

absl::StatusOr<std::string> ClientIdentityApi::CreateCustomIdentity(
    const std::string& access_token, const std::string& advertiser_id,
    const std::string& display_name, const std::string& image_id,
    absl::Time deadline) {
  nlohmann::json body = {{"advertiser_id", advertiser_id},
                         {"display_name", display_name}};
  if (!image_id.empty()) body["image_uri"] = image_id;
  auto call =
      tiktok::HttpCall::Post("identity/create/", std::move(body), access_token);
  call.advertiser_id = advertiser_id;
  TTADS_ASSIGN_OR_RETURN(tiktok::Envelope envelope,
                         client_->Call(std::move(call), deadline));
  std::string id = JsonString(envelope.data, "identity_id");
  if (id.empty())
    return absl::UnavailableError("TikTok returned no identity_id");
  return id;
}

absl::StatusOr<std::string> ClientIdentityApi::UploadImage(
    const std::string& access_token, const std::string& advertiser_id,
    const std::string& bytes, const std::string& file_name,
    absl::Time deadline) {
  tiktok::MultipartForm form;
  form.AddText("advertiser_id", advertiser_id);
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  form.AddText("image_signature", tiktok::Md5Hex(bytes));
  if (!file_name.empty()) form.AddText("file_name", file_name);
  form.AddFile("image_file", file_name.empty() ? "image" : file_name, bytes);
  auto call = tiktok::HttpCall::Upload("file/image/ad/upload/", std::move(form),
                                       access_token);
  call.advertiser_id = advertiser_id;
  // Re-uploading identical bytes is harmless (same signature, new id).
  call.idempotent = true;
  TTADS_ASSIGN_OR_RETURN(tiktok::Envelope envelope,
                         client_->Call(std::move(call), deadline));
  std::string id = JsonString(envelope.data, "image_id");
  if (id.empty()) return absl::UnavailableError("TikTok returned no image_id");
  return id;
}

}  // namespace ttads::identity
