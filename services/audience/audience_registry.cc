#include "services/audience/audience_registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/text/utf8.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {
namespace {

constexpr size_t kMaxNameChars = 128;
constexpr int64_t kMaxRefreshIntervalSeconds = 90 * 86400;

}  // namespace

PageRequest PageRequest::Of(int32_t page_size, const std::string& page_token) {
  PageRequest page;
  page.size = page_size > 0 ? std::min<size_t>(page_size, 100) : 50;
  if (!page_token.empty()) (void)absl::SimpleAtoi(page_token, &page.start);
  return page;
}

std::string PageRequest::NextToken(size_t total) const {
  return start + size < total ? absl::StrCat(start + size) : std::string();
}

AudienceRegistry::AudienceRegistry(AudienceStore* store,
                                   TikTokAudienceApi* tiktok,
                                   TokenSource* tokens,
                                   int64_t default_refresh_interval_seconds)
    : store_(store),
      tiktok_(tiktok),
      tokens_(tokens),
      default_refresh_interval_seconds_(default_refresh_interval_seconds) {}

absl::StatusOr<AudienceView> AudienceRegistry::Create(
    const Requester& who, const AudienceSpec& spec,
    const CreateOptions& create) {
  std::vector<status::FieldViolation> violations;
  if (spec.advertiser_id.empty() || !store::IsValidKeyId(spec.advertiser_id)) {
    violations.push_back({"advertiser_id", "required: a TikTok advertiser id"});
  }
  const std::optional<size_t> chars = text::CodePointCount(spec.name);
  if (!chars.has_value()) {
    violations.push_back({"audience.name", "must be valid UTF-8"});
  } else if (*chars == 0 || *chars > kMaxNameChars) {
    violations.push_back({"audience.name", "must be 1-128 characters"});
  }
  const std::vector<int>& types = spec.identifier_types;
  std::vector<IdType> id_types;
  if (types.empty()) {
    violations.push_back(
        {"audience.identifier_types", "at least one is required"});
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i] < 1 || types[i] > identifiers::kIdTypeCount) {
      violations.push_back({absl::StrCat("audience.identifier_types[", i, "]"),
                            "must be EMAIL, PHONE, IDFA, GAID or MAID"});
      continue;
    }
    const IdType t = static_cast<IdType>(types[i] - 1);
    if (std::find(id_types.begin(), id_types.end(), t) == id_types.end()) {
      id_types.push_back(t);
    }
  }
  if (spec.refresh_interval_seconds < 0 ||
      spec.refresh_interval_seconds > kMaxRefreshIntervalSeconds) {
    violations.push_back({"audience.refresh_interval_seconds",
                          "must be 0 (default) to 90 days"});
  }
  const std::string region = identifiers::CanonicalRegion(spec.default_region);
  if (!spec.default_region.empty() && region.empty()) {
    violations.push_back({"audience.default_region", kRegionRule});
  }
  if (!violations.empty()) {
    return status::InvalidArgument("invalid audience", std::move(violations));
  }
  TTADS_RETURN_IF_ERROR(
      tokens_->Token(who.team_id, who.member_id, who.role, spec.advertiser_id));
  AudienceRecord a;
  a.id = create.audience_id.empty() ? NewRecordId("aud_") : create.audience_id;
  if (create.before_write) TTADS_RETURN_IF_ERROR(create.before_write(a.id));
  a.team_id = who.team_id;
  a.advertiser_id = spec.advertiser_id;
  a.name = spec.name;
  a.types = id_types;
  a.refresh_interval_seconds = spec.refresh_interval_seconds > 0
                                   ? spec.refresh_interval_seconds
                                   : default_refresh_interval_seconds_;
  a.create_time = absl::Now();
  a.member_id = who.member_id;
  a.role = who.role;
  a.default_region = region;
  TTADS_RETURN_IF_ERROR(store_->PutAudience(a));
  const absl::Time next =
      a.create_time + absl::Seconds(a.refresh_interval_seconds);
  TTADS_RETURN_IF_ERROR(store_->ScheduleRefresh(a.team_id, a.id, next));
  AudienceView view;
  view.record = std::move(a);
  view.next_refresh = next;
  return view;
}

absl::StatusOr<AudienceRecord> AudienceRegistry::Owned(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id) {
  TTADS_ASSIGN_OR_RETURN(AudienceRecord a,
                         store_->GetAudience(who.team_id, audience_id));
  if (!advertiser_id.empty() && a.advertiser_id != advertiser_id) {
    return absl::NotFoundError("audience not found");
  }
  return a;
}

absl::StatusOr<std::vector<AudienceRecord>> AudienceRegistry::List(
    const Requester& who, const std::string& advertiser_id) {
  TTADS_ASSIGN_OR_RETURN(std::vector<AudienceRecord> all,
                         store_->ListAudiences(who.team_id));
  std::vector<AudienceRecord> out;
  for (auto& a : all) {
    if (advertiser_id.empty() || a.advertiser_id == advertiser_id) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

absl::StatusOr<Page<AudienceRecord>> AudienceRegistry::ListPage(
    const Requester& who, const std::string& advertiser_id,
    const PageRequest& page) {
  TTADS_ASSIGN_OR_RETURN(std::vector<AudienceRecord> all,
                         List(who, advertiser_id));
  Page<AudienceRecord> out;
  for (size_t i = page.start; i < all.size() && i < page.start + page.size;
       ++i) {
    out.items.push_back(std::move(all[i]));
  }
  out.next_page_token = page.NextToken(all.size());
  return out;
}

absl::StatusOr<AudienceView> AudienceRegistry::Get(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id) {
  AudienceView view;
  TTADS_ASSIGN_OR_RETURN(view.record, Owned(who, advertiser_id, audience_id));
  const AudienceRecord& a = view.record;
  if (!a.tiktok_id.empty()) {
    TTADS_ASSIGN_OR_RETURN(
        const std::string token,
        tokens_->Token(who.team_id, a.member_id, a.role, a.advertiser_id));
    TTADS_ASSIGN_OR_RETURN(auto remote,
                           tiktok_->Get(token, a.advertiser_id, a.tiktok_id));
    view.size = remote.size;
    view.is_valid = remote.is_valid;
  }
  // What waits for the audience is best effort: a read that fails leaves
  // its field empty rather than failing the Get.
  auto history = store_->History(who.team_id, audience_id);
  if (history.ok()) view.history = *std::move(history);
  auto pending = store_->PendingRemovals(who.team_id, audience_id);
  if (pending.ok()) view.pending_removals = *pending;
  auto next = store_->NextRefresh(who.team_id, audience_id);
  if (next.ok()) view.next_refresh = *next;
  return view;
}

absl::Status AudienceRegistry::Delete(const Requester& who,
                                      const std::string& advertiser_id,
                                      const std::string& audience_id) {
  TTADS_ASSIGN_OR_RETURN(const AudienceRecord a,
                         Owned(who, advertiser_id, audience_id));
  if (!a.tiktok_id.empty()) {
    TTADS_ASSIGN_OR_RETURN(
        const std::string token,
        tokens_->Token(who.team_id, a.member_id, a.role, a.advertiser_id));
    TTADS_RETURN_IF_ERROR(tiktok_->Delete(token, a.advertiser_id, a.tiktok_id));
  }
  return store_->DeleteAudience(who.team_id, audience_id);
}

}  // namespace ttads::audience
