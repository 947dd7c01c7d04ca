#include "services/ads/creatives.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/fetch/image_info.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/multipart.h"

namespace ttads::ads {
namespace {

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
  std::string ext = info->format == fetch::ImageFormat::kPng ? "png" : "jpg";
  // TikTok names the material after the file; names are unique per
  // advertiser (40911), so the name carries the MD5 and a random suffix.
  absl::BitGen gen;
  std::string name =
      absl::StrCat("ttads-", tiktok::Md5Hex(bytes).substr(0, 12), "-",
                   absl::Hex(absl::Uniform<uint32_t>(gen)), ".", ext);
  ImageUpload upload;
  upload.kind = ImageUpload::Kind::kFile;
  upload.file_name = std::move(name);
  upload.bytes = std::move(bytes);
  upload.mime_type =
      info->format == fetch::ImageFormat::kPng ? "image/png" : "image/jpeg";
  return tiktok_->UploadImage({advertiser_id, token}, upload, deadline);
}

absl::StatusOr<v1::Image> Creatives::UploadImageFileId(
    const std::string& token, const std::string& advertiser_id,
    const std::string& file_id, absl::Time deadline) {
  ImageUpload upload;
  upload.kind = ImageUpload::Kind::kFileId;
  upload.file_id = file_id;
  return tiktok_->UploadImage({advertiser_id, token}, upload, deadline);
}

absl::StatusOr<v1::Image> Creatives::UploadCoverUrl(
    const std::string& token, const std::string& advertiser_id,
    const std::string& url, absl::Time deadline) {
  ImageUpload upload;
  upload.kind = ImageUpload::Kind::kUrl;
  upload.url = url;
  return tiktok_->UploadImage({advertiser_id, token}, upload, deadline);
}

absl::StatusOr<v1::Image> Creatives::CoverOfVideo(
    const std::string& token, const std::string& advertiser_id,
    const std::string& video_id, absl::Time deadline) {
  TTADS_ASSIGN_OR_RETURN(
      std::optional<std::string> cover,
      tiktok_->VideoCoverUrl({advertiser_id, token}, video_id, deadline));
  if (!cover.has_value()) {
    // TikTok leaves out videos that cannot be used in ads.
    return status::InvalidArgument(
        absl::StrCat("video ", video_id,
                     " is not usable in ads of this advertiser (TikTok "
                     "returned no cover for it)"),
        {{"video_id", "not an ad video of this advertiser"}});
  }
  return UploadCoverUrl(token, advertiser_id, *cover, deadline);
}

absl::StatusOr<v1::Video> Creatives::UploadVideo(
    const std::string& token, const std::string& advertiser_id,
    const std::string& url, const std::string& video_id,
    const std::string& file_name, absl::Time deadline) {
  absl::StatusOr<v1::Video> uploaded;
  if (!video_id.empty()) {
    VideoUpload upload;
    upload.kind = VideoUpload::Kind::kVideoId;
    upload.video_id = video_id;
    upload.file_name = file_name;
    uploaded = tiktok_->UploadVideo({advertiser_id, token}, upload, deadline);
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
    VideoUpload upload;
    upload.kind = VideoUpload::Kind::kFile;
    upload.path = temp.path;
    upload.file_name = file_name;
    uploaded = tiktok_->UploadVideo({advertiser_id, token}, upload, deadline);
  }
  TTADS_ASSIGN_OR_RETURN(v1::Video video, std::move(uploaded));
  if (!video.video_cover_url().empty()) {
    TTADS_ASSIGN_OR_RETURN(v1::Image cover,
                           UploadCoverUrl(token, advertiser_id,
                                          video.video_cover_url(), deadline));
    video.set_cover_image_id(cover.image_id());
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
    using UrlsById = std::map<std::string, std::string>;
    TTADS_ASSIGN_OR_RETURN(
        UrlsById urls,
        tiktok_->ImageUrls({advertiser_id, token}, image_ids, deadline));
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
  TTADS_ASSIGN_OR_RETURN(media::SlideshowResult rendered, (*writer)->Finish());
  writer->reset();

  VideoUpload upload;
  upload.kind = VideoUpload::Kind::kFile;
  upload.path = temp.path;
  TTADS_ASSIGN_OR_RETURN(
      v1::Video video,
      tiktok_->UploadVideo({advertiser_id, token}, upload, deadline));
  TTADS_ASSIGN_OR_RETURN(v1::Image cover, UploadImageBytes(token, advertiser_id,
                                                           rendered.cover_jpeg,
                                                           "cover", deadline));
  UploadedSlideshow out;
  out.video_id = video.video_id();
  out.cover_image_id = cover.image_id();
  out.images = static_cast<int>(sources.size());
  out.render = std::move(rendered);
  return out;
}

}  // namespace ttads::ads
