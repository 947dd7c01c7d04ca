#include "services/ads/ad_watch_request.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/ads/ad_watch_cursor.h"

namespace ttads::ads {
namespace {

bool IsAdvertiserId(const std::string& id) {
  return !id.empty() && id.size() <= 20 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

// The advertisers in watch order, with the request field each came from.
struct Named {
  std::string advertiser_id;
  std::string field;  // "" for `advertiser_id`
};

absl::StatusOr<std::vector<Named>> Advertisers(const v1::WatchAdsRequest& req) {
  std::vector<status::FieldViolation> bad;
  std::vector<Named> out;
  if (!req.advertiser_id().empty() || req.advertiser_ids().empty()) {
    out.push_back({req.advertiser_id(), ""});
  }
  if (req.advertiser_ids_size() > kMaxWatchAdvertisers) {
    bad.push_back(
        {"advertiser_ids", absl::StrCat("at most ", kMaxWatchAdvertisers,
                                        " advertisers per watch")});
  }
  for (int i = 0; i < req.advertiser_ids_size(); ++i) {
    const std::string& id = req.advertiser_ids(i);
    const std::string field = absl::StrCat("advertiser_ids[", i, "]");
    if (!IsAdvertiserId(id)) {
      bad.push_back({field, "an advertiser id is 1-20 digits"});
      continue;
    }
    if (std::any_of(req.advertiser_ids().begin(),
                    req.advertiser_ids().begin() + i,
                    [&](const std::string& e) { return e == id; })) {
      bad.push_back({field, absl::StrCat("advertiser ", id, " is repeated")});
      continue;
    }
    if (id == req.advertiser_id()) continue;  // the same one, once
    out.push_back({id, field});
  }
  if (!bad.empty()) {
    return status::InvalidArgument("invalid advertisers to watch",
                                   std::move(bad));
  }
  return out;
}

}  // namespace

absl::StatusOr<int> StartAdWatch(AdWatchHub* hub,
                                 const AdvertiserTokens& tokens,
                                 const server::CallContext& call,
                                 const v1::WatchAdsRequest& req,
                                 AdEventSink* sink) {
  if (req.limit() < 0 || req.limit() > kMaxWatchLimit) {
    return status::InvalidArgument(
        "invalid limit",
        {{"limit", absl::StrCat("events per poll cycle: 0 (means ",
                                kDefaultWatchLimit, ") to ", kMaxWatchLimit)}});
  }
  TTADS_ASSIGN_OR_RETURN(std::vector<Named> named, Advertisers(req));
  std::vector<AdWatchHub::Source> sources;
  for (const Named& n : named) {
    absl::StatusOr<AdvertiserAccess> access = tokens.For(call, n.advertiser_id);
    if (!access.ok()) {
      if (n.field.empty()) return access.status();
      return status::WithFieldViolations(
          access.status(),
          {{n.field,
            absl::StrCat("advertiser ", n.advertiser_id,
                         " is not reachable: ", access.status().message())}});
    }
    sources.push_back({access->advertiser_id, access->token, ""});
  }
  std::vector<std::string> ids;
  for (const auto& s : sources) ids.push_back(s.advertiser_id);
  TTADS_ASSIGN_OR_RETURN(WatchPositions positions,
                         ParseWatchCursor(req.cursor(), ids));
  for (auto& s : sources) {
    auto it = positions.find(s.advertiser_id);
    if (it != positions.end()) s.after = it->second;
  }
  AdWatchHub::Filter f;
  f.by = req.watch_by() == v1::WATCH_BY_CREATED_TIME
             ? v1::WATCH_BY_CREATED_TIME
             : v1::WATCH_BY_UPDATED_TIME;
  f.campaign_id = req.campaign_id();
  f.adgroup_ids.insert(req.adgroup_ids().begin(), req.adgroup_ids().end());
  f.team_id = call.caller.team_id;
  f.limit = req.limit() == 0 ? kDefaultWatchLimit : req.limit();
  return hub->Add(std::move(sources), std::move(f), sink);
}

}  // namespace ttads::ads
