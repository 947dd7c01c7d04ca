#include "services/preflight/tiktok_asset_source.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
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

json ToJson(const std::vector<FoundAsset>& assets) {
  json out = json::array();
  for (const FoundAsset& a : assets) out.push_back({a.id, a.name, a.type});
  return out;
}

bool FromJson(const json& in, std::vector<FoundAsset>* out) {
  if (!in.is_array()) return false;
  for (const json& a : in) {
    if (!a.is_array() || a.size() != 3) return false;
    out->push_back({a[0].get<std::string>(), a[1].get<std::string>(),
                    a[2].get<std::string>()});
  }
  return true;
}

}  // namespace

std::string_view AssetTypeName(AssetType type) {
  switch (type) {
    case AssetType::kPixel:
      return "pixel";
    case AssetType::kCatalog:
      return "catalog";
    case AssetType::kApp:
      return "app";
    case AssetType::kLeadForm:
      return "leadForm";
  }
  return "";
}

std::string SerializeAssetList(const AssetList& list) {
  return json{{"usable", ToJson(list.usable)},
              {"unusable", ToJson(list.unusable)}}
      .dump();
}

absl::StatusOr<AssetList> ParseAssetList(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  AssetList list;
  try {
    if (!j.is_object() || !FromJson(j.value("usable", json()), &list.usable) ||
        !FromJson(j.value("unusable", json()), &list.unusable)) {
      return absl::DataLossError("malformed cached asset list");
    }
  } catch (const json::exception&) {
    return absl::DataLossError("malformed cached asset list");
  }
  return list;
}

TikTokAssetSource::TikTokAssetSource(tiktok::Client* client,
                                     store::RedisPool* redis,
                                     TikTokAssetSourceOptions options)
    : client_(client), redis_(redis), options_(options) {}

std::string TikTokAssetSource::CacheKey(std::string_view team_id,
                                        std::string_view advertiser_id,
                                        AssetType type,
                                        std::string_view business_center_id) {
  std::string suffix = absl::StrCat("cache:assets:", std::string(advertiser_id),
                                    ":", std::string(AssetTypeName(type)));
  if (type == AssetType::kCatalog) {
    absl::StrAppend(&suffix, ":", std::string(business_center_id));
  }
  return store::TeamKey(team_id, suffix);
}

absl::StatusOr<AssetList> TikTokAssetSource::List(const AssetQuery& query,
                                                  AssetType type) {
  if (type == AssetType::kCatalog && query.business_center_id.empty()) {
    return status::WithErrorInfo(
        absl::FailedPreconditionError(
            "catalogs need a Business Center and none is known for this "
            "advertiser"),
        "NO_BUSINESS_CENTER");
  }
  const std::string key = CacheKey(query.team_id, query.advertiser_id, type,
                                   query.business_center_id);
  auto cached = redis_->Command({"GET", key});
  if (cached.ok() && cached->type == store::RedisReply::Type::kString) {
    auto list = ParseAssetList(cached->str);
    if (list.ok()) return list;
  }
  return flights_.Do(key, [&]() -> absl::StatusOr<AssetList> {
    auto list = Fetch(query, type);
    if (list.ok()) {
      (void)redis_->Command(
          {"SET", key, SerializeAssetList(*list), "PX",
           std::to_string(absl::ToInt64Milliseconds(options_.cache_ttl))});
    }
    return list;
  });
}

absl::StatusOr<AssetList> TikTokAssetSource::Fetch(const AssetQuery& query,
                                                   AssetType type) {
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
