#include "services/identity/fake_image_source.h"

namespace ttads::identity {

void FakeImageSource::Serve(const std::string& url, std::string bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.insert_or_assign(url, std::move(bytes));
}

void FakeImageSource::Fail(const std::string& url, absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.insert_or_assign(url, std::move(status));
}

std::vector<FakeImageSource::Request> FakeImageSource::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

absl::StatusOr<std::string> FakeImageSource::Fetch(const std::string& url,
                                                   absl::Time deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back({url, deadline});
  auto it = answers_.find(url);
  if (it == answers_.end()) return absl::InvalidArgumentError("HTTP 404");
  return it->second;
}

}  // namespace ttads::identity
