#include "services/preflight/publish_check_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace ttads::preflight {
namespace {

bool Covers(PrerequisiteSet have, PrerequisiteSet need) {
  for (int i = 0; i < kPrerequisiteCount; ++i) {
    if (need.Has(Prerequisite(i)) && !have.Has(Prerequisite(i))) return false;
  }
  return true;
}

}  // namespace

PublishCheckCache::PublishCheckCache(Options options)
    : options_(std::move(options)) {}

std::string PublishCheckCache::Key(const server::CallContext& call,
                                   const std::string& advertiser_id,
                                   const std::string& business_center_id) {
  return absl::StrCat(call.caller.team_id, "|", call.caller.member_id, "|",
                      call.caller.role, "|", advertiser_id, "|",
                      business_center_id);
}

std::shared_ptr<const Findings> PublishCheckCache::Find(const std::string& key,
                                                        PrerequisiteSet needs) {
  if (!enabled()) return nullptr;
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires <= now ||
      !Covers(it->second.findings->known, needs)) {
    return nullptr;
  }
  return it->second.findings;
}

void PublishCheckCache::Remember(const std::string& key,
                                 const Findings& findings) {
  if (!enabled() || !findings.cacheable) return;
  auto stored = std::make_shared<const Findings>(findings);
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= options_.max_entries) {
    absl::erase_if(entries_,
                   [now](const auto& kv) { return kv.second.expires <= now; });
    if (entries_.size() >= options_.max_entries) entries_.clear();
  }
  Entry& slot = entries_[key];
  slot.findings = std::move(stored);
  slot.expires = now + options_.ttl;
}

}  // namespace ttads::preflight
