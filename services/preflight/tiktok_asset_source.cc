#include "services/preflight/tiktok_asset_source.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace ttads::preflight {
namespace {

using nlohmann::json;

std::string Str(const json& item, const char* key) {
  auto it = item.find(key);
  if (it == item.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

const json& Array(const json& data, const char* key) {
  static const json kEmpty = json::array();
  if (!data.is_object()) return kEmpty;
  auto it = data.find(key);
  if (it == data.end() || !it->is_array()) return kEmpty;
  return *it;
}

}  // namespace

TikTokAssetSource::TikTokAssetSource(tiktok::Client* client,
                                     TikTokAssetSourceOptions options)
    : client_(client), options_(options) {}

absl::StatusOr<AssetList> TikTokAssetSource::List(const AssetQuery& query,
                                                  AssetType type) {
  if (type == AssetType::kCatalog && query.business_center_id.empty()) {
    return status::WithErrorInfo(
        absl::FailedPreconditionError(
            "catalogs need a Business Center and none is known for this "
            "advertiser"),
        "NO_BUSINESS_CENTER");
  }
  json params = json::object();
  std::string path;
  const char* list_key = "list";
  switch (type) {
    case AssetType::kPixel:
      path = "pixel/list/";
      params = {{"advertiser_id", query.advertiser_id}, {"page_size", 20}};
      list_key = "pixels";
      break;
    case AssetType::kCatalog:
      path = "catalog/get/";
      params = {{"bc_id", query.business_center_id}, {"page_size", 100}};
      break;
    case AssetType::kApp:
      path = "app/list/";
      params = {{"advertiser_id", query.advertiser_id}};
      list_key = "apps";
      break;
    case AssetType::kLeadForm:
      path = "page/get/";
      params = {{"advertiser_id", query.advertiser_id},
                {"business_type", "LEAD_GEN"},
                {"page_size", 100}};
      break;
  }
  tiktok::HttpCall call =
      tiktok::HttpCall::Get(path, std::move(params), query.access_token);
  call.advertiser_id = query.advertiser_id;
  const absl::Time deadline =
      std::min(query.deadline, absl::Now() + options_.call_timeout);
  upstream_calls_.fetch_add(1);
  TTADS_ASSIGN_OR_RETURN(tiktok::Envelope envelope,
                         client_->Call(std::move(call), deadline));

  AssetList out;
  for (const json& item : Array(envelope.data, list_key)) {
    switch (type) {
      case AssetType::kPixel:
        out.usable.push_back({Str(item, "pixel_id"), Str(item, "pixel_name"),
                              Str(item, "pixel_code")});
        break;
      case AssetType::kCatalog:
        out.usable.push_back({Str(item, "catalog_id"),
                              Str(item, "catalog_name"),
                              Str(item, "catalog_type")});
        break;
      case AssetType::kApp:
        out.usable.push_back({Str(item, "app_id"), Str(item, "app_name"),
                              Str(item, "platform")});
        break;
      case AssetType::kLeadForm: {
        FoundAsset form{Str(item, "page_id"), Str(item, "title"),
                        Str(item, "status")};
        (form.type == "PUBLISHED" ? out.usable : out.unusable)
            .push_back(std::move(form));
        break;
      }
    }
  }
  return out;
}

}  // namespace ttads::preflight
