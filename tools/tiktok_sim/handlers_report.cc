// Synchronous integrated report with deterministic metrics per object and
// day (or hour). Metrics come back as strings; some are "-" (no data), as on
// TikTok.

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

uint64_t Fnv(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Every metric of one row, derived from (object id, time bucket).
Json Metrics(const std::string& id, const std::string& bucket, bool hourly,
             const Json& wanted) {
  uint64_t h = Fnv(id + "|" + bucket);
  long long impressions = 500 + static_cast<long long>(h % 9500);
  if (hourly) impressions /= 24;
  long long clicks =
      impressions * static_cast<long long>(1 + (h >> 8) % 40) / 1000;
  long long conversions =
      ((h >> 16) % 5 == 0) ? 0 : clicks / (3 + (h >> 20) % 7);
  double cpm = 2.0 + static_cast<double>((h >> 24) % 800) / 100.0;
  double spend = impressions * cpm / 1000.0;
  auto money = [](double v) { return absl::StrFormat("%.2f", v); };
  Json all = {
      {"spend", money(spend)},
      {"impressions", std::to_string(impressions)},
      {"clicks", std::to_string(clicks)},
      {"ctr", impressions
                  ? absl::StrFormat("%.2f", 100.0 * clicks / impressions)
                  : "-"},
      {"cpc", clicks ? money(spend / clicks) : "-"},
      {"cpm", money(cpm)},
      {"reach", hourly ? "-" : std::to_string(impressions * 7 / 10)},
      {"frequency", hourly ? "-" : "1.43"},
      {"conversion", std::to_string(conversions)},
      {"cost_per_conversion", conversions ? money(spend / conversions) : "-"},
      {"conversion_rate",
       clicks && conversions
           ? absl::StrFormat("%.2f", 100.0 * conversions / clicks)
           : "-"},
      {"video_play_actions", std::to_string(impressions * 8 / 10)},
      {"video_watched_2s", std::to_string(impressions * 5 / 10)},
      {"video_watched_6s", std::to_string(impressions * 3 / 10)},
      {"likes", std::to_string(clicks / 2)},
      {"comments", std::to_string(clicks / 20)},
      {"shares", std::to_string(clicks / 15)},
      {"follows", std::to_string(clicks / 25)}};
  Json out = Json::object();
  for (const auto& m : wanted) {
    if (!m.is_string()) continue;
    std::string name = m.get<std::string>();
    out[name] = all.contains(name) ? all[name] : Json("-");
  }
  return out;
}

ApiResult ReportIntegratedGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string report_type = ParamString(req.params, "report_type").value_or("");
  if (report_type != "BASIC") {
    return Err(kParamError, "report_type: only BASIC is simulated");
  }
  std::string level =
      ParamString(req.params, "data_level").value_or("AUCTION_AD");
  std::string id_dim;
  const std::map<std::string, Json>* objects = nullptr;
  if (level == "AUCTION_AD") {
    id_dim = "ad_id";
    objects = &s.ads;
  } else if (level == "AUCTION_ADGROUP") {
    id_dim = "adgroup_id";
    objects = &s.adgroups;
  } else if (level == "AUCTION_CAMPAIGN") {
    id_dim = "campaign_id";
    objects = &s.campaigns;
  } else if (level == "AUCTION_ADVERTISER") {
    id_dim = "advertiser_id";
    objects = &s.advertisers;
  } else {
    return Err(kParamError, absl::StrCat("data_level: unknown value ", level));
  }
  std::string error;
  auto dims = ParamJson(req.params, "dimensions", &error);
  auto metrics = ParamJson(req.params, "metrics", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!dims || !dims->is_array() || dims->empty()) {
    return Err(kParamError, "dimensions: required JSON array");
  }
  Json wanted = metrics && metrics->is_array()
                    ? *metrics
                    : Json::array({"spend", "impressions"});
  bool by_day = false, by_hour = false, by_id = false;
  for (const auto& d : *dims) {
    if (d == "stat_time_day") {
      by_day = true;
    } else if (d == "stat_time_hour") {
      by_hour = true;
    } else if (d == id_dim) {
      by_id = true;
    } else {
      return Err(kParamError, absl::StrCat("dimensions: unsupported ", d.dump(),
                                           " for ", level));
    }
  }
  if (by_day && by_hour) {
    return Err(kParamError,
               "dimensions: stat_time_day and stat_time_hour are exclusive");
  }
  bool lifetime =
      ParamString(req.params, "query_lifetime").value_or("") == "true";
  absl::CivilDay start, end;
  if (!lifetime) {
    std::string a = ParamString(req.params, "start_date").value_or("");
    std::string b = ParamString(req.params, "end_date").value_or("");
    if (!absl::ParseCivilTime(a, &start) || !absl::ParseCivilTime(b, &end)) {
      return Err(kParamError, "start_date/end_date: required, YYYY-MM-DD");
    }
    if (end < start) return Err(kParamError, "end_date: before start_date");
    if (by_hour && end - start > 0) {
      return Err(kParamError,
                 "start_date/end_date: at most 1 day with stat_time_hour");
    }
    if (by_day && end - start > 29) {
      return Err(kParamError,
                 "start_date/end_date: at most 30 days with stat_time_day");
    }
    if (end - start > 364) {
      return Err(kParamError, "start_date/end_date: at most 365 days");
    }
  } else if (by_day || by_hour) {
    return Err(kParamError, "query_lifetime: no time dimension allowed");
  }
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 1000, &paging)) return *e;

  std::vector<std::string> ids;
  if (by_id) {
    for (const auto& [id, o] : *objects) {
      if (o.value("advertiser_id", "") == adv &&
          o.value("secondary_status", "") != "AD_STATUS_DELETE") {
        ids.push_back(id);
      }
    }
  } else {
    ids.push_back(adv);
  }
  std::vector<std::string> buckets;
  if (lifetime) {
    buckets.push_back("lifetime");
  } else {
    for (absl::CivilDay d = start; d <= end; ++d) {
      if (by_hour) {
        for (int hr = 0; hr < 24; ++hr) {
          buckets.push_back(
              absl::StrFormat("%s %02d:00:00", absl::FormatCivilTime(d), hr));
        }
      } else {
        buckets.push_back(absl::StrCat(absl::FormatCivilTime(d), " 00:00:00"));
      }
    }
  }
  std::vector<Json> rows;
  for (const auto& id : ids) {
    if (by_day || by_hour) {
      for (const auto& b : buckets) {
        Json dimensions = Json::object();
        if (by_id) dimensions[id_dim] = id;
        dimensions[by_day ? "stat_time_day" : "stat_time_hour"] = b;
        rows.push_back({{"dimensions", dimensions},
                        {"metrics", Metrics(id, b, by_hour, wanted)}});
      }
    } else {
      // Totals over the range: deterministic per id and range.
      std::string bucket = lifetime
                               ? "lifetime"
                               : absl::StrCat(absl::FormatCivilTime(start), "/",
                                              absl::FormatCivilTime(end));
      Json dimensions = Json::object();
      if (by_id) dimensions[id_dim] = id;
      rows.push_back({{"dimensions", dimensions},
                      {"metrics", Metrics(id, bucket, false, wanted)}});
    }
  }
  return Ok(ListData("list", rows, paging));
}

}  // namespace

void AddReportRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"GET", "/report/integrated/get/", true, false, ReportIntegratedGet});
}

}  // namespace ttads::tiktok_sim
