#ifndef TTADS_SERVICES_AUDIENCE_DIGEST_SPOOL_H_
#define TTADS_SERVICES_AUDIENCE_DIGEST_SPOOL_H_

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_store.h"

namespace ttads::audience {

// The receive phase of a sync job: normalises and hashes incoming values,
// counts invalid ones by reason (keeping a few samples), and spools the
// 32-byte digests into Redis as sorted, de-duplicated chunks of at most
// `chunk_digests` each (one buffer per identifier type), so memory stays
// bounded whatever the job size. Counts are written in the same
// transaction as the chunk they belong to. Not thread-safe (one stream).
class DigestSpool {
 public:
  DigestSpool(AudienceStore* store, std::string team_id, std::string job_id,
              const identifiers::Normalizer* normalizer, size_t chunk_digests);

  // One batch (one "field"): hashed and raw values must not be mixed.
  absl::Status AddBatch(identifiers::IdType type, const std::string* values,
                        size_t count) {
    return AddBatch(type, count, [values](size_t i) -> const std::string& {
      return values[i];
    });
  }
  // The same over any indexable container (e.g. a repeated proto field).
  absl::Status AddBatch(
      identifiers::IdType type, size_t count,
      const std::function<const std::string&(size_t)>& value_at);
  // Flushes every buffer and the remaining counts.
  absl::Status Finish();

  int64_t valid() const { return valid_; }
  int64_t received() const { return received_; }

 private:
  absl::Status Flush(identifiers::IdType type);
  void CountInvalid(identifiers::Reason reason, const std::string& value);

  AudienceStore* store_;
  std::string team_id_;
  std::string job_id_;
  const identifiers::Normalizer* normalizer_;
  size_t chunk_digests_;
  std::array<std::vector<Digest>, identifiers::kIdTypeCount> buffers_;
  std::array<int64_t, identifiers::kIdTypeCount> chunks_{};
  ReceiveCounts pending_;
  std::map<std::string, int> samples_taken_;
  std::string scratch_;
  int64_t valid_ = 0;
  int64_t received_ = 0;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_DIGEST_SPOOL_H_
