#ifndef TTADS_SERVICES_ADS_PAGE_TOKEN_H_
#define TTADS_SERVICES_ADS_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace ttads::ads {

// The ads service's page tokens are TikTok's page numbers as text: "" is
// page 1. Anything else than a page number ≥ 1 is INVALID_ARGUMENT on
// `page_token`.
absl::StatusOr<int> PageFromToken(const std::string& token);

// The token of the page after `page`; "" on the last one.
std::string NextPageToken(int page, int64_t total_page);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_PAGE_TOKEN_H_
