#include "services/audience/digest_spool.h"

#include <algorithm>

#include "libs/status/status_macros.h"

namespace ttads::audience {

using identifiers::IdType;
using identifiers::Reason;

namespace {
constexpr int kSamplesPerReason = 5;
constexpr size_t kMaxSampleBytes = 80;
}  // namespace

DigestSpool::DigestSpool(AudienceStore* store, std::string team_id,
                         std::string job_id,
                         const identifiers::Normalizer* normalizer,
                         size_t chunk_digests)
    : store_(store),
      team_id_(std::move(team_id)),
      job_id_(std::move(job_id)),
      normalizer_(normalizer),
      chunk_digests_(std::max<size_t>(chunk_digests, 1)) {}

void DigestSpool::CountInvalid(Reason reason, const std::string& value) {
  const std::string name(identifiers::ReasonName(reason));
  ++pending_.invalid[name];
  int& taken = samples_taken_[name];
  if (taken < kSamplesPerReason) {
    ++taken;
    pending_.samples[name].push_back(value.substr(0, kMaxSampleBytes));
  }
}

absl::Status DigestSpool::AddBatch(
    IdType type, size_t count,
    const std::function<const std::string&(size_t)>& value_at) {
  identifiers::BatchMode mode;
  auto& buffer = buffers_[static_cast<int>(type)];
  for (size_t i = 0; i < count; ++i) {
    ++received_;
    ++pending_.received;
    Digest d;
    bool hashed = false;
    const std::string& value = value_at(i);
    Reason r = normalizer_->Digest(type, value, d.data(), &hashed, &scratch_);
    if (r == Reason::kOk) r = mode.Check(hashed);
    if (r != Reason::kOk) {
      CountInvalid(r, value);
      continue;
    }
    ++valid_;
    buffer.push_back(d);
    if (buffer.size() >= chunk_digests_) {
      TTADS_RETURN_IF_ERROR(Flush(type));
    }
  }
  return absl::OkStatus();
}

absl::Status DigestSpool::Flush(IdType type) {
  auto& buffer = buffers_[static_cast<int>(type)];
  if (buffer.empty()) return absl::OkStatus();
  std::sort(buffer.begin(), buffer.end());
  const auto end = std::unique(buffer.begin(), buffer.end());
  pending_.duplicates += buffer.end() - end;
  buffer.erase(end, buffer.end());
  TTADS_RETURN_IF_ERROR(store_->WriteChunk(team_id_, job_id_, type,
                                           chunks_[static_cast<int>(type)],
                                           buffer, pending_));
  ++chunks_[static_cast<int>(type)];
  pending_.Clear();
  buffer.clear();
  return absl::OkStatus();
}

absl::Status DigestSpool::Finish() {
  for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
    TTADS_RETURN_IF_ERROR(Flush(static_cast<IdType>(t)));
    buffers_[t].shrink_to_fit();
  }
  if (pending_.received || !pending_.invalid.empty()) {
    TTADS_RETURN_IF_ERROR(store_->AddCounts(team_id_, job_id_, pending_));
    pending_.Clear();
  }
  return absl::OkStatus();
}

}  // namespace ttads::audience
