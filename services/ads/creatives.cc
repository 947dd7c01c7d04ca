#include "services/ads/creatives.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

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
  return UploadImageBytes(token, advertiser_id, *std::move(bytes), field,
                          deadline);
}

absl::StatusOr<v1::Image> Creatives::UploadImageBytes(
    const std::string& token, const std::string& advertiser_id,
    std::string bytes, const std::string& field, absl::Time deadline) {
  auto info = fetch::InspectImage(bytes);
  if (!info.ok()) return AsFieldError(info.status(), field);
  tiktok::MultipartForm form;
  form.AddText("advertiser_id", advertiser_id);
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  std::string ext = info->format == fetch::ImageFormat::kPng ? "png" : "jpg";
  // TikTok names the material after the file; names are unique per
  // advertiser (40911), so the name carries the MD5 and a random suffix.
  absl::BitGen gen;
  std::string name =
      absl::StrCat("ttads-", tiktok::Md5Hex(bytes).substr(0, 12), "-",
                   absl::Hex(absl::Uniform<uint32_t>(gen)), ".", ext);
  form.AddFile(
      "image_file", name, std::move(bytes),
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

absl::StatusOr<v1::Video> Creatives::SendVideo(tiktok::HttpCall call,
                                               absl::Time deadline) {
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
  return video;
}

absl::StatusOr<v1::Video> Creatives::UploadVideoFile(
    const std::string& token, const std::string& advertiser_id,
    const std::string& path, absl::Time deadline) {
  tiktok::MultipartForm form;
  form.AddText("advertiser_id", advertiser_id);
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  absl::BitGen gen;
  absl::Status added = form.AddFileFromPath(
      "video_file", path, "video_signature", "video/mp4",
      absl::StrCat("ttads-video-", absl::Hex(absl::Uniform<uint64_t>(gen)),
                   ".mp4"));
  if (!added.ok()) return added;
  return SendVideo(
      tiktok::HttpCall::Upload("file/video/ad/upload/", std::move(form), token),
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
  absl::StatusOr<v1::Video> uploaded;
  if (!video_id.empty()) {
    nlohmann::json body = {{"advertiser_id", advertiser_id},
                           {"upload_type", "UPLOAD_BY_VIDEO_ID"},
                           {"video_id", video_id}};
    if (!file_name.empty()) body["file_name"] = file_name;
    uploaded = SendVideo(
        tiktok::HttpCall::Post("file/video/ad/upload/", body, token), deadline);
  } else {
    TempFile temp;
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
    if (file_name.empty()) {
      uploaded = UploadVideoFile(token, advertiser_id, temp.path, deadline);
    } else {
      tiktok::MultipartForm form;
      form.AddText("advertiser_id", advertiser_id);
      form.AddText("upload_type", "UPLOAD_BY_FILE");
      form.AddText("file_name", file_name);
      absl::BitGen gen;
      absl::Status added = form.AddFileFromPath(
          "video_file", temp.path, "video_signature", "video/mp4",
          absl::StrCat("ttads-video-", absl::Hex(absl::Uniform<uint64_t>(gen)),
                       ".mp4"));
      if (!added.ok()) return added;
      uploaded = SendVideo(tiktok::HttpCall::Upload("file/video/ad/upload/",
                                                    std::move(form), token),
                           deadline);
    }
  }
  if (!uploaded.ok()) return uploaded.status();
  v1::Video video = *std::move(uploaded);
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

absl::StatusOr<UploadedSlideshow> Creatives::UploadSlideshow(
    const std::string& token, const std::string& advertiser_id,
    const std::vector<std::string>& image_urls,
    const std::vector<std::string>& image_ids, absl::Time deadline) {
  // Where each image comes from, and the request field that names it.
  std::vector<std::pair<std::string, std::string>> sources;
  if (!image_urls.empty()) {
    for (size_t i = 0; i < image_urls.size(); ++i) {
      sources.push_back({image_urls[i], absl::StrCat("image_urls[", i, "]")});
    }
  } else {
    // /file/image/ad/info/ (Images/Get_info_about_images): up to 100 ids;
    // each image_url is valid for an hour, so it is used right away.
    auto env = client_->Call(
        tiktok::HttpCall::Get(
            "file/image/ad/info/",
            {{"advertiser_id", advertiser_id}, {"image_ids", image_ids}},
            token),
        deadline);
    if (!env.ok()) return env.status();
    std::map<std::string, std::string> urls;
    if (env->data.contains("list") && env->data["list"].is_array()) {
      for (const auto& img : env->data["list"]) {
        urls[Str(img, "image_id")] = Str(img, "image_url");
      }
    }
    for (size_t i = 0; i < image_ids.size(); ++i) {
      std::string field = absl::StrCat("image_ids[", i, "]");
      auto it = urls.find(image_ids[i]);
      if (it == urls.end() || it->second.empty()) {
        return status::InvalidArgument(
            absl::StrCat("image ", image_ids[i], " is not in advertiser ",
                         advertiser_id),
            {{field, "not found in this advertiser"}});
      }
      sources.push_back({it->second, field});
    }
  }

  TempFile temp;
  std::string tmpl = options_.temp_dir + "/ttads-slideshow-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return absl::InternalError("cannot create a temp file");
  close(fd);
  temp.path = tmpl;
  auto writer = media::SlideshowWriter::Create(
      temp.path, static_cast<int>(sources.size()), options_.slideshow);
  if (!writer.ok()) {
    return writer.status().code() == absl::StatusCode::kInvalidArgument
               ? AsFieldError(writer.status(),
                              image_urls.empty() ? "image_ids" : "image_urls")
               : writer.status();
  }
  fetch::FetchOptions fo = options_.fetch;
  fo.max_bytes = options_.max_image_bytes;
  for (const auto& [url, field] : sources) {
    auto bytes = fetch::FetchToString(url, fo);
    if (!bytes.ok()) return AsFieldError(bytes.status(), field);
    absl::Status added = (*writer)->AddImage(*bytes);
    if (!added.ok()) return AsFieldError(added, field);
  }
  auto rendered = (*writer)->Finish();
  if (!rendered.ok()) return rendered.status();
  writer->reset();

  auto video = UploadVideoFile(token, advertiser_id, temp.path, deadline);
  if (!video.ok()) return video.status();
  auto cover = UploadImageBytes(token, advertiser_id, rendered->cover_jpeg,
                                "cover", deadline);
  if (!cover.ok()) return cover.status();
  UploadedSlideshow out;
  out.video_id = video->video_id();
  out.cover_image_id = cover->image_id();
  out.images = static_cast<int>(sources.size());
  out.render = *std::move(rendered);
  return out;
}

}  // namespace ttads::ads
