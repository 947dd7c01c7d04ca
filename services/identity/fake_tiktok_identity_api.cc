#include "services/identity/fake_tiktok_identity_api.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/envelope.h"
#include "libs/tiktok/error_class.h"

namespace ttads::identity {
namespace {

constexpr int kNoPermission = 40001;
constexpr int kParamError = 40002;
constexpr int kTokenInvalid = 40105;
constexpr int kAuthCodeInvalid = 40110;

int Pages(size_t items, int page_size) {
  if (items == 0 || page_size <= 0) return 1;
  return static_cast<int>((items + page_size - 1) / page_size);
}

}  // namespace

absl::Status FakeTikTokIdentityApi::TikTokError(int code,
                                                const std::string& message) {
  tiktok::Envelope envelope;
  envelope.code = code;
  envelope.message = message;
  envelope.request_id = "fake-request";
  return tiktok::StatusFromEnvelope(envelope, 200, absl::Now());
}

void FakeTikTokIdentityApi::AddAdvertiser(const std::string& advertiser_id,
                                          const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  advertiser_names_[advertiser_id] = name;
}

common::v1::Identity FakeTikTokIdentityApi::AddIdentity(
    const std::string& advertiser_id, common::v1::Identity identity) {
  std::lock_guard<std::mutex> lock(mu_);
  if (identity.identity_id().empty()) identity.set_identity_id(NewId("id-"));
  identities_[advertiser_id].push_back(identity);
  return identity;
}

void FakeTikTokIdentityApi::AddToken(const std::string& token,
                                     std::vector<std::string> advertiser_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_[token] = Token{std::move(advertiser_ids), false};
}

std::string FakeTikTokIdentityApi::MintAuthCode(
    std::vector<std::string> advertiser_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string code = NewId("code-");
  auth_codes_[code] = std::move(advertiser_ids);
  return code;
}

void FakeTikTokIdentityApi::RevokeBehindOurBack(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_[token].revoked = true;
}

bool FakeTikTokIdentityApi::IsRevoked(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(token);
  return it != tokens_.end() && it->second.revoked;
}

void FakeTikTokIdentityApi::FailNext(const std::string& method,
                                     absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[method] = std::move(status);
}

int FakeTikTokIdentityApi::Calls(const std::string& method) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::vector<IdentityPageRequest> FakeTikTokIdentityApi::page_requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return page_requests_;
}

std::vector<std::string> FakeTikTokIdentityApi::revoke_requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return revoke_requests_;
}

std::vector<FakeTikTokIdentityApi::Upload> FakeTikTokIdentityApi::uploads() {
  std::lock_guard<std::mutex> lock(mu_);
  return uploads_;
}

std::vector<FakeTikTokIdentityApi::Create> FakeTikTokIdentityApi::creates() {
  std::lock_guard<std::mutex> lock(mu_);
  return creates_;
}

absl::Time FakeTikTokIdentityApi::last_deadline() {
  std::lock_guard<std::mutex> lock(mu_);
  return last_deadline_;
}

std::string FakeTikTokIdentityApi::NewId(const std::string& prefix) {
  return absl::StrCat(prefix, next_id_++);
}

absl::Status FakeTikTokIdentityApi::Enter(const std::string& method,
                                          absl::Time deadline) {
  ++calls_[method];
  last_deadline_ = deadline;
  auto it = failures_.find(method);
  if (it == failures_.end()) return absl::OkStatus();
  absl::Status failure = std::move(it->second);
  failures_.erase(it);
  return failure;
}

absl::Status FakeTikTokIdentityApi::CheckToken(
    const std::string& token, const std::string& advertiser_id) {
  auto it = tokens_.find(token);
  if (it == tokens_.end() || it->second.revoked) {
    return TikTokError(kTokenInvalid, "Access token is invalid or revoked");
  }
  const auto& reach = it->second.advertiser_ids;
  if (!advertiser_id.empty() &&
      std::find(reach.begin(), reach.end(), advertiser_id) == reach.end()) {
    return TikTokError(kNoPermission, "No permission to access advertiser");
  }
  return absl::OkStatus();
}

absl::StatusOr<Grant> FakeTikTokIdentityApi::ExchangeAuthCode(
    const std::string& auth_code, absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("ExchangeAuthCode", deadline));
  auto it = auth_codes_.find(auth_code);
  if (it == auth_codes_.end() || !used_codes_.insert(auth_code).second) {
    return TikTokError(kAuthCodeInvalid, "Auth code is invalid or used");
  }
  Grant grant;
  grant.access_token = NewId("act.fake-");
  grant.advertiser_ids = it->second;
  grant.scopes = {1, 2, 4};
  tokens_[grant.access_token] = Token{it->second, false};
  return grant;
}

absl::StatusOr<std::vector<connections::AdvertiserRef>>
FakeTikTokIdentityApi::GetAdvertisers(const std::string& access_token,
                                      absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("GetAdvertisers", deadline));
  TTADS_RETURN_IF_ERROR(CheckToken(access_token, ""));
  std::vector<connections::AdvertiserRef> out;
  for (const auto& id : tokens_[access_token].advertiser_ids) {
    auto name = advertiser_names_.find(id);
    out.push_back(
        {id, name == advertiser_names_.end() ? std::string() : name->second});
  }
  return out;
}

absl::Status FakeTikTokIdentityApi::RevokeToken(const std::string& access_token,
                                                absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("RevokeToken", deadline));
  revoke_requests_.push_back(access_token);
  TTADS_RETURN_IF_ERROR(CheckToken(access_token, ""));
  tokens_[access_token].revoked = true;
  return absl::OkStatus();
}

absl::StatusOr<IdentityPage> FakeTikTokIdentityApi::ListIdentityPage(
    const std::string& access_token, const IdentityPageRequest& request,
    absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("ListIdentityPage", deadline));
  page_requests_.push_back(request);
  TTADS_RETURN_IF_ERROR(CheckToken(access_token, request.advertiser_id));
  if (request.type == common::v1::IDENTITY_TYPE_BC_AUTH_TT &&
      request.authorized_bc_id.empty()) {
    return TikTokError(kParamError,
                       "identity_authorized_bc_id: required when "
                       "identity_type is BC_AUTH_TT");
  }
  if (request.page < 1 || request.page_size < 1 || request.page_size > 100) {
    return TikTokError(kParamError, "page, page_size: out of range");
  }
  std::vector<const common::v1::Identity*> matching;
  size_t customized = 0;
  for (const auto& identity : identities_[request.advertiser_id]) {
    if (request.type != common::v1::IDENTITY_TYPE_UNSPECIFIED &&
        identity.identity_type() != request.type) {
      continue;
    }
    if (request.type == common::v1::IDENTITY_TYPE_BC_AUTH_TT &&
        identity.identity_authorized_bc_id() != request.authorized_bc_id) {
      continue;
    }
    matching.push_back(&identity);
    customized +=
        identity.identity_type() == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER;
  }
  IdentityPage page;
  const size_t first =
      static_cast<size_t>(request.page - 1) * request.page_size;
  for (size_t i = first; i < matching.size() && i < first + request.page_size;
       ++i) {
    page.identities.push_back(*matching[i]);
  }
  page.total_page = request.type == common::v1::IDENTITY_TYPE_UNSPECIFIED
                        ? Pages(customized, request.page_size)
                        : Pages(matching.size(), request.page_size);
  return page;
}

absl::StatusOr<std::string> FakeTikTokIdentityApi::CreateCustomIdentity(
    const std::string& access_token, const std::string& advertiser_id,
    const std::string& display_name, const std::string& image_id,
    absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("CreateCustomIdentity", deadline));
  creates_.push_back({access_token, advertiser_id, display_name, image_id});
  TTADS_RETURN_IF_ERROR(CheckToken(access_token, advertiser_id));
  if (display_name.empty()) {
    return TikTokError(kParamError, "display_name: required");
  }
  common::v1::Identity identity;
  identity.set_identity_id(NewId("id-"));
  identity.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  identity.set_display_name(display_name);
  identity.set_available_status("AVAILABLE");
  identities_[advertiser_id].push_back(identity);
  if (lose_next_create_.has_value()) {
    absl::Status lost = *std::move(lose_next_create_);
    lose_next_create_.reset();
    return lost;
  }
  return identity.identity_id();
}

void FakeTikTokIdentityApi::LoseNextCreateAnswer(absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  lose_next_create_ = std::move(status);
}

absl::StatusOr<std::string> FakeTikTokIdentityApi::UploadImage(
    const std::string& access_token, const std::string& advertiser_id,
    const std::string& bytes, const std::string& file_name,
    absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(Enter("UploadImage", deadline));
  uploads_.push_back({access_token, advertiser_id, bytes, file_name});
  TTADS_RETURN_IF_ERROR(CheckToken(access_token, advertiser_id));
  return NewId("img-");
}

}  // namespace ttads::identity
