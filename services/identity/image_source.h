#ifndef TTADS_SERVICES_IDENTITY_IMAGE_SOURCE_H_
#define TTADS_SERVICES_IDENTITY_IMAGE_SOURCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/fetch/public_fetcher.h"

namespace ttads::identity {

// Where a Brand Identity image comes from: the bytes behind a
// caller-supplied URL, downloaded before `deadline`. An interface so the
// Brand Identity is unit-tested without a network (fake_image_source.h).
//
// Errors follow fetch::Fetch: INVALID_ARGUMENT for a malformed URL, a wrong
// scheme, a body over the size cap or an HTTP 4xx; PERMISSION_DENIED for a
// target that is not public; DEADLINE_EXCEEDED when `deadline` ends the
// download; UNAVAILABLE when the host cannot be reached or fails.
class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual absl::StatusOr<std::string> Fetch(const std::string& url,
                                            absl::Time deadline) = 0;
};

// The production source: libs/fetch's public-address-only fetcher with
// `options` (size cap, private allow-list), each download also bounded by
// the caller's deadline.
class PublicImageSource : public ImageSource {
 public:
  explicit PublicImageSource(fetch::FetchOptions options)
      : options_(std::move(options)) {}

  absl::StatusOr<std::string> Fetch(const std::string& url,
                                    absl::Time deadline) override;

 private:
  fetch::FetchOptions options_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IMAGE_SOURCE_H_
