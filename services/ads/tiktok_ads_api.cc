#include "services/ads/tiktok_ads_api.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/ads/internal/ad_wire.h"

namespace ttads::ads {
namespace {

using internal::JsonText;
using nlohmann::json;

std::string TikTokTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::UTCTimeZone());
}

int64_t Int(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  return j[key].get<int64_t>();
}

const json& ListOf(const json& data, const char* key = "list") {
  static const json* empty = new json(json::array());
  if (data.is_object() && data.contains(key) && data[key].is_array()) {
    return data[key];
  }
  return *empty;
}

void PageInfo(const json& data, int64_t* total_page, int64_t* total_number) {
  if (!data.is_object() || !data.contains("page_info") ||
      !data["page_info"].is_object()) {
    return;
  }
  *total_page = data["page_info"].value("total_page", int64_t{1});
  *total_number = data["page_info"].value("total_number", int64_t{0});
}

v1::Image ImageFromJson(const json& d) {
  v1::Image img;
  img.set_image_id(JsonText(d, "image_id"));
  img.set_material_id(JsonText(d, "material_id"));
  img.set_width(static_cast<int32_t>(Int(d, "width")));
  img.set_height(static_cast<int32_t>(Int(d, "height")));
  img.set_format(JsonText(d, "format"));
  img.set_size(Int(d, "size"));
  img.set_signature(JsonText(d, "signature"));
  img.set_url(JsonText(d, "image_url"));  // Upload an image: image_url.
  return img;
}

v1::Video VideoFromJson(json d) {
  if (d.is_array()) d = d.empty() ? json::object() : d[0];
  v1::Video video;
  video.set_video_id(JsonText(d, "video_id"));
  video.set_width(static_cast<int32_t>(Int(d, "width")));
  video.set_height(static_cast<int32_t>(Int(d, "height")));
  if (d.is_object() && d.contains("duration") && d["duration"].is_number()) {
    video.set_duration(d["duration"].get<double>());
  }
  video.set_format(JsonText(d, "format"));
  video.set_size(Int(d, "size"));
  video.set_signature(JsonText(d, "signature"));
  video.set_video_cover_url(JsonText(d, "video_cover_url"));
  return video;
}

class ClientAdsApi : public TikTokAdsApi {
 public:
  explicit ClientAdsApi(tiktok::Client* client) : client_(client) {}

  absl::StatusOr<AdPage> GetAds(const AdvertiserAccess& access,
                                const AdQuery& q,
                                absl::Time deadline) override {
    json filtering = json::object();
    if (!q.campaign_ids.empty()) filtering["campaign_ids"] = q.campaign_ids;
    if (!q.adgroup_ids.empty()) filtering["adgroup_ids"] = q.adgroup_ids;
    if (!q.ad_ids.empty()) filtering["ad_ids"] = q.ad_ids;
    if (!q.primary_status.empty()) {
      filtering["primary_status"] = q.primary_status;
    }
    if (q.created_after) {
      filtering["creation_filter_start_time"] = TikTokTime(*q.created_after);
    }
    if (q.created_before) {
      filtering["creation_filter_end_time"] = TikTokTime(*q.created_before);
    }
    if (q.modified_after) {
      filtering["modified_after"] = TikTokTime(*q.modified_after);
    }
    json params = {{"advertiser_id", access.advertiser_id},
                   {"filtering", filtering}};
    if (!q.fields.empty()) params["fields"] = q.fields;
    if (q.page > 0) params["page"] = q.page;
    if (q.page_size > 0) params["page_size"] = q.page_size;
    auto env = client_->Call(
        tiktok::HttpCall::Get("ad/get/", std::move(params), access.token),
        deadline);
    if (!env.ok()) return env.status();
    AdPage page;
    for (const auto& item : ListOf(env->data)) {
      if (!item.is_object()) continue;
      TikTokAd ad;
      ad.ad = internal::AdFromJson(item);
      ad.create_time = JsonText(item, "create_time");
      ad.modify_time = JsonText(item, "modify_time");
      ad.snapshot = item.dump();
      page.ads.push_back(std::move(ad));
    }
    PageInfo(env->data, &page.total_page, &page.total_number);
    return page;
  }

  absl::StatusOr<std::optional<TikTokAdGroup>> GetAdGroup(
      const AdvertiserAccess& access, const std::string& adgroup_id,
      absl::Time deadline) override {
    auto env = client_->Call(
        tiktok::HttpCall::Get("adgroup/get/",
                              {{"advertiser_id", access.advertiser_id},
                               {"filtering", {{"adgroup_ids", {adgroup_id}}}}},
                              access.token),
        deadline);
    if (!env.ok()) return env.status();
    const json& list = ListOf(env->data);
    if (list.empty()) return std::nullopt;
    TikTokAdGroup group;
    group.adgroup_id = adgroup_id;
    group.campaign_id = JsonText(list[0], "campaign_id");
    group.objective_type = JsonText(list[0], "objective_type");
    return group;
  }

  absl::StatusOr<std::string> CampaignObjective(const AdvertiserAccess& access,
                                                const std::string& campaign_id,
                                                absl::Time deadline) override {
    auto env =
        client_->Call(tiktok::HttpCall::Get(
                          "campaign/get/",
                          {{"advertiser_id", access.advertiser_id},
                           {"filtering", {{"campaign_ids", {campaign_id}}}}},
                          access.token),
                      deadline);
    if (!env.ok()) return env.status();
    const json& list = ListOf(env->data);
    return list.empty() ? std::string() : JsonText(list[0], "objective_type");
  }

  void CreateAd(const AdvertiserAccess& access, const std::string& adgroup_id,
                const AdCreative& creative, absl::Time deadline,
                CreateDone done) override {
    tiktok::HttpCall call = tiktok::HttpCall::Post(
        "ad/create/",
        {{"advertiser_id", access.advertiser_id},
         {"adgroup_id", adgroup_id},
         {"creatives", json::array({internal::CreativeJson(creative)})}},
        access.token);
    // TikTok has no idempotency key: the client must never resend it.
    call.idempotent = false;
    client_->Send(
        std::move(call), deadline,
        [done = std::move(done)](absl::StatusOr<tiktok::Envelope> result) {
          if (!result.ok()) return done(result.status());
          std::vector<std::string> ids;
          for (const auto& id : ListOf(result->data, "ad_ids")) {
            if (id.is_string()) {
              ids.push_back(id.get<std::string>());
            } else if (id.is_number_integer()) {
              ids.push_back(std::to_string(id.get<int64_t>()));
            }
          }
          done(std::move(ids));
        });
  }

  absl::Status UpdateAd(const AdvertiserAccess& access, const AdUpdate& update,
                        absl::Time deadline) override {
    auto env = client_->Call(
        tiktok::HttpCall::Post(
            "ad/update/",
            {{"advertiser_id", access.advertiser_id},
             {"adgroup_id", update.adgroup_id},
             {"patch_update", update.patch},
             {"creatives", json::array({internal::UpdateCreative(update)})}},
            access.token),
        deadline);
    return env.status();
  }

  absl::Status UpdateAdStatus(const AdvertiserAccess& access,
                              const std::vector<std::string>& ad_ids,
                              const std::string& operation,
                              absl::Time deadline) override {
    auto env = client_->Call(
        tiktok::HttpCall::Post("ad/status/update/",
                               {{"advertiser_id", access.advertiser_id},
                                {"ad_ids", ad_ids},
                                {"operation_status", operation}},
                               access.token),
        deadline);
    return env.status();
  }

  absl::StatusOr<ReportPage> GetReport(const AdvertiserAccess& access,
                                       const ReportQuery& q,
                                       absl::Time deadline) override {
    json params = {{"advertiser_id", access.advertiser_id},
                   {"report_type", q.report_type},
                   {"service_type", q.service_type},
                   {"data_level", q.data_level},
                   {"dimensions", q.dimensions},
                   {"metrics", q.metrics},
                   {"page", q.page},
                   {"page_size", q.page_size}};
    if (q.lifetime) {
      params["query_lifetime"] = true;
    } else {
      params["start_date"] = q.start_date;
      params["end_date"] = q.end_date;
    }
    if (!q.filtering_json.empty()) {
      json filtering = json::parse(q.filtering_json, nullptr, false);
      if (!filtering.is_discarded()) params["filtering"] = filtering;
    }
    auto env = client_->Call(
        tiktok::HttpCall::Get("report/integrated/get/", params, access.token),
        deadline);
    if (!env.ok()) return env.status();
    ReportPage out;
    for (const auto& row : ListOf(env->data)) {
      v1::ReportRow& r = out.rows.emplace_back();
      for (const char* part : {"dimensions", "metrics"}) {
        if (!row.is_object() || !row.contains(part) || !row[part].is_object()) {
          continue;
        }
        auto* map = std::string(part) == "dimensions" ? r.mutable_dimensions()
                                                      : r.mutable_metrics();
        for (const auto& [k, v] : row[part].items()) {
          std::string s = v.is_string() ? v.get<std::string>() : v.dump();
          if (s == "-" || v.is_null()) continue;  // absent, not zero
          (*map)[k] = s;
        }
      }
    }
    PageInfo(env->data, &out.total_page, &out.total_number);
    return out;
  }

  absl::StatusOr<v1::ListIdentityVideosResponse> GetIdentityVideos(
      const AdvertiserAccess& access, const IdentityVideoQuery& q,
      absl::Time deadline) override {
    json params = {{"advertiser_id", access.advertiser_id},
                   {"identity_id", q.identity_id},
                   {"identity_type", q.identity_type}};
    if (!q.identity_authorized_bc_id.empty()) {
      params["identity_authorized_bc_id"] = q.identity_authorized_bc_id;
    }
    if (!q.cursor.empty()) params["cursor"] = q.cursor;
    if (q.count > 0) params["count"] = q.count;
    auto env = client_->Call(
        tiktok::HttpCall::Get("identity/video/get/", params, access.token),
        deadline);
    if (!env.ok()) return env.status();
    v1::ListIdentityVideosResponse out;
    for (const auto& item : ListOf(env->data, "video_list")) {
      auto* v = out.add_videos();
      v->set_item_id(JsonText(item, "item_id"));
      v->set_text(JsonText(item, "text"));
      // TikTok's video_info carries no video id (a post is addressed by
      // item_id); video_id stays empty.
      if (item.is_object() && item.contains("video_info") &&
          item["video_info"].is_object()) {
        v->set_cover_url(JsonText(item["video_info"], "poster_url"));
      }
    }
    if (env->data.is_object() && env->data.value("has_more", false) &&
        env->data.contains("cursor")) {
      out.set_next_page_token(env->data["cursor"].is_string()
                                  ? env->data["cursor"].get<std::string>()
                                  : env->data["cursor"].dump());
    }
    return out;
  }

  absl::StatusOr<v1::Image> UploadImage(const AdvertiserAccess& access,
                                        const ImageUpload& upload,
                                        absl::Time deadline) override {
    tiktok::HttpCall call;
    switch (upload.kind) {
      case ImageUpload::Kind::kFile: {
        tiktok::MultipartForm form;
        form.AddText("advertiser_id", access.advertiser_id);
        form.AddText("upload_type", "UPLOAD_BY_FILE");
        form.AddFile("image_file", upload.file_name, upload.bytes,
                     upload.mime_type, "image_signature");
        call = tiktok::HttpCall::Upload("file/image/ad/upload/",
                                        std::move(form), access.token);
        break;
      }
      case ImageUpload::Kind::kFileId:
        call = tiktok::HttpCall::Post("file/image/ad/upload/",
                                      {{"advertiser_id", access.advertiser_id},
                                       {"upload_type", "UPLOAD_BY_FILE_ID"},
                                       {"file_id", upload.file_id}},
                                      access.token);
        break;
      case ImageUpload::Kind::kUrl:
        call = tiktok::HttpCall::Post("file/image/ad/upload/",
                                      {{"advertiser_id", access.advertiser_id},
                                       {"upload_type", "UPLOAD_BY_URL"},
                                       {"image_url", upload.url}},
                                      access.token);
        break;
    }
    auto env = client_->Call(std::move(call), deadline);
    if (!env.ok()) return env.status();
    v1::Image img = ImageFromJson(env->data);
    if (img.image_id().empty()) {
      return absl::UnavailableError("TikTok returned no image_id");
    }
    return img;
  }

  absl::StatusOr<v1::Video> UploadVideo(const AdvertiserAccess& access,
                                        const VideoUpload& upload,
                                        absl::Time deadline) override {
    tiktok::HttpCall call;
    if (upload.kind == VideoUpload::Kind::kVideoId) {
      json body = {{"advertiser_id", access.advertiser_id},
                   {"upload_type", "UPLOAD_BY_VIDEO_ID"},
                   {"video_id", upload.video_id}};
      if (!upload.file_name.empty()) body["file_name"] = upload.file_name;
      call = tiktok::HttpCall::Post("file/video/ad/upload/", std::move(body),
                                    access.token);
    } else {
      tiktok::MultipartForm form;
      form.AddText("advertiser_id", access.advertiser_id);
      form.AddText("upload_type", "UPLOAD_BY_FILE");
      if (!upload.file_name.empty())
        form.AddText("file_name", upload.file_name);
      absl::BitGen gen;
      absl::Status added = form.AddFileFromPath(
          "video_file", upload.path, "video_signature", "video/mp4",
          absl::StrCat("ttads-video-", absl::Hex(absl::Uniform<uint64_t>(gen)),
                       ".mp4"));
      if (!added.ok()) return added;
      call = tiktok::HttpCall::Upload("file/video/ad/upload/", std::move(form),
                                      access.token);
    }
    auto env = client_->Call(std::move(call), deadline);
    if (!env.ok()) return env.status();
    v1::Video video = VideoFromJson(env->data);
    if (video.video_id().empty()) {
      return absl::UnavailableError("TikTok returned no video_id");
    }
    return video;
  }

  absl::StatusOr<std::optional<std::string>> VideoCoverUrl(
      const AdvertiserAccess& access, const std::string& video_id,
      absl::Time deadline) override {
    auto env = client_->Call(
        tiktok::HttpCall::Get("file/video/ad/info/",
                              {{"advertiser_id", access.advertiser_id},
                               {"video_ids", json::array({video_id})}},
                              access.token),
        deadline);
    if (!env.ok()) return env.status();
    std::string cover;
    for (const auto& v : ListOf(env->data)) {
      if (JsonText(v, "video_id") == video_id) {
        cover = JsonText(v, "video_cover_url");
      }
    }
    // TikTok leaves out videos that cannot be used in ads.
    if (cover.empty()) return std::nullopt;
    return cover;
  }

  absl::StatusOr<std::map<std::string, std::string>> ImageUrls(
      const AdvertiserAccess& access, const std::vector<std::string>& image_ids,
      absl::Time deadline) override {
    // Images / Get info about images: up to 100 ids; each image_url is
    // valid for an hour.
    auto env = client_->Call(
        tiktok::HttpCall::Get(
            "file/image/ad/info/",
            {{"advertiser_id", access.advertiser_id}, {"image_ids", image_ids}},
            access.token),
        deadline);
    if (!env.ok()) return env.status();
    std::map<std::string, std::string> urls;
    for (const auto& img : ListOf(env->data)) {
      urls[JsonText(img, "image_id")] = JsonText(img, "image_url");
    }
    return urls;
  }

  absl::StatusOr<v1::CallTikTokApiResponse> Raw(const AdvertiserAccess& access,
                                                const RawCall& raw,
                                                absl::Time deadline) override {
    json params = json::object();
    for (const auto& [k, v] : raw.query) {
      json parsed = json::parse(v, nullptr, false);
      params[k] =
          (!parsed.is_discarded() && (parsed.is_array() || parsed.is_object()))
              ? parsed
              : json(v);
    }
    if (!params.contains("advertiser_id")) {
      params["advertiser_id"] = access.advertiser_id;
    }
    const std::string path = raw.path.substr(raw.path.empty() ? 0 : 1);
    tiktok::HttpCall hc;
    if (raw.method != "GET") {
      std::string body_text;
      (void)google::protobuf::util::MessageToJsonString(raw.body, &body_text);
      json body =
          json::parse(body_text.empty() ? "{}" : body_text, nullptr, false);
      if (!body.is_object()) body = json::object();
      for (const auto& [k, v] : params.items()) {
        if (!body.contains(k)) body[k] = v;
      }
      hc = tiktok::HttpCall::Post(path, body, access.token);
      if (raw.method == "PUT") hc.method = tiktok::HttpMethod::kPut;
      if (raw.method == "PATCH") hc.method = tiktok::HttpMethod::kPatch;
      if (raw.method == "DELETE") hc.method = tiktok::HttpMethod::kDelete;
    } else {
      hc = tiktok::HttpCall::Get(path, params, access.token);
    }
    hc.extra_headers = raw.headers;
    auto env = client_->Call(std::move(hc), deadline);
    if (!env.ok()) return env.status();
    v1::CallTikTokApiResponse out;
    out.set_code(env->code);
    out.set_message(env->message);
    out.set_request_id(env->request_id);
    if (env->data.is_object()) {
      (void)google::protobuf::util::JsonStringToMessage(env->data.dump(),
                                                        out.mutable_data());
    }
    return out;
  }

 private:
  tiktok::Client* client_;
};

}  // namespace

std::unique_ptr<TikTokAdsApi> NewClientAdsApi(tiktok::Client* client) {
  return std::make_unique<ClientAdsApi>(client);
}

}  // namespace ttads::ads
