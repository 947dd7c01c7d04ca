#include "services/audience/disqualifier.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {
namespace {

using Digests = std::array<std::vector<Digest>, identifiers::kIdTypeCount>;

// The valid digests of `batches` under one normaliser (phone digests depend
// on its region).
struct Hashed {
  Digests digests;
  int64_t valid = 0;
};

Hashed Hash(const identifiers::Normalizer& normalizer,
            const std::vector<Batch>& batches) {
  Hashed h;
  std::string scratch;
  for (const Batch& b : batches) {
    identifiers::BatchMode mode;
    for (const std::string& v : b.values) {
      Digest d;
      bool hashed = false;
      auto r = normalizer.Digest(b.type, v, d.data(), &hashed, &scratch);
      if (r == identifiers::Reason::kOk) r = mode.Check(hashed);
      if (r != identifiers::Reason::kOk) continue;
      h.digests[static_cast<int>(b.type)].push_back(d);
      ++h.valid;
    }
  }
  return h;
}

}  // namespace

Disqualifier::Disqualifier(AudienceStore* store, AudienceRegistry* audiences,
                           identifiers::NormalizerOptions normalizer)
    : store_(store),
      audiences_(audiences),
      normalizer_(std::move(normalizer)) {}

absl::StatusOr<Disqualified> Disqualifier::Disqualify(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id, const std::vector<Batch>& batches,
    const std::string& default_region) {
  TTADS_ASSIGN_OR_RETURN(const std::string region,
                         CanonicalRegionOrError(default_region));
  std::vector<AudienceRecord> targets;
  if (audience_id.empty()) {
    if (advertiser_id.empty()) {
      return status::InvalidArgument(
          "advertiser_id or audience_id is required",
          {{"advertiser_id", "required when audience_id is empty"}});
    }
    TTADS_ASSIGN_OR_RETURN(targets, audiences_->List(who, advertiser_id));
  } else {
    TTADS_ASSIGN_OR_RETURN(AudienceRecord a,
                           audiences_->Owned(who, advertiser_id, audience_id));
    targets.push_back(std::move(a));
  }
  // Hashed once per distinct effective region.
  std::map<std::string, Hashed> by_region;
  int64_t valid = 0;
  for (const auto& a : targets) {
    const identifiers::Normalizer n = NormalizerFor(normalizer_, region, a);
    const std::string& key = n.options().default_region;
    if (!by_region.count(key)) {
      by_region[key] = Hash(n, batches);
      valid = std::max(valid, by_region[key].valid);
    }
  }
  if (targets.empty()) valid = Hash(normalizer_, batches).valid;
  if (valid == 0) {
    return status::InvalidArgument(
        "no valid identifier to disqualify",
        {{"batches", "no value is a valid identifier of its type"}});
  }
  Disqualified out;
  for (const auto& a : targets) {
    const Digests& digests =
        by_region
            [NormalizerFor(normalizer_, region, a).options().default_region]
                .digests;
    for (int t = 0; t < identifiers::kIdTypeCount; ++t) {
      TTADS_RETURN_IF_ERROR(store_->QueueRemovals(
          who.team_id, a.id, static_cast<IdType>(t), digests[t]));
    }
    auto next = store_->NextRefresh(who.team_id, a.id);
    if (next.ok() && !next->has_value()) {
      (void)store_->ScheduleRefresh(
          who.team_id, a.id,
          absl::Now() + absl::Seconds(a.refresh_interval_seconds));
    }
    out.audience_ids.push_back(a.id);
  }
  out.queued = valid;
  return out;
}

}  // namespace ttads::audience
