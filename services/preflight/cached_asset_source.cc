#include "services/preflight/cached_asset_source.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/store/key_schema.h"
#include "nlohmann/json.hpp"

namespace ttads::preflight {
namespace {

using nlohmann::json;

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

CachedAssetSource::CachedAssetSource(AssetSource* inner,
                                     store::RedisPool* redis,
                                     CachedAssetSourceOptions options)
    : inner_(inner), redis_(redis), options_(options) {}

std::string CachedAssetSource::CacheKey(std::string_view team_id,
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

absl::StatusOr<AssetList> CachedAssetSource::List(const AssetQuery& query,
                                                  AssetType type) {
  if (type == AssetType::kCatalog && query.business_center_id.empty()) {
    return inner_->List(query, type);
  }
  const std::string key = CacheKey(query.team_id, query.advertiser_id, type,
                                   query.business_center_id);
  auto cached = redis_->Command({"GET", key});
  if (cached.ok() && cached->type == store::RedisReply::Type::kString) {
    auto list = ParseAssetList(cached->str);
    if (list.ok()) return list;
  }
  return flights_.Do(key, [&]() -> absl::StatusOr<AssetList> {
    auto list = inner_->List(query, type);
    if (list.ok()) {
      (void)redis_->Command(
          {"SET", key, SerializeAssetList(*list), "PX",
           std::to_string(absl::ToInt64Milliseconds(options_.ttl))});
    }
    return list;
  });
}

}  // namespace ttads::preflight
