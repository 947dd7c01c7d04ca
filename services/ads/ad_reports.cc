#include "services/ads/ad_reports.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/budget.h"
#include "nlohmann/json.hpp"
#include "services/ads/page_token.h"

namespace ttads::ads {
namespace {

// Reports, filtering: a list of {field_name, filter_type, filter_value}
// objects, all three set; filter_value is a string.
bool IsReportFiltering(const std::string& text) {
  nlohmann::json filtering = nlohmann::json::parse(text, nullptr, false);
  if (filtering.is_discarded() || !filtering.is_array()) return false;
  for (const auto& f : filtering) {
    if (!f.is_object() || f.size() != 3) return false;
    for (const char* k : {"field_name", "filter_type", "filter_value"}) {
      if (!f.contains(k) || !f[k].is_string()) return false;
    }
  }
  return true;
}

void CheckDates(const v1::ListAdReportsRequest& req, bool by_day, bool by_hour,
                std::vector<status::FieldViolation>* bad) {
  if (req.lifetime()) {
    if (!req.start_date().empty() || !req.end_date().empty()) {
      bad->push_back({"lifetime", "lifetime takes no start_date/end_date"});
    }
    if (by_day || by_hour) {
      bad->push_back({"dimensions", "lifetime reports cannot split by time"});
    }
    return;
  }
  absl::CivilDay start, end;
  const bool ok_start = absl::ParseCivilTime(req.start_date(), &start);
  const bool ok_end = absl::ParseCivilTime(req.end_date(), &end);
  if (!ok_start) {
    bad->push_back({"start_date", "required YYYY-MM-DD (or lifetime)"});
  }
  if (!ok_end)
    bad->push_back({"end_date", "required YYYY-MM-DD (or lifetime)"});
  if (!ok_start || !ok_end) return;
  const int64_t days = end - start + 1;
  if (days < 1) {
    bad->push_back({"end_date", "must not be before start_date"});
  } else if (by_hour && days > 1) {
    bad->push_back({"end_date", "hourly reports cover at most 1 day"});
  } else if (by_day && days > 30) {
    // Reports: 30 days with stat_time_day, 365 otherwise.
    bad->push_back({"end_date", "daily reports cover at most 30 days"});
  } else if (days > 365) {
    bad->push_back({"end_date", "reports cover at most 365 days"});
  }
}

}  // namespace

absl::StatusOr<v1::ListAdReportsResponse> AdReports::List(
    const server::CallContext& call, const v1::ListAdReportsRequest& req) {
  // Report pulls are background work (docs/tiktok-client.md).
  tiktok::BudgetScope budget(
      {tiktok::WorkClass::kBackground, call.caller.team_id});
  std::vector<status::FieldViolation> bad;
  ReportQuery query;
  // The enums' short names are TikTok's words; unset is TikTok's default. A
  // number an enum does not declare has no name.
  query.report_type = req.report_type() == v1::REPORT_TYPE_UNSPECIFIED
                          ? "BASIC"
                          : contracts::ShortName(req.report_type());
  query.service_type =
      req.service_type().empty() ? "AUCTION" : req.service_type();
  query.data_level = req.data_level() == v1::REPORT_DATA_LEVEL_UNSPECIFIED
                         ? "AUCTION_AD"
                         : contracts::ShortName(req.data_level());
  if (query.report_type.empty()) {
    bad.push_back({"report_type", "unknown report type"});
  }
  if (query.service_type != "AUCTION") {
    bad.push_back({"service_type", "must be AUCTION"});
  }
  if (query.data_level.empty()) {
    bad.push_back({"data_level", "unknown data level"});
  }
  if (req.dimensions_size() == 0) bad.push_back({"dimensions", "at least one"});
  if (req.metrics_size() == 0) bad.push_back({"metrics", "at least one"});
  if (req.page_size() < 0 || req.page_size() > 1000) {
    bad.push_back({"page_size", "1-1000"});
  }
  bool by_day = false, by_hour = false;
  for (const auto& d : req.dimensions()) {
    by_day |= d == "stat_time_day";
    by_hour |= d == "stat_time_hour";
  }
  CheckDates(req, by_day, by_hour, &bad);
  if (!req.filtering_json().empty() &&
      !IsReportFiltering(req.filtering_json())) {
    bad.push_back({"filtering_json",
                   "must be a JSON array of {field_name, filter_type, "
                   "filter_value} objects (strings)"});
  }
  TTADS_ASSIGN_OR_RETURN(int page, PageFromToken(req.page_token()));
  if (!bad.empty()) {
    return status::InvalidArgument("invalid report request", std::move(bad));
  }
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, req.advertiser_id()));
  query.dimensions.assign(req.dimensions().begin(), req.dimensions().end());
  query.metrics.assign(req.metrics().begin(), req.metrics().end());
  query.lifetime = req.lifetime();
  if (!req.lifetime()) {
    query.start_date = req.start_date();
    query.end_date = req.end_date();
  }
  query.filtering_json = req.filtering_json();
  query.page = page;
  query.page_size = req.page_size() == 0 ? 10 : req.page_size();
  TTADS_ASSIGN_OR_RETURN(ReportPage report,
                         tiktok_->GetReport(access, query, call.deadline));
  v1::ListAdReportsResponse out;
  for (auto& row : report.rows) *out.add_rows() = std::move(row);
  out.set_next_page_token(NextPageToken(page, report.total_page));
  out.set_total_size(static_cast<int>(report.total_number));
  return out;
}

}  // namespace ttads::ads
