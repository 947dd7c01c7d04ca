#include "services/ads/creatives.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/fetch/image_info.h"
#include "libs/status/status.h"

namespace ttads::ads {
namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

int64_t Int(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  return j[key].get<int64_t>();
}

absl::Status AsFieldError(absl::Status s, const std::string& field) {
  if (s.code() == absl::StatusCode::kInvalidArgument ||
      s.code() == absl::StatusCode::kPermissionDenied) {
    return status::InvalidArgument(std::string(s.message()),
                                   {{field, std::string(s.message())}});
  }
  return s;
}

// A private temp file removed when this goes out of scope.
struct TempFile {
  std::string path;
  FILE* f = nullptr;
  ~TempFile() {
    if (f) fclose(f);
    if (!path.empty()) unlink(path.c_str());
  }
};

}  // namespace

absl::StatusOr<v1::Image> Creatives::SendImage(tiktok::HttpCall call,
                                               absl::Time deadline) {
  auto env = client_->Call(std::move(call), deadline);
  if (!env.ok()) return env.status();
  const auto& d = env->data;
  v1::Image img;
  img.set_image_id(Str(d, "image_id"));
  img.set_material_id(Str(d, "material_id"));
  img.set_width(static_cast<int32_t>(Int(d, "width")));
  img.set_height(static_cast<int32_t>(Int(d, "height")));
  img.set_format(Str(d, "format"));
  img.set_size(Int(d, "size"));
  img.set_signature(Str(d, "signature"));
  img.set_url(Str(d, "image_url"));  // Upload an image: the field is image_url.
  if (img.image_id().empty())
    return absl::UnavailableError("TikTok returned no image_id");
  return img;
}

absl::StatusOr<v1::Image> Creatives::UploadImageUrl(
    const std::string& token, const std::string& advertiser_id,
    const std::string& url, const std::string& field, absl::Time deadline) {
  fetch::FetchOptions fo = options_.fetch;
  fo.max_bytes = options_.max_image_bytes;
  auto bytes = fetch::FetchToString(url, fo);
  if (!bytes.ok()) return AsFieldError(bytes.status(), field);
  auto info = fetch::InspectImage(*bytes);
  if (!info.ok()) return AsFieldError(info.status(), field);
  tiktok::MultipartForm form;
  form.AddText("advertiser_id", advertiser_id);
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  std::string ext = info->format == fetch::ImageFormat::kPng ? "png" : "jpg";
  // TikTok names the material after the file; names are unique per
  // advertiser (40911), so the name carries the MD5 and a random suffix.
  absl::BitGen gen;
  std::string name =
      absl::StrCat("ttads-", tiktok::Md5Hex(*bytes).substr(0, 12), "-",
                   absl::Hex(absl::Uniform<uint32_t>(gen)), ".", ext);
  form.AddFile(
      "image_file", name, *std::move(bytes),
      info->format == fetch::ImageFormat::kPng ? "image/png" : "image/jpeg",
      "image_signature");
  return SendImage(
      tiktok::HttpCall::Upload("file/image/ad/upload/", std::move(form), token),
      deadline);
}

absl::StatusOr<v1::Image> Creatives::UploadImageFileId(
    const std::string& token, const std::string& advertiser_id,
    const std::string& file_id, absl::Time deadline) {
  return SendImage(tiktok::HttpCall::Post("file/image/ad/upload/",
                                          {{"advertiser_id", advertiser_id},
                                           {"upload_type", "UPLOAD_BY_FILE_ID"},
                                           {"file_id", file_id}},
                                          token),
                   deadline);
}

absl::StatusOr<v1::Image> Creatives::CoverOfVideo(
    const std::string& token, const std::string& advertiser_id,
    const std::string& video_id, absl::Time deadline) {
  auto env = client_->Call(
      tiktok::HttpCall::Get("file/video/ad/info/",
                            {{"advertiser_id", advertiser_id},
                             {"video_ids", nlohmann::json::array({video_id})}},
                            token),
      deadline);
  if (!env.ok()) return env.status();
  const nlohmann::json& list =
      env->data.contains("list") ? env->data["list"] : nlohmann::json::array();
  std::string cover;
  if (list.is_array()) {
    for (const auto& v : list) {
      if (Str(v, "video_id") == video_id) cover = Str(v, "video_cover_url");
    }
  }
  if (cover.empty()) {
    // TikTok leaves out videos that cannot be used in ads.
    return status::InvalidArgument(
        absl::StrCat("video ", video_id,
                     " is not usable in ads of this advertiser (TikTok "
                     "returned no cover for it)"),
        {{"video_id", "not an ad video of this advertiser"}});
  }
  return SendImage(tiktok::HttpCall::Post("file/image/ad/upload/",
                                          {{"advertiser_id", advertiser_id},
                                           {"upload_type", "UPLOAD_BY_URL"},
                                           {"image_url", cover}},
                                          token),
                   deadline);
}

absl::StatusOr<v1::Video> Creatives::UploadVideo(
    const std::string& token, const std::string& advertiser_id,
    const std::string& url, const std::string& video_id,
    const std::string& file_name, absl::Time deadline) {
  tiktok::HttpCall call;
  TempFile temp;
  if (!video_id.empty()) {
    nlohmann::json body = {{"advertiser_id", advertiser_id},
                           {"upload_type", "UPLOAD_BY_VIDEO_ID"},
                           {"video_id", video_id}};
    if (!file_name.empty()) body["file_name"] = file_name;
    call = tiktok::HttpCall::Post("file/video/ad/upload/", body, token);
  } else {
    std::string tmpl = options_.temp_dir + "/ttads-video-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) return absl::InternalError("cannot create a temp file");
    temp.path = tmpl;
    temp.f = fdopen(fd, "wb");
    fetch::FetchOptions fo = options_.fetch;
    fo.max_bytes = options_.max_video_bytes;
    fo.timeout = absl::Minutes(10);
    auto fetched = fetch::Fetch(url, fo, [&](std::string_view chunk) {
      return fwrite(chunk.data(), 1, chunk.size(), temp.f) == chunk.size();
    });
    if (!fetched.ok()) return AsFieldError(fetched.status(), "video_url");
    fclose(temp.f);
    temp.f = nullptr;
    if (fetched->bytes == 0) {
      return status::InvalidArgument("the video is empty",
                                     {{"video_url", "empty file"}});
    }
    tiktok::MultipartForm form;
    form.AddText("advertiser_id", advertiser_id);
    form.AddText("upload_type", "UPLOAD_BY_FILE");
    if (!file_name.empty()) form.AddText("file_name", file_name);
    absl::BitGen gen;
    absl::Status added = form.AddFileFromPath(
        "video_file", temp.path, "video_signature", "video/mp4",
        absl::StrCat("ttads-video-", absl::Hex(absl::Uniform<uint64_t>(gen)),
                     ".mp4"));
    if (!added.ok()) return added;
    call = tiktok::HttpCall::Upload("file/video/ad/upload/", std::move(form),
                                    token);
  }
  auto env = client_->Call(std::move(call), deadline);
  if (!env.ok()) return env.status();
  nlohmann::json d = env->data;
  if (d.is_array()) d = d.empty() ? nlohmann::json::object() : d[0];
  v1::Video video;
  video.set_video_id(Str(d, "video_id"));
  video.set_width(static_cast<int32_t>(Int(d, "width")));
  video.set_height(static_cast<int32_t>(Int(d, "height")));
  if (d.contains("duration") && d["duration"].is_number()) {
    video.set_duration(d["duration"].get<double>());
  }
  video.set_format(Str(d, "format"));
  video.set_size(Int(d, "size"));
  video.set_signature(Str(d, "signature"));
  video.set_video_cover_url(Str(d, "video_cover_url"));
  if (video.video_id().empty())
    return absl::UnavailableError("TikTok returned no video_id");
  if (!video.video_cover_url().empty()) {
    auto cover = SendImage(
        tiktok::HttpCall::Post("file/image/ad/upload/",
                               {{"advertiser_id", advertiser_id},
                                {"upload_type", "UPLOAD_BY_URL"},
                                {"image_url", video.video_cover_url()}},
                               token),
        deadline);
    if (!cover.ok()) return cover.status();
    video.set_cover_image_id(cover->image_id());
  }
  return video;
}

}  // namespace ttads::ads
