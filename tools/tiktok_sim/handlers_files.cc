// Creative material: image upload, video upload, video info.
// The simulator never fetches URLs: UPLOAD_BY_URL records the URL and
// fabricates deterministic material from it.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"
#include "tools/tiktok_sim/media.h"

namespace ttads::tiktok_sim {
namespace {

constexpr size_t kMaxImageBytes = 10 * 1024 * 1024;

bool NameTaken(const std::map<std::string, Json>& m, const std::string& adv,
               const std::string& name) {
  for (const auto& [id, j] : m) {
    if (j["advertiser_id"] == adv && j.value("file_name", "") == name) {
      return true;
    }
  }
  return false;
}

// Reads a file part plus its MD5 signature. Returns an error result or fills
// *data.
std::optional<ApiResult> ReadSignedFile(const ApiRequest& req,
                                        const std::string& file_field,
                                        const std::string& sig_field,
                                        const MultipartPart** part) {
  auto it = req.files.find(file_field);
  if (it == req.files.end()) {
    return Err(kFileMissing, absl::StrCat(file_field, ": file is missing"));
  }
  if (it->second.data.empty()) {
    return Err(kFileEmpty, absl::StrCat(file_field, ": file is empty"));
  }
  std::string sig = ParamString(req.params, sig_field).value_or("");
  if (sig.empty())
    return Err(kParamError, absl::StrCat(sig_field, ": required"));
  if (!absl::EqualsIgnoreCase(sig, Md5Hex(it->second.data))) {
    return Err(kSignatureMismatch,
               absl::StrCat(sig_field, ": does not match the file's MD5"));
  }
  *part = &it->second;
  return std::nullopt;
}

ApiResult ImageUpload(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type =
      ParamString(req.params, "upload_type").value_or("UPLOAD_BY_FILE");
  // Its 1-100 characters (not bytes) are the contract's (contract/files.json).
  std::string file_name = ParamString(req.params, "file_name").value_or("");
  Json img = {{"advertiser_id", adv},
              {"is_carousel_usable", true},
              {"displayable", true}};
  const std::string* bytes = nullptr;  // The file's, for UPLOAD_BY_FILE.
  if (type == "UPLOAD_BY_FILE") {
    const MultipartPart* part = nullptr;
    if (auto e = ReadSignedFile(req, "image_file", "image_signature", &part)) {
      return *e;
    }
    if (part->data.size() > kMaxImageBytes) {
      return Err(kFileTooLarge, "image_file: larger than 10 MB");
    }
    auto info = SniffImage(part->data);
    if (!info) return Err(kFileWrongType, "image_file: not a JPG or PNG image");
    img["width"] = info->width;
    img["height"] = info->height;
    img["format"] = info->format;
    img["size"] = part->data.size();
    img["signature"] = Md5Hex(part->data);
    if (file_name.empty()) file_name = part->filename;
    bytes = &part->data;
  } else if (type == "UPLOAD_BY_URL") {
    std::string url = ParamString(req.params, "image_url").value_or("");
    if (url.empty()) return Err(kParamError, "image_url: required");
    std::string sig = Md5Hex(url);
    img["width"] = 1080;
    img["height"] = 1080;
    img["format"] = absl::EndsWithIgnoreCase(url, ".png") ? "png" : "jpeg";
    img["size"] = 100000 + std::stoul(sig.substr(0, 4), nullptr, 16);
    img["signature"] = sig;
    img["source_url"] = url;
  } else if (type == "UPLOAD_BY_FILE_ID") {
    std::string file_id = ParamString(req.params, "file_id").value_or("");
    if (file_id.empty()) return Err(kParamError, "file_id: required");
    img["width"] = 1080;
    img["height"] = 1080;
    img["format"] = "jpeg";
    img["size"] = 150000;
    img["signature"] = Md5Hex(file_id);
    img["file_id"] = file_id;
  } else {
    return Err(kParamError, absl::StrCat("upload_type: unsupported ", type));
  }
  if (file_name.empty()) file_name = absl::StrCat("image_", s.next_id);
  if (NameTaken(s.images, adv, file_name)) {
    return Err(kDuplicateName,
               absl::StrCat("file_name: duplicate material name ", file_name));
  }
  std::string id = s.NewId();
  img["image_id"] = id;
  img["material_id"] = id;
  img["file_name"] = file_name;
  // A file's bytes are served back at image_url (GET /_media/image/<id>),
  // so a client can fetch what it uploaded, as from TikTok's CDN.
  std::string where = bytes != nullptr && !s.media_root.empty()
                          ? absl::StrCat(s.media_root, "/_media/image/")
                          : "https://sim.local/image/";
  img["image_url"] =
      absl::StrCat(where, id, ".", img["format"].get<std::string>());
  if (bytes != nullptr) s.image_bytes[id] = *bytes;
  img["create_time"] = NowString();
  img["modify_time"] = img["create_time"];
  s.images[id] = img;
  Json out = img;
  out.erase("advertiser_id");
  return Ok(out);
}

ApiResult VideoUpload(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type =
      ParamString(req.params, "upload_type").value_or("UPLOAD_BY_FILE");
  std::string file_name = ParamString(req.params, "file_name").value_or("");
  Json v = {{"advertiser_id", adv},
            {"width", 1080},
            {"height", 1920},
            {"format", "mp4"},
            {"displayable", true},
            {"allowed_placements", Json::array({"PLACEMENT_TIKTOK"})}};
  std::string basis;
  if (type == "UPLOAD_BY_FILE") {
    const MultipartPart* part = nullptr;
    if (auto e = ReadSignedFile(req, "video_file", "video_signature", &part)) {
      return *e;
    }
    basis = Md5Hex(part->data);
    v["size"] = part->data.size();
    if (file_name.empty()) file_name = part->filename;
  } else if (type == "UPLOAD_BY_URL") {
    std::string url = ParamString(req.params, "video_url").value_or("");
    if (url.empty()) return Err(kParamError, "video_url: required");
    basis = Md5Hex(url);
    v["size"] = 1000000 + std::stoul(basis.substr(0, 5), nullptr, 16);
    v["source_url"] = url;
  } else if (type == "UPLOAD_BY_FILE_ID") {
    std::string file_id = ParamString(req.params, "file_id").value_or("");
    if (file_id.empty()) return Err(kParamError, "file_id: required");
    basis = Md5Hex(file_id);
    v["size"] = 2000000;
  } else if (type == "UPLOAD_BY_VIDEO_ID") {
    std::string vid = ParamString(req.params, "video_id").value_or("");
    auto it = s.videos.find(vid);
    if (it == s.videos.end()) return Err(kNotFound, "video_id: not found");
    basis = it->second["signature"];
    v["size"] = it->second["size"];
  } else {
    return Err(kParamError, absl::StrCat("upload_type: unsupported ", type));
  }
  if (file_name.empty()) file_name = absl::StrCat("video_", s.next_id);
  if (NameTaken(s.videos, adv, file_name)) {
    return Err(kDuplicateName,
               absl::StrCat("file_name: duplicate material name ", file_name));
  }
  std::string id = s.NewId();
  v["video_id"] = id;
  v["material_id"] = id;
  v["signature"] = basis;
  v["file_name"] = file_name;
  // Deterministic duration 5.0–60.9 s derived from the content signature.
  v["duration"] =
      5.0 + (std::stoul(basis.substr(0, 4), nullptr, 16) % 560) / 10.0;
  v["video_cover_url"] =
      absl::StrCat("https://sim.local/video/", id, "/cover.jpg");
  v["preview_url"] = absl::StrCat("https://sim.local/video/", id, ".mp4");
  v["create_time"] = NowString();
  v["modify_time"] = v["create_time"];
  s.videos[id] = v;
  Json out = v;
  out.erase("advertiser_id");
  return Ok(Json::array({out}));
}

ApiResult VideoInfo(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "video_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  // Presence and the 1..60 bound are the contract's (contract/files.json).
  Json list = Json::array();
  for (const auto& id : ids.value_or(std::vector<std::string>{})) {
    auto it = s.videos.find(id);
    if (it == s.videos.end() || it->second["advertiser_id"] != adv) continue;
    Json out = it->second;
    out.erase("advertiser_id");
    list.push_back(out);
  }
  return Ok({{"list", list}});
}

// Get info about images (Images/Get_info_about_images): `image_ids`, 1-100,
// a JSON array in the query; images of other advertisers are left out.
ApiResult ImagesInfo(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "image_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  // Presence and the 1..100 bound are the contract's (contract/assets.json).
  Json list = Json::array();
  for (const auto& id : ids.value_or(std::vector<std::string>{})) {
    auto it = s.images.find(id);
    if (it == s.images.end() || it->second["advertiser_id"] != adv) continue;
    Json out = it->second;
    out.erase("advertiser_id");
    list.push_back(out);
  }
  return Ok({{"list", list}});
}

}  // namespace

void AddFileRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST", "/file/image/ad/upload/", true, false, ImageUpload});
  routes.push_back(
      {"POST", "/file/video/ad/upload/", true, false, VideoUpload});
  routes.push_back({"GET", "/file/video/ad/info/", true, false, VideoInfo});
  routes.push_back({"GET", "/file/image/ad/info/", true, false, ImagesInfo});
}

}  // namespace ttads::tiktok_sim
