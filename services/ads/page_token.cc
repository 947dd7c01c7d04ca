#include "services/ads/page_token.h"

#include "absl/strings/numbers.h"
#include "libs/status/status.h"

namespace ttads::ads {

absl::StatusOr<int> PageFromToken(const std::string& token) {
  if (token.empty()) return 1;
  int page = 0;
  if (!absl::SimpleAtoi(token, &page) || page < 1) {
    return status::InvalidArgument(
        "page_token is invalid",
        {{"page_token", "not a token from a previous response"}});
  }
  return page;
}

std::string NextPageToken(int page, int64_t total_page) {
  return page < total_page ? std::to_string(page + 1) : "";
}

}  // namespace ttads::ads
