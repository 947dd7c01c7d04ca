#include "services/identity/tiktok_identity_api.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
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

constexpr int kIdentityPageSize = 100;  // TikTok's maximum.
constexpr int kMaxIdentityPages = 1000;

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
  if (common::v1::IdentityType_Parse(text, &type)) return type;
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
  auto envelope = client_->Call(std::move(call), deadline);
  if (!envelope.ok()) return envelope.status();
  Grant grant;
  grant.access_token = JsonString(envelope->data, "access_token");
  if (auto it = envelope->data.find("advertiser_ids");
      it != envelope->data.end() && it->is_array()) {
    for (const auto& id : *it) {
      grant.advertiser_ids.push_back(id.is_string() ? id.get<std::string>()
                                                    : id.dump());
    }
  }
  if (auto it = envelope->data.find("scope");
      it != envelope->data.end() && it->is_array()) {
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
  auto envelope = client_->Call(
      tiktok::HttpCall::Get("oauth2/advertiser/get/",
                            {{"app_id", client_->options().app_id},
                             {"secret", client_->options().app_secret}},
                            access_token),
      deadline);
  if (!envelope.ok()) return envelope.status();
  std::vector<connections::AdvertiserRef> out;
  if (auto it = envelope->data.find("list");
      it != envelope->data.end() && it->is_array()) {
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
  auto envelope = client_->Call(
      tiktok::HttpCall::Post("oauth2/revoke_token/",
                             {{"app_id", client_->options().app_id},
                              {"secret", client_->options().app_secret},
                              {"access_token", access_token}},
                             access_token),
      deadline);
  return envelope.ok() ? absl::OkStatus() : envelope.status();
}

absl::StatusOr<int> ClientIdentityApi::ListIdentityPages(
    const std::string& access_token, const std::string& advertiser_id,
    const std::string& identity_type, const std::string& bc_id,
    absl::Time deadline, IdentitySink sink) {
  // Typed listings answer with a reliable page_info; untyped ones do not, so
  // those are walked until a short page or a page with nothing new.
  std::set<std::string> seen;
  int page = 1;
  for (; page <= kMaxIdentityPages; ++page) {
    nlohmann::json params = {{"advertiser_id", advertiser_id},
                             {"page", page},
                             {"page_size", kIdentityPageSize}};
    if (!identity_type.empty()) params["identity_type"] = identity_type;
    if (!bc_id.empty()) params["identity_authorized_bc_id"] = bc_id;
    auto call =
        tiktok::HttpCall::Get("identity/get/", std::move(params), access_token);
    call.advertiser_id = advertiser_id;
    auto envelope = client_->Call(std::move(call), deadline);
    if (!envelope.ok()) return envelope.status();
    const auto& data = envelope->data;
    int items = 0;
    bool fresh = false;
    if (auto it = data.find("identity_list");
        it != data.end() && it->is_array()) {
      for (const auto& item : *it) {
        ++items;
        common::v1::Identity identity = IdentityFromJson(item);
        if (!seen.insert(identity.identity_id()).second) continue;
        fresh = true;
        sink(std::move(identity));
      }
    }
    if (identity_type.empty()) {
      if (items < kIdentityPageSize || !fresh) break;
      continue;
    }
    int total_page = 1;
    if (auto it = data.find("page_info"); it != data.end() && it->is_object()) {
      total_page = it->value("total_page", 1);
    }
    if (page >= total_page) break;
  }
  return std::min(page, kMaxIdentityPages);
}

absl::StatusOr<std::vector<common::v1::Identity>>
ClientIdentityApi::ListIdentities(const std::string& access_token,
                                  const std::string& advertiser_id,
                                  absl::Time deadline) {
  // The untyped listing first: its items are right, only its page_info is
  // not. A short first page (fewer than page_size items) ends the listing
  // whatever TikTok's paging does, so most advertisers cost one call.
  std::vector<common::v1::Identity> untyped;
  std::set<std::string> bcs;
  auto pages = ListIdentityPages(
      access_token, advertiser_id, "", "", deadline,
      [&](common::v1::Identity identity) {
        if (identity.identity_type() == common::v1::BC_AUTH_TT &&
            !identity.identity_authorized_bc_id().empty()) {
          bcs.insert(identity.identity_authorized_bc_id());
        }
        untyped.push_back(std::move(identity));
      });
  if (!pages.ok()) return pages.status();
  if (*pages == 1 && untyped.size() < static_cast<size_t>(kIdentityPageSize)) {
    return untyped;
  }
  // More than one page: one typed listing per identity type, following its
  // (reliable) page_info; BC_AUTH_TT per Business Center named above.
  std::vector<common::v1::Identity> out;
  std::set<std::string> ids;
  auto keep = [&](common::v1::Identity identity) {
    if (ids.insert(identity.identity_id()).second) {
      out.push_back(std::move(identity));
    }
  };
  for (const char* type : {"TT_USER", "CUSTOMIZED_USER", "AUTH_CODE"}) {
    auto typed = ListIdentityPages(access_token, advertiser_id, type, "",
                                   deadline, keep);
    if (!typed.ok()) return typed.status();
  }
  for (const auto& bc : bcs) {
    auto typed = ListIdentityPages(access_token, advertiser_id, "BC_AUTH_TT",
                                   bc, deadline, keep);
    if (!typed.ok()) return typed.status();
  }
  return out;
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
  auto envelope = client_->Call(std::move(call), deadline);
  if (!envelope.ok()) return envelope.status();
  std::string id = JsonString(envelope->data, "identity_id");
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
  auto envelope = client_->Call(std::move(call), deadline);
  if (!envelope.ok()) return envelope.status();
  std::string id = JsonString(envelope->data, "image_id");
  if (id.empty()) return absl::UnavailableError("TikTok returned no image_id");
  return id;
}

}  // namespace ttads::identity
