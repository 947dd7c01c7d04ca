#include "services/identity/image_source.h"

namespace ttads::identity {

absl::StatusOr<std::string> PublicImageSource::Fetch(const std::string& url,
                                                     absl::Time deadline) {
  fetch::FetchOptions options = options_;
  options.deadline = deadline;
  return fetch::FetchToString(url, options);
}

}  // namespace ttads::identity
