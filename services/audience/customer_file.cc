#include "services/audience/customer_file.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ttads::audience {

int64_t DigestsPerFile(IdType type, int64_t max_file_bytes) {
  const int64_t header =
      static_cast<int64_t>(identifiers::FileHeader(type).size()) + 1;
  return std::max<int64_t>(1, (max_file_bytes - header) / kLineBytes);
}

absl::StatusOr<CustomerFileWriter> CustomerFileWriter::Open(
    const std::string& path, IdType type) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create ", path));
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  const absl::string_view header = identifiers::FileHeader(type);
  std::fwrite(header.data(), 1, header.size(), f);
  std::fputc('\n', f);
  return CustomerFileWriter(f, static_cast<int64_t>(header.size()) + 1);
}

CustomerFileWriter::CustomerFileWriter(CustomerFileWriter&& other) noexcept
    : file_(other.file_), count_(other.count_), bytes_(other.bytes_) {
  other.file_ = nullptr;
}

CustomerFileWriter::~CustomerFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status CustomerFileWriter::Append(const Digest& digest) {
  char line[kLineBytes];
  identifiers::HexEncode(digest.data(), 32, line);
  line[64] = '\n';
  if (std::fwrite(line, 1, kLineBytes, file_) != kLineBytes) {
    return absl::InternalError("write failed");
  }
  ++count_;
  bytes_ += kLineBytes;
  return absl::OkStatus();
}

absl::Status CustomerFileWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  const int rc = std::fclose(file_);
  file_ = nullptr;
  return rc == 0 ? absl::OkStatus() : absl::InternalError("close failed");
}

}  // namespace ttads::audience
