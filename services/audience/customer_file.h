#ifndef TTADS_SERVICES_AUDIENCE_CUSTOMER_FILE_H_
#define TTADS_SERVICES_AUDIENCE_CUSTOMER_FILE_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/audience/audience_store.h"

namespace ttads::audience {

// Bytes of one digest line: 64 hex characters and '\n'.
inline constexpr int64_t kLineBytes = 65;

// Most digests a file of `max_file_bytes` can hold after the header row of
// `type` (at least 1).
int64_t DigestsPerFile(IdType type, int64_t max_file_bytes);

// Writes one TikTok customer file to disk: the header row (e.g.
// "Email_SHA256"), then one lowercase hex digest per line, each line ending
// in '\n'. Buffered; the file is closed by Close() or the destructor.
class CustomerFileWriter {
 public:
  static absl::StatusOr<CustomerFileWriter> Open(const std::string& path,
                                                 IdType type);
  CustomerFileWriter(CustomerFileWriter&& other) noexcept;
  CustomerFileWriter& operator=(CustomerFileWriter&&) = delete;
  ~CustomerFileWriter();

  absl::Status Append(const Digest& digest);
  absl::Status Close();
  int64_t count() const { return count_; }
  int64_t bytes() const { return bytes_; }

 private:
  CustomerFileWriter(std::FILE* file, int64_t header_bytes)
      : file_(file), bytes_(header_bytes) {}
  std::FILE* file_;
  int64_t count_ = 0;
  int64_t bytes_ = 0;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_CUSTOMER_FILE_H_
