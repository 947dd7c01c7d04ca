#ifndef TTADS_LIBS_TIKTOK_MULTIPART_H_
#define TTADS_LIBS_TIKTOK_MULTIPART_H_

#include <curl/curl.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ttads::tiktok {

// Lowercase hex MD5 of `data` (TikTok's `*_signature` fields).
std::string Md5Hex(std::string_view data);
// Lowercase hex MD5 of a file, read in chunks (works for 500 MB videos).
// NOT_FOUND when the file cannot be opened, INTERNAL on a read error.
absl::StatusOr<std::string> Md5HexOfFile(const std::string& path);

// One part of a multipart/form-data body.
struct MultipartPart {
  std::string name;
  bool is_file = false;
  std::string value;      // text value, or file content held in memory
  std::string file_path;  // file streamed from disk (value is then empty)
  std::string filename;   // sent in Content-Disposition for file parts
  std::string content_type;
  uint64_t size = 0;  // bytes of a file part
};

// A multipart/form-data body for TikTok uploads (`/file/image/ad/upload/`,
// `/file/video/ad/upload/`, `/dmp/custom_audience/file/upload/`). File parts
// may carry their MD5 as a separate text field (e.g. `image_signature`),
// computed here so callers cannot get it wrong. A file part read from disk
// is streamed by libcurl during the upload, never loaded into memory.
// On the wire, text fields come first and file parts last, so a server can
// read the signature before the file.
class MultipartForm {
 public:
  void AddText(std::string name, std::string value);

  // File content held in memory. When `signature_field` is not empty, adds
  // the text field `signature_field` = Md5Hex(data).
  void AddFile(std::string name, std::string filename, std::string data,
               std::string content_type = "application/octet-stream",
               std::string signature_field = "");

  // File streamed from `path`. Reads the file once now to compute its MD5
  // (when `signature_field` is set) and size. `filename` defaults to the
  // path's last component. NOT_FOUND when the file cannot be read.
  absl::Status AddFileFromPath(
      std::string name, std::string path, std::string signature_field = "",
      std::string content_type = "application/octet-stream",
      std::string filename = "");

  // Parts in wire order (text first, then files).
  std::vector<const MultipartPart*> WireOrder() const;
  const std::vector<MultipartPart>& parts() const { return parts_; }
  // Value of the text field `name`, or "" (for tests and logs).
  std::string TextValue(std::string_view name) const;

  // Builds the libcurl MIME structure for `easy`. The caller frees it with
  // curl_mime_free() after the transfer. In-memory data is copied.
  absl::StatusOr<curl_mime*> BuildMime(CURL* easy) const;

 private:
  std::vector<MultipartPart> parts_;
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_MULTIPART_H_
