#include "services/identity/brand_identity.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/hashing.h"
#include "libs/crypto/random.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/text/utf8.h"

namespace ttads::identity {
namespace {

constexpr size_t kMaxName = kMaxCustomIdentityName;

absl::Status ImageViolation(std::string description) {
  return status::InvalidArgument(absl::StrCat("image_url: ", description),
                                 {{"image_url", description}}, "INVALID_IMAGE");
}

// Maps a download failure to what the caller should do: fix the URL
// (INVALID_ARGUMENT with a field violation) or retry (UNAVAILABLE).
absl::Status DownloadFailure(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kPermissionDenied:
      return ImageViolation(
          absl::StrCat("must be on a public address (", s.message(), ")"));
    case absl::StatusCode::kInvalidArgument:
      return ImageViolation(std::string(s.message()));
    case absl::StatusCode::kDeadlineExceeded:
      return s;
    default:
      return status::WithFieldViolations(
          absl::UnavailableError(
              absl::StrCat("cannot download image_url: ", s.message())),
          {{"image_url", "could not be downloaded; retry later"}});
  }
}

// Field violations of the request itself (nothing looked up yet).
absl::Status ValidateRequest(const std::string& account_id,
                             const std::string& display_name,
                             const std::string& image_url) {
  std::vector<status::FieldViolation> violations;
  if (account_id.empty()) violations.push_back({"account_id", "required"});
  const std::optional<size_t> name_length = text::CodePointCount(display_name);
  if (!name_length.has_value()) {
    violations.push_back({"display_name", "must be valid UTF-8"});
  } else if (*name_length == 0 || *name_length > kMaxName) {
    violations.push_back(
        {"display_name",
         absl::StrCat("must be 1-40 characters, got ", *name_length)});
  }
  if (image_url.empty()) violations.push_back({"image_url", "required"});
  if (violations.empty()) return absl::OkStatus();
  return status::InvalidArgument("invalid Brand Identity",
                                 std::move(violations));
}

}  // namespace

BrandIdentityManager::BrandIdentityManager(store::RedisPool* redis,
                                           AccountStore* accounts,
                                           IdentityCatalog* catalog,
                                           TikTokIdentityApi* tiktok,
                                           ImageSource* images,
                                           BrandIdentityOptions options)
    : redis_(redis),
      accounts_(accounts),
      catalog_(catalog),
      tiktok_(tiktok),
      images_(images),
      options_(std::move(options)) {}

absl::StatusOr<v1::ConfigureBrandIdentityResponse>
BrandIdentityManager::Configure(const server::CallContext& call,
                                const std::string& account_id,
                                const std::string& display_name,
                                const std::string& image_url) {
  TTADS_RETURN_IF_ERROR(ValidateRequest(account_id, display_name, image_url));
  TTADS_ASSIGN_OR_RETURN(v1::Account account, AdsAccount(call, account_id));
  // Every check that can refuse the caller runs before anything is fetched:
  // a caller without a usable token never makes ttads download a URL.
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         catalog_->ResolveToken(call, account.advertiser_id()));
  TTADS_ASSIGN_OR_RETURN(Image image, FetchImage(call, image_url));

  // One configuration of an account at a time.
  const std::string lock_key = store::TeamKey(
      call.caller.team_id, absl::StrCat("account:", account_id, ":brand_lock"));
  const std::string holder = crypto::RandomToken(16);
  TTADS_RETURN_IF_ERROR(Lock(lock_key, holder, call.deadline));
  auto result = Apply(call, account, token, display_name, image_url, image);
  Unlock(lock_key, holder);
  return result;
}

absl::StatusOr<v1::Account> BrandIdentityManager::AdsAccount(
    const server::CallContext& call, const std::string& account_id) {
  TTADS_ASSIGN_OR_RETURN(v1::Account account,
                         accounts_->Get(call.caller.team_id, account_id));
  if (account.platform() != "tiktokads") {
    return status::InvalidArgument(
        "the Brand Identity is configured on a tiktokads account",
        {{"account_id", "not a tiktokads account"}});
  }
  return account;
}

absl::StatusOr<BrandIdentityManager::Image> BrandIdentityManager::FetchImage(
    const server::CallContext& call, const std::string& image_url) {
  auto bytes = images_->Fetch(image_url, call.deadline);
  if (!bytes.ok()) return DownloadFailure(bytes.status());
  auto info = fetch::InspectImage(*bytes);
  if (!info.ok()) return ImageViolation(std::string(info.status().message()));
  if (info->width != info->height) {
    return ImageViolation(
        absl::StrCat("must be square, got ", info->width, "x", info->height));
  }
  if (info->width < options_.min_image_side) {
    return ImageViolation(absl::StrCat(
        "must be at least ", options_.min_image_side, "x",
        options_.min_image_side, ", got ", info->width, "x", info->height));
  }
  Image image;
  image.sha256 = crypto::Sha256Hex(*bytes);
  image.bytes = *std::move(bytes);
  image.format = info->format;
  return image;
}

absl::Status BrandIdentityManager::Lock(const std::string& key,
                                        const std::string& holder,
                                        absl::Time deadline) {
  const absl::Time give_up =
      std::min(deadline, absl::Now() + options_.lock_wait);
  const std::string ttl_ms =
      std::to_string(absl::ToInt64Milliseconds(options_.lock_wait));
  for (;;) {
    TTADS_ASSIGN_OR_RETURN(
        store::RedisReply got,
        redis_->Command({"SET", key, holder, "PX", ttl_ms, "NX"}));
    if (!got.is_nil()) return absl::OkStatus();
    if (absl::Now() >= give_up) {
      return absl::AbortedError(
          "another Brand Identity change of this account is in progress");
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
}

void BrandIdentityManager::Unlock(const std::string& key,
                                  const std::string& holder) {
  auto held = redis_->Command({"GET", key});
  if (held.ok() && held->str == holder) {
    redis_->Command({"DEL", key}).IgnoreError();
  }
}

absl::StatusOr<v1::ConfigureBrandIdentityResponse> BrandIdentityManager::Apply(
    const server::CallContext& call, const v1::Account& account,
    const connections::ResolvedToken& token, const std::string& display_name,
    const std::string& image_url, const Image& image) {
  TTADS_ASSIGN_OR_RETURN(
      std::optional<v1::BrandIdentity> current,
      accounts_->GetBrand(call.caller.team_id, account.account_id()));
  v1::ConfigureBrandIdentityResponse response;
  response.set_success(true);
  if (current.has_value() && current->display_name() == display_name &&
      current->image_sha256() == image.sha256) {
    response.set_identity_id(current->identity_id());
    response.set_display_name(current->display_name());
    response.set_created(false);
    return response;
  }
  // TikTok names materials after the file and refuses duplicates (40911),
  // so every upload gets its own name.
  const std::string file_name = absl::StrCat(
      "brand-", image.sha256.substr(0, 16), "-", crypto::RandomToken(6),
      image.format == fetch::ImageFormat::kPng ? ".png" : ".jpg");
  auto image_id = tiktok_->UploadImage(token.access_token, token.advertiser_id,
                                       image.bytes, file_name, call.deadline);
  if (!image_id.ok()) {
    return catalog_->NoteUpstreamFailure(token, image_id.status());
  }
  TTADS_ASSIGN_OR_RETURN(
      std::string identity_id,
      catalog_->CreateCustomFor(call, token, display_name, *image_id));

  v1::BrandIdentity brand;
  brand.set_account_id(account.account_id());
  brand.set_identity_id(identity_id);
  brand.set_display_name(display_name);
  brand.set_image_url(image_url);
  brand.set_image_id(*image_id);
  brand.set_image_sha256(image.sha256);
  if (current.has_value()) {
    *brand.mutable_previous_identity_ids() = current->previous_identity_ids();
    brand.add_previous_identity_ids(current->identity_id());
  }
  brand.mutable_update_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  TTADS_RETURN_IF_ERROR(
      accounts_->PutBrand(call.caller.team_id, account, brand));
  response.set_identity_id(identity_id);
  response.set_display_name(display_name);
  response.set_created(true);
  return response;
}

absl::StatusOr<v1::BrandIdentity> BrandIdentityManager::Get(
    const server::CallContext& call, const std::string& account_id) {
  if (account_id.empty()) {
    return status::InvalidArgument("account_id is required",
                                   {{"account_id", "required"}});
  }
  TTADS_RETURN_IF_ERROR(accounts_->Get(call.caller.team_id, account_id));
  TTADS_ASSIGN_OR_RETURN(std::optional<v1::BrandIdentity> brand,
                         accounts_->GetBrand(call.caller.team_id, account_id));
  if (!brand.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "account ", account_id, " has no Brand Identity configured"));
  }
  return *std::move(brand);
}

}  // namespace ttads::identity
