#include "services/identity/brand_identity.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/crypto.h"
#include "libs/fetch/image_info.h"
#include "libs/status/status.h"
#include "libs/store/key_schema.h"

namespace ttads::identity {
namespace {

constexpr size_t kMaxName = 40;

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

}  // namespace

BrandIdentityManager::BrandIdentityManager(store::RedisPool* redis,
                                           AccountStore* accounts,
                                           IdentityCatalog* catalog,
                                           TikTokIdentityApi* tiktok,
                                           BrandIdentityOptions options)
    : redis_(redis),
      accounts_(accounts),
      catalog_(catalog),
      tiktok_(tiktok),
      options_(std::move(options)) {}

absl::StatusOr<v1::ConfigureBrandIdentityResponse>
BrandIdentityManager::Configure(const server::CallContext& call,
                                const std::string& account_id,
                                const std::string& display_name,
                                const std::string& image_url) {
  std::vector<status::FieldViolation> violations;
  if (account_id.empty()) violations.push_back({"account_id", "required"});
  auto name_check = TruncateUtf8(display_name, kMaxName);
  const size_t name_length = Utf8Length(display_name);
  if (!name_check.ok()) {
    violations.push_back({"display_name", "must be valid UTF-8"});
  } else if (name_length == 0 || name_length > kMaxName) {
    violations.push_back(
        {"display_name",
         absl::StrCat("must be 1-40 characters, got ", name_length)});
  }
  if (image_url.empty()) violations.push_back({"image_url", "required"});
  if (!violations.empty()) {
    return status::InvalidArgument("invalid Brand Identity",
                                   std::move(violations));
  }

  auto account = accounts_->Get(call.caller.team_id, account_id);
  if (!account.ok()) return account.status();
  if (account->platform() != "tiktokads") {
    return status::InvalidArgument(
        "the Brand Identity is configured on a tiktokads account",
        {{"account_id", "not a tiktokads account"}});
  }

  // Every check that can refuse the caller runs before anything is fetched:
  // a caller without a usable token never makes ttads download a URL.
  auto token = catalog_->ResolveToken(call, account->advertiser_id());
  if (!token.ok()) return token.status();

  fetch::FetchOptions fetch_options = options_.fetch;
  fetch_options.deadline = call.deadline;
  fetch::FetchInfo fetched;
  auto bytes = fetch::FetchToString(image_url, fetch_options, &fetched);
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
  const std::string sha = crypto::Sha256Hex(*bytes);

  // One configuration of an account at a time.
  const std::string lock_key = store::TeamKey(
      call.caller.team_id, absl::StrCat("account:", account_id, ":brand_lock"));
  const std::string lock_token = crypto::RandomToken(16);
  const absl::Time give_up =
      std::min(call.deadline, absl::Now() + absl::Seconds(30));
  for (;;) {
    auto got =
        redis_->Command({"SET", lock_key, lock_token, "PX", "30000", "NX"});
    if (!got.ok()) return got.status();
    if (!got->is_nil()) break;
    if (absl::Now() >= give_up) {
      return absl::AbortedError(
          "another Brand Identity change of this account is in progress");
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
  auto release = [&] {
    auto held = redis_->Command({"GET", lock_key});
    if (held.ok() && held->str == lock_token) {
      redis_->Command({"DEL", lock_key}).IgnoreError();
    }
  };

  auto result = [&]() -> absl::StatusOr<v1::ConfigureBrandIdentityResponse> {
    auto current = accounts_->GetBrand(call.caller.team_id, account_id);
    if (!current.ok()) return current.status();
    v1::ConfigureBrandIdentityResponse response;
    response.set_success(true);
    if (current->has_value() && (*current)->display_name() == display_name &&
        (*current)->image_sha256() == sha) {
      response.set_identity_id((*current)->identity_id());
      response.set_display_name((*current)->display_name());
      response.set_created(false);
      return response;
    }
    // TikTok names materials after the file and refuses duplicates (40911),
    // so every upload gets its own name.
    const std::string file_name = absl::StrCat(
        "brand-", sha.substr(0, 16), "-", crypto::RandomToken(6),
        info->format == fetch::ImageFormat::kPng ? ".png" : ".jpg");
    auto image_id =
        tiktok_->UploadImage(token->access_token, token->advertiser_id, *bytes,
                             file_name, call.deadline);
    if (!image_id.ok()) {
      return catalog_->NoteUpstreamFailure(*token, image_id.status());
    }
    auto identity_id =
        catalog_->CreateCustomFor(call, *token, display_name, *image_id);
    if (!identity_id.ok()) return identity_id.status();

    v1::BrandIdentity brand;
    brand.set_account_id(account_id);
    brand.set_identity_id(*identity_id);
    brand.set_display_name(display_name);
    brand.set_image_url(image_url);
    brand.set_image_id(*image_id);
    brand.set_image_sha256(sha);
    if (current->has_value()) {
      *brand.mutable_previous_identity_ids() =
          (*current)->previous_identity_ids();
      brand.add_previous_identity_ids((*current)->identity_id());
    }
    brand.mutable_update_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    if (absl::Status s =
            accounts_->PutBrand(call.caller.team_id, *account, brand);
        !s.ok()) {
      return s;
    }
    response.set_identity_id(*identity_id);
    response.set_display_name(display_name);
    response.set_created(true);
    return response;
  }();
  release();
  return result;
}

absl::StatusOr<v1::BrandIdentity> BrandIdentityManager::Get(
    const server::CallContext& call, const std::string& account_id) {
  if (account_id.empty()) {
    return status::InvalidArgument("account_id is required",
                                   {{"account_id", "required"}});
  }
  auto account = accounts_->Get(call.caller.team_id, account_id);
  if (!account.ok()) return account.status();
  auto brand = accounts_->GetBrand(call.caller.team_id, account_id);
  if (!brand.ok()) return brand.status();
  if (!brand->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "account ", account_id, " has no Brand Identity configured"));
  }
  return **brand;
}

}  // namespace ttads::identity
