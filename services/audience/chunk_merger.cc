#include "services/audience/chunk_merger.h"

#include <algorithm>

#include "libs/status/status_macros.h"

namespace ttads::audience {

ChunkMerger::ChunkMerger(AudienceStore* store, std::string team,
                         std::string job, IdType type,
                         std::vector<int64_t> cursor, int64_t window)
    : store_(store),
      team_(std::move(team)),
      job_(std::move(job)),
      type_(type),
      cursor_(std::move(cursor)),
      window_(window),
      sources_(cursor_.size()) {}

absl::Status ChunkMerger::Fill(size_t i) {
  Source& s = sources_[i];
  TTADS_ASSIGN_OR_RETURN(
      auto data, store_->ReadChunk(team_, job_, type_, static_cast<int64_t>(i),
                                   cursor_[i], window_));
  s.window = std::move(data);
  s.window.resize(s.window.size() / 32 * 32);
  s.pos = 0;
  if (s.window.empty()) s.exhausted = true;
  return absl::OkStatus();
}

absl::Status ChunkMerger::Init() {
  initialised_ = true;
  for (size_t i = 0; i < sources_.size(); ++i) {
    TTADS_RETURN_IF_ERROR(Fill(i));
    if (sources_[i].exhausted) continue;
    Digest d;
    std::copy_n(sources_[i].window.data(), 32, d.begin());
    heap_.push({d, i});
  }
  return absl::OkStatus();
}

absl::Status ChunkMerger::Pop(size_t i) {
  Source& s = sources_[i];
  s.pos += 32;
  ++cursor_[i];
  if (s.pos >= s.window.size()) {
    TTADS_RETURN_IF_ERROR(Fill(i));
    if (s.exhausted) return absl::OkStatus();
  }
  Digest d;
  std::copy_n(s.window.data() + s.pos, 32, d.begin());
  heap_.push({d, i});
  return absl::OkStatus();
}

absl::StatusOr<bool> ChunkMerger::Next(Digest* out) {
  if (!initialised_) {
    TTADS_RETURN_IF_ERROR(Init());
  }
  if (heap_.empty()) return false;
  Head top = heap_.top();
  heap_.pop();
  *out = top.first;
  TTADS_RETURN_IF_ERROR(Pop(top.second));
  while (!heap_.empty() && heap_.top().first == *out) {
    Head dup = heap_.top();
    heap_.pop();
    ++duplicates_;
    TTADS_RETURN_IF_ERROR(Pop(dup.second));
  }
  return true;
}

}  // namespace ttads::audience
