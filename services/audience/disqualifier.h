#ifndef TTADS_SERVICES_AUDIENCE_DISQUALIFIER_H_
#define TTADS_SERVICES_AUDIENCE_DISQUALIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_store.h"
#include "services/audience/requester.h"

namespace ttads::audience {

// Values of one identifier type (one IdentifierBatch).
struct Batch {
  IdType type;
  std::vector<std::string> values;
};

// What Disqualify queued.
struct Disqualified {
  // The audiences the removals were queued for.
  std::vector<std::string> audience_ids;
  // Valid identifiers queued per audience (the largest count when the
  // audiences' regions differ).
  int64_t queued = 0;
};

// Disqualification: identifiers that must leave an audience are hashed and
// queued as pending removals, which the refresh cycle (RefreshCycle) turns
// into a REMOVE job at the audience's next cycle. Queuing adds to sets, so
// queuing the same identifiers again changes nothing.
class Disqualifier {
 public:
  // `normalizer`: the process-wide one.
  Disqualifier(AudienceStore* store, AudienceRegistry* audiences,
               identifiers::NormalizerOptions normalizer);

  // Queues removals for one audience (or every audience of the advertiser
  // when `audience_id` is empty), and schedules a refresh cycle for an
  // audience that has none. Phone numbers without "+" are read in
  // `default_region` when given, else in each audience's own region (else
  // the process-wide one); invalid values are skipped. INVALID_ARGUMENT
  // when no value is a valid identifier (`batches`), when both ids are
  // empty (`advertiser_id`) or `default_region` is not an ISO 3166-1
  // alpha-2 code; NOT_FOUND for another team's audience.
  absl::StatusOr<Disqualified> Disqualify(
      const Requester& who, const std::string& advertiser_id,
      const std::string& audience_id, const std::vector<Batch>& batches,
      const std::string& default_region = "");

 private:
  AudienceStore* store_;
  AudienceRegistry* audiences_;
  identifiers::Normalizer normalizer_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_DISQUALIFIER_H_
