#include "libs/tiktok/multipart.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::tiktok {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string HexDigest(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  return HexDigest(ctx.get());
}

absl::StatusOr<std::string> Md5HexOfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) {
      EVP_DigestUpdate(ctx.get(), buffer.data(),
                       static_cast<size_t>(in.gcount()));
    }
  }
  if (in.bad()) return absl::InternalError(absl::StrCat("cannot read ", path));
  return HexDigest(ctx.get());
}

void MultipartForm::AddText(std::string name, std::string value) {
  MultipartPart part;
  part.name = std::move(name);
  part.value = std::move(value);
  parts_.push_back(std::move(part));
}

void MultipartForm::AddFile(std::string name, std::string filename,
                            std::string data, std::string content_type,
                            std::string signature_field) {
  if (!signature_field.empty()) {
    AddText(std::move(signature_field), Md5Hex(data));
  }
  MultipartPart part;
  part.name = std::move(name);
  part.is_file = true;
  part.size = data.size();
  part.value = std::move(data);
  part.filename = std::move(filename);
  part.content_type = std::move(content_type);
  parts_.push_back(std::move(part));
}

absl::Status MultipartForm::AddFileFromPath(std::string name, std::string path,
                                            std::string signature_field,
                                            std::string content_type,
                                            std::string filename) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot read upload file ", path, ": ", ec.message()));
  }
  if (!signature_field.empty()) {
    TTADS_ASSIGN_OR_RETURN(std::string md5, Md5HexOfFile(path));
    AddText(std::move(signature_field), std::move(md5));
  }
  MultipartPart part;
  part.name = std::move(name);
  part.is_file = true;
  part.size = size;
  part.filename = filename.empty()
                      ? std::filesystem::path(path).filename().string()
                      : std::move(filename);
  part.file_path = std::move(path);
  part.content_type = std::move(content_type);
  parts_.push_back(std::move(part));
  return absl::OkStatus();
}

std::vector<const MultipartPart*> MultipartForm::WireOrder() const {
  std::vector<const MultipartPart*> order;
  for (const MultipartPart& part : parts_) {
    if (!part.is_file) order.push_back(&part);
  }
  for (const MultipartPart& part : parts_) {
    if (part.is_file) order.push_back(&part);
  }
  return order;
}

std::string MultipartForm::TextValue(std::string_view name) const {
  for (const MultipartPart& part : parts_) {
    if (!part.is_file && part.name == name) return part.value;
  }
  return "";
}

absl::StatusOr<curl_mime*> MultipartForm::BuildMime(CURL* easy) const {
  curl_mime* mime = curl_mime_init(easy);
  if (mime == nullptr) return absl::InternalError("curl_mime_init failed");
  for (const MultipartPart* part : WireOrder()) {
    curl_mimepart* field = curl_mime_addpart(mime);
    CURLcode rc = curl_mime_name(field, part->name.c_str());
    if (rc == CURLE_OK && !part->file_path.empty()) {
      rc = curl_mime_filedata(field, part->file_path.c_str());
    } else if (rc == CURLE_OK) {
      rc = curl_mime_data(field, part->value.data(), part->value.size());
    }
    if (rc == CURLE_OK && part->is_file) {
      rc = curl_mime_filename(field, part->filename.c_str());
      if (rc == CURLE_OK && !part->content_type.empty()) {
        rc = curl_mime_type(field, part->content_type.c_str());
      }
    }
    if (rc != CURLE_OK) {
      curl_mime_free(mime);
      return absl::InternalError(absl::StrCat("building multipart field ",
                                              part->name, ": ",
                                              curl_easy_strerror(rc)));
    }
  }
  return mime;
}

}  // namespace ttads::tiktok
