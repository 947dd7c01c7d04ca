#ifndef TTADS_SERVICES_GATEWAY_OPENAPI_COMMENTS_H_
#define TTADS_SERVICES_GATEWAY_OPENAPI_COMMENTS_H_

// The protos' comments, by symbol, for the OpenAPI document (openapi.h):
// what a service, method, message, field or enum value says about itself in
// its .proto. They come from a FileDescriptorSet with source info
// (`protoc --include_source_info`); the suite's is linked into the binary
// (ttads/descriptor_set.h, proto/CMakeLists.txt), the same one reflection
// serves.
//
// A comment is the element's leading comment (its trailing one when it has
// none), one line per source line, each without the `//` and the one space
// after it; lines that only carry a linter directive (`buf:lint:ignore ...`)
// are dropped. Symbols the set does not hold have no comment ("").

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::gateway {

class ProtoComments {
 public:
  // No comments at all.
  ProtoComments() = default;

  // From a serialized google.protobuf.FileDescriptorSet whose files come in
  // dependency order. INVALID_ARGUMENT when it does not parse or a file does
  // not build.
  static absl::StatusOr<ProtoComments> FromSet(absl::string_view set);

  // The set linked into the binary; empty (and logged once) if it does not
  // load, which would be a build error.
  static const ProtoComments& Linked();

  // The comment of the package-qualified `symbol` ("ttads.ads.v1.AdsService",
  // "ttads.ads.v1.AdsService.CreateAd", "ttads.ads.v1.Ad.ad_id", ...), or "".
  std::string Of(absl::string_view symbol) const;

  // The first sentence of Of(symbol) (up to the first ". ", ".\n" or final
  // ".", without that period; its lines joined with spaces) when it is in
  // the first paragraph and at most `max_chars` long; "" otherwise.
  std::string Summary(absl::string_view symbol, size_t max_chars = 90) const;

 private:
  absl::flat_hash_map<std::string, std::string> comments_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_OPENAPI_COMMENTS_H_
