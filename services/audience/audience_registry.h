#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_REGISTRY_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audience/audience_store.h"
#include "services/audience/requester.h"
#include "services/audience/sync_worker.h"
#include "services/audience/tiktok_audience_api.h"

namespace ttads::audience {

// An audience as GetAudience answers it: the record, TikTok's size and
// validity once the audience exists there, and what waits for it.
struct AudienceView {
  AudienceRecord record;
  int64_t size = 0;
  bool is_valid = false;
  std::vector<std::string> history;
  int64_t pending_removals = 0;
  std::optional<absl::Time> next_refresh;
};

// What Create asks for: CreateAudienceRequest's parent `advertiser_id` and
// the settable fields of its `audience`. Create's field violations use the
// request's paths ("advertiser_id", "audience.name", …).
struct AudienceSpec {
  std::string advertiser_id;
  // 1-128 characters (code points) of UTF-8.
  std::string name;
  // The contract's IdentifierType numbers (EMAIL = 1 … MAID = 5); at least
  // one; repeats are kept once.
  std::vector<int> identifier_types;
  // 0 (the process default) to 90 days.
  int64_t refresh_interval_seconds = 0;
  // Empty or an ISO 3166-1 alpha-2 code (any case): the region phone numbers
  // without "+" are read in for this audience (empty: the process-wide one).
  std::string default_region;
};

// How Create writes the record (the idempotency hooks of CreateAudience).
struct CreateOptions {
  // The id to create the audience under; empty: a new one.
  std::string audience_id;
  // Called with the id once the request is valid, just before the record
  // is written; an error stops the create (nothing is written).
  std::function<absl::Status(const std::string& audience_id)> before_write;
};

// One page of a list read at an offset.
template <typename T>
struct Page {
  std::vector<T> items;
  // The offset of the next page as a token; empty on the last page.
  std::string next_page_token;
};

// Reads a list request's paging fields: `page_size` 1-100 (0 or less: 50),
// `page_token` the offset a previous page returned (empty or unreadable: 0).
struct PageRequest {
  size_t start = 0;
  size_t size = 50;
  static PageRequest Of(int32_t page_size, const std::string& page_token);
  // The token of the page after this one when `total` items exist.
  std::string NextToken(size_t total) const;
};

// The team's audiences: tenant-scoped records bound (once the first ADD job
// has created it) to a TikTok customer-file audience. Create validates and
// writes the record and schedules its first refresh cycle; TikTok's
// audience is made by the first sync job, not here. An audience of another
// team, or of another advertiser than the one named, is NOT_FOUND, never
// PERMISSION_DENIED.
class AudienceRegistry {
 public:
  // `default_refresh_interval_seconds`: the cycle of an audience created
  // without one.
  AudienceRegistry(AudienceStore* store, TikTokAudienceApi* tiktok,
                   TokenSource* tokens,
                   int64_t default_refresh_interval_seconds = 86400);

  // INVALID_ARGUMENT with field violations on advertiser_id, audience.name,
  // audience.identifier_types[i], audience.refresh_interval_seconds and
  // audience.default_region (all that apply, nothing written); the token
  // resolver's FAILED_PRECONDITION / PERMISSION_DENIED when the team cannot
  // reach the advertiser. The first refresh cycle is due one interval after
  // creation.
  absl::StatusOr<AudienceView> Create(const Requester& who,
                                      const AudienceSpec& spec,
                                      const CreateOptions& create = {});
  // The team's audiences (of `advertiser_id` when not empty).
  absl::StatusOr<std::vector<AudienceRecord>> List(
      const Requester& who, const std::string& advertiser_id);
  // One page of List, in List's order.
  absl::StatusOr<Page<AudienceRecord>> ListPage(
      const Requester& who, const std::string& advertiser_id,
      const PageRequest& page);
  // With TikTok's size and validity once the audience exists there, the
  // upload history, pending removals and the next refresh time.
  absl::StatusOr<AudienceView> Get(const Requester& who,
                                   const std::string& advertiser_id,
                                   const std::string& audience_id);
  // Deletes TikTok's audience (when there is one) and then the record.
  absl::Status Delete(const Requester& who, const std::string& advertiser_id,
                      const std::string& audience_id);
  // The record when it is the caller team's (and `advertiser_id`'s, when
  // not empty); NOT_FOUND otherwise.
  absl::StatusOr<AudienceRecord> Owned(const Requester& who,
                                       const std::string& advertiser_id,
                                       const std::string& audience_id);

 private:
  AudienceStore* store_;
  TikTokAudienceApi* tiktok_;
  TokenSource* tokens_;
  int64_t default_refresh_interval_seconds_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_REGISTRY_H_
