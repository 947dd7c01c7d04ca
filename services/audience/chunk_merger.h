#ifndef TTADS_SERVICES_AUDIENCE_CHUNK_MERGER_H_
#define TTADS_SERVICES_AUDIENCE_CHUNK_MERGER_H_

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/audience/audience_store.h"

namespace ttads::audience {

// Streams the union of a job's sorted chunks of one type in ascending
// order with duplicates across chunks removed (a k-way merge), reading each
// chunk from Redis in windows of `window` digests: memory is
// chunks x window x 32 bytes, whatever the job size. The cursor (next
// index in each chunk) is a deterministic checkpoint: a merger built from a
// saved cursor continues exactly where the saved one stood.
class ChunkMerger {
 public:
  ChunkMerger(AudienceStore* store, std::string team, std::string job,
              IdType type, std::vector<int64_t> cursor, int64_t window = 2048);

  // The next unique digest; false at the end. Every copy of the returned
  // digest has been consumed (counted in duplicates()) before it returns,
  // so a cursor taken afterwards never yields it again.
  absl::StatusOr<bool> Next(Digest* out);
  const std::vector<int64_t>& cursor() const { return cursor_; }
  int64_t duplicates() const { return duplicates_; }
  void ResetDuplicates() { duplicates_ = 0; }

 private:
  struct Source {
    std::string window;  // raw digests
    size_t pos = 0;      // byte offset in window
    bool exhausted = false;
  };
  absl::Status Fill(size_t i);
  absl::Status Init();
  // Advances source i by one digest and re-queues it.
  absl::Status Pop(size_t i);

  using Head = std::pair<Digest, size_t>;
  AudienceStore* store_;
  std::string team_;
  std::string job_;
  IdType type_;
  std::vector<int64_t> cursor_;
  int64_t window_;
  std::vector<Source> sources_;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap_;
  bool initialised_ = false;
  int64_t duplicates_ = 0;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_CHUNK_MERGER_H_
