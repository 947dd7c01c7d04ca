#include "services/identity/identity_catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok/error_class.h"
#include "services/identity/identity_listing.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {
namespace {

constexpr size_t kMaxDisplayName = 40;

std::string CacheKey(const std::string& team_id,
                     const std::string& advertiser_id) {
  return store::TeamKey(team_id,
                        absl::StrCat("cache:identities:", advertiser_id));
}

// Length in bytes of the UTF-8 sequence starting at `c`, or 0 if invalid.
size_t SequenceLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return c >= 0xC2 ? 2 : 0;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return c <= 0xF4 ? 4 : 0;
  return 0;
}

// Byte offsets of each code point, or nullopt for invalid UTF-8.
std::optional<std::vector<size_t>> CodePoints(const std::string& text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size();) {
    size_t n = SequenceLength(static_cast<unsigned char>(text[i]));
    if (n == 0 || i + n > text.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return std::nullopt;
    }
    starts.push_back(i);
    i += n;
  }
  return starts;
}

bool IsNoToken(const absl::Status& status) {
  std::string reason = status::ReasonOf(status);
  return reason == "NO_TOKEN" || reason == "ADVERTISER_NOT_REACHABLE";
}

common::v1::TikTokError ToTikTokError(const absl::Status& status) {
  common::v1::TikTokError error;
  auto info = tiktok::GetTikTokErrorInfo(status);
  if (info.has_value()) {
    error.set_code(info->code);
    error.set_request_id(info->request_id);
    error.set_message(info->message.empty() ? std::string(status.message())
                                            : info->message);
  } else {
    error.set_message(std::string(status.message()));
  }
  return error;
}

}  // namespace

size_t Utf8Length(const std::string& text) {
  auto points = CodePoints(text);
  return points.has_value() ? points->size() : text.size();
}

absl::StatusOr<std::string> TruncateUtf8(const std::string& text,
                                         size_t max_chars) {
  auto points = CodePoints(text);
  if (!points.has_value()) {
    return absl::InvalidArgumentError("text is not valid UTF-8");
  }
  if (points->size() <= max_chars) return text;
  return text.substr(0, (*points)[max_chars]);
}

IdentityCatalog::IdentityCatalog(store::RedisPool* redis,
                                 connections::ConnectionStore* connections,
                                 connections::TokenResolver* tokens,
                                 auth::TeamStore* teams,
                                 TikTokIdentityApi* tiktok,
                                 CatalogOptions options)
    : redis_(redis),
      connections_(connections),
      tokens_(tokens),
      teams_(teams),
      tiktok_(tiktok),
      options_(options) {}

absl::StatusOr<connections::ResolvedToken> IdentityCatalog::ResolveToken(
    const server::CallContext& call, const std::string& advertiser_id) {
  if (!advertiser_id.empty() && !store::IsValidKeyId(advertiser_id)) {
    return status::InvalidArgument(
        "advertiser_id is malformed",
        {{"advertiser_id", "must be 1-64 characters of [A-Za-z0-9_-]"}});
  }
  return tokens_->Resolve(
      {call.caller.team_id, call.caller.member_id, call.caller.role},
      advertiser_id);
}

absl::Status IdentityCatalog::NoteUpstreamFailure(
    const connections::ResolvedToken& token, absl::Status status) {
  if (tiktok::IsTokenRevoked(status)) {
    connections_
        ->MarkRevoked(token.connection.team_id, token.connection.connection_id,
                      absl::Now())
        .IgnoreError();
  }
  return status;
}

std::optional<std::vector<common::v1::Identity>> IdentityCatalog::ReadCache(
    const std::string& key) {
  auto cached = redis_->Command({"GET", key});
  if (!cached.ok() || cached->is_nil()) return std::nullopt;
  v1::ListIdentitiesResponse container;
  if (!container.ParseFromString(cached->str)) return std::nullopt;
  return std::vector<common::v1::Identity>(container.identities().begin(),
                                           container.identities().end());
}

absl::StatusOr<std::vector<common::v1::Identity>>
IdentityCatalog::FetchThroughCache(const server::CallContext& call,
                                   const connections::ResolvedToken& token) {
  const std::string key =
      CacheKey(token.connection.team_id, token.advertiser_id);
  if (auto hit = ReadCache(key); hit.has_value()) return *std::move(hit);

  // Another replica may be filling the same entry: wait briefly for it.
  const std::string fill_key = key + ":fill";
  auto lock = redis_->Command(
      {"SET", fill_key, "1", "PX",
       std::to_string(absl::ToInt64Milliseconds(options_.fill_wait)), "NX"});
  if (lock.ok() && lock->is_nil()) {
    const absl::Time until =
        std::min(absl::Now() + options_.fill_wait, call.deadline);
    while (absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(20));
      if (auto hit = ReadCache(key); hit.has_value()) return *std::move(hit);
    }
  }

  auto fetched = ListEveryIdentity(*tiktok_, token.access_token,
                                   token.advertiser_id, call.deadline);
  if (!fetched.ok()) {
    redis_->Command({"DEL", fill_key}).IgnoreError();
    return NoteUpstreamFailure(token, fetched.status());
  }
  v1::ListIdentitiesResponse container;
  for (const auto& identity : *fetched) *container.add_identities() = identity;
  redis_
      ->Pipeline(
          {{"SET", key, container.SerializeAsString(), "PX",
            std::to_string(absl::ToInt64Milliseconds(options_.cache_ttl))},
           {"DEL", fill_key}})
      .IgnoreError();
  return fetched;
}

absl::StatusOr<std::vector<common::v1::Identity>> IdentityCatalog::ListFor(
    const server::CallContext& call, const connections::ResolvedToken& token) {
  const std::string flight_key =
      absl::StrCat(token.connection.team_id, "/", token.advertiser_id);
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = flights_.find(flight_key);
    if (it == flights_.end()) {
      flight = std::make_shared<Flight>();
      flights_[flight_key] = flight;
      leader = true;
    } else {
      flight = it->second;
    }
    if (!leader) {
      cv_.wait(lock, [&] { return flight->done; });
      return flight->result;
    }
  }
  auto result = FetchThroughCache(call, token);
  {
    std::lock_guard<std::mutex> lock(mu_);
    flight->result = result;
    flight->done = true;
    flights_.erase(flight_key);
  }
  cv_.notify_all();
  return result;
}

absl::StatusOr<IdentityList> IdentityCatalog::List(
    const server::CallContext& call, const std::string& advertiser_id) {
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         ResolveToken(call, advertiser_id));
  TTADS_ASSIGN_OR_RETURN(std::vector<common::v1::Identity> identities,
                         ListFor(call, token));
  return IdentityList{token.advertiser_id, std::move(identities)};
}

absl::StatusOr<IdentityListPage> IdentityCatalog::ListPage(
    const server::CallContext& call, const IdentityPageQuery& query) {
  if (query.page_size < 0 || query.page_size > kMaxListPageSize) {
    return status::InvalidArgument("page_size must be 0-100",
                                   {{"page_size", "must be 0-100"}});
  }
  size_t offset = 0;
  if (!query.page_token.empty() &&
      !absl::SimpleAtoi(query.page_token, &offset)) {
    return status::InvalidArgument(
        "page_token is invalid",
        {{"page_token", "not a token from a previous response"}});
  }
  TTADS_ASSIGN_OR_RETURN(IdentityList list, List(call, query.advertiser_id));
  IdentityListPage page;
  page.advertiser_id = list.advertiser_id;
  const size_t page_size =
      query.page_size == 0 ? kMaxListPageSize : query.page_size;
  size_t index = 0;
  for (auto& identity : list.identities) {
    if (query.type != common::v1::IDENTITY_TYPE_UNSPECIFIED &&
        identity.identity_type() != query.type) {
      continue;
    }
    if (index++ < offset) continue;
    if (page.identities.size() == page_size) {
      page.next_page_token = std::to_string(offset + page_size);
      break;
    }
    page.identities.push_back(std::move(identity));
  }
  return page;
}

absl::StatusOr<IdentityCheck> IdentityCatalog::Check(
    const server::CallContext& call, const std::string& advertiser_id) {
  IdentityCheck check;
  check.advertiser_id = advertiser_id;
  auto token = ResolveToken(call, advertiser_id);
  if (!token.ok()) {
    if (IsNoToken(token.status())) {
      check.reason = "no_token";
      return check;
    }
    return token.status();
  }
  check.advertiser_id = token->advertiser_id;
  auto identities = ListFor(call, *token);
  if (!identities.ok()) {
    check.reason = "api_error";
    check.tiktok_error = ToTikTokError(identities.status());
    return check;
  }
  for (const auto& identity : *identities) {
    if (identity.identity_type() == common::v1::IDENTITY_TYPE_TT_USER) {
      check.has_identity = true;
      check.identity = identity;
      return check;
    }
  }
  check.reason = "no_tt_user";
  return check;
}

absl::StatusOr<std::string> CustomIdentityName(const std::string& display_name,
                                               const std::string& image_uri,
                                               common::v1::IdentityType type) {
  if (type == common::v1::IDENTITY_TYPE_TT_USER || type == common::v1::IDENTITY_TYPE_BC_AUTH_TT ||
      type == common::v1::IDENTITY_TYPE_AUTH_CODE || type == common::v1::IDENTITY_TYPE_TTS_TT) {
    return status::InvalidArgument(
        absl::StrCat(contracts::ShortName(type),
                     " identities cannot be created through the API: they are "
                     "authorized from the TikTok app. Only CUSTOMIZED_USER can "
                     "be created."),
        {{"identity_type", "only CUSTOMIZED_USER can be created"}},
        "IDENTITY_TYPE_NOT_CREATABLE");
  }
  auto name = TruncateUtf8(display_name, kMaxDisplayName);
  if (!name.ok()) {
    return status::InvalidArgument("display_name is not valid UTF-8",
                                   {{"display_name", "must be valid UTF-8"}});
  }
  if (name->find_first_not_of(" \t\r\n") == std::string::npos) {
    return status::InvalidArgument(
        "display_name is required",
        {{"display_name", "required, 1-40 characters"}});
  }
  if (!image_uri.empty() && !store::IsValidKeyId(image_uri)) {
    return status::InvalidArgument(
        "image_uri must be a TikTok image id from an image upload",
        {{"image_uri", "not a TikTok image id"}});
  }
  return name;
}

absl::StatusOr<common::v1::Identity> IdentityCatalog::CreateCustom(
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& display_name, const std::string& image_uri,
    common::v1::IdentityType type) {
  TTADS_ASSIGN_OR_RETURN(std::string name,
                         CustomIdentityName(display_name, image_uri, type));
  TTADS_ASSIGN_OR_RETURN(auth::Team team, teams_->GetTeam(call.caller.team_id));
  if (!team.subscription_active) {
    return status::WithErrorInfo(
        status::PreconditionFailed(
            "creating an identity requires an active subscription",
            "SUBSCRIPTION", absl::StrCat("team:", call.caller.team_id),
            "the team has no active subscription"),
        "SUBSCRIPTION_REQUIRED");
  }
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         ResolveToken(call, advertiser_id));
  TTADS_ASSIGN_OR_RETURN(std::string id,
                         CreateCustomFor(call, token, name, image_uri));
  common::v1::Identity identity;
  identity.set_identity_id(id);
  identity.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  identity.set_display_name(name);
  identity.set_available_status("AVAILABLE");
  return identity;
}

absl::StatusOr<std::string> IdentityCatalog::CreateCustomFor(
    const server::CallContext& call, const connections::ResolvedToken& token,
    const std::string& display_name, const std::string& image_id) {
  auto id =
      tiktok_->CreateCustomIdentity(token.access_token, token.advertiser_id,
                                    display_name, image_id, call.deadline);
  // Invalidate even on failure: an ambiguous create may have happened.
  Invalidate(token.connection.team_id, token.advertiser_id);
  if (!id.ok()) return NoteUpstreamFailure(token, id.status());
  return id;
}

void IdentityCatalog::Invalidate(const std::string& team_id,
                                 const std::string& advertiser_id) {
  redis_->Command({"DEL", CacheKey(team_id, advertiser_id)}).IgnoreError();
}

}  // namespace ttads::identity
