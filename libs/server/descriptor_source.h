#ifndef TTADS_LIBS_SERVER_DESCRIPTOR_SOURCE_H_
#define TTADS_LIBS_SERVER_DESCRIPTOR_SOURCE_H_

// The proto files a server describes through reflection
// (reflection_service.h), with their comments.
//
// The files come first from a FileDescriptorSet built with
// `protoc --include_imports --include_source_info` (the suite's is linked
// into every server: ttads/descriptor_set.h), so each FileDescriptorProto
// carries its source info — the comments of every service, method, message,
// field and enum value. A file or symbol the set does not hold is looked up
// in the generated pool (what the binary links), without comments, so a
// service registered from another proto is still described.
//
// Every lookup answers the file's FileDescriptorProto followed by those of
// all its transitive imports (each once), serialized, as the reflection
// protocol expects; NOT_FOUND when nothing declares the name.

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace ttads::server {

class DescriptorSource {
 public:
  // `descriptor_set`: a serialized google.protobuf.FileDescriptorSet whose
  // files come in dependency order (as --include_imports writes them).
  // INVALID_ARGUMENT when it does not parse or a file does not build.
  static absl::StatusOr<std::unique_ptr<DescriptorSource>> FromSet(
      absl::string_view descriptor_set);

  // The file named `name` (e.g. "ttads/ads/v1/ads_service.proto").
  absl::StatusOr<std::vector<std::string>> FileByName(
      absl::string_view name) const;
  // The file declaring `symbol`: a package-qualified service, method,
  // message, field, enum, enum value or extension name.
  absl::StatusOr<std::vector<std::string>> FileContainingSymbol(
      absl::string_view symbol) const;
  // The file declaring extension `number` of message type `type`.
  absl::StatusOr<std::vector<std::string>> FileContainingExtension(
      absl::string_view type, int number) const;
  // The numbers of every known extension of message type `type`.
  absl::StatusOr<std::vector<int>> ExtensionNumbers(
      absl::string_view type) const;

 private:
  DescriptorSource() = default;

  // The serialized file `name` and its transitive imports.
  std::vector<std::string> WithImports(const std::string& name) const;
  const google::protobuf::FileDescriptor* FindFile(
      const std::string& name) const;

  google::protobuf::DescriptorPool pool_;
  // File name → the serialized FileDescriptorProto from the set.
  absl::flat_hash_map<std::string, std::string> files_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_DESCRIPTOR_SOURCE_H_
