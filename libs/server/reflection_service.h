#ifndef TTADS_LIBS_SERVER_REFLECTION_SERVICE_H_
#define TTADS_LIBS_SERVER_REFLECTION_SERVICE_H_

// gRPC server reflection on both protocol versions:
// grpc.reflection.v1.ServerReflection (what recent grpcurl and `buf curl`
// ask first) and grpc.reflection.v1alpha.ServerReflection (older clients;
// the only one grpc++ 1.51's own plugin serves). The two protos declare the
// same messages field for field, so one implementation answers both: a
// v1alpha request is read as its v1 twin and the answer written back.
//
// Answers come from a DescriptorSource, so the files carry their comments
// and `grpcurl describe` prints the contracts' documentation.
// `list_services` answers the names the server registered (given at
// construction). A lookup that finds nothing, or a request with no
// message_request set, is an `error_response` on the stream (NOT_FOUND,
// INVALID_ARGUMENT) and the stream goes on.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "libs/server/descriptor_source.h"

namespace ttads::server {

// The answer to one reflection request.
grpc::reflection::v1::ServerReflectionResponse Reflect(
    const DescriptorSource& source, const std::vector<std::string>& services,
    const grpc::reflection::v1::ServerReflectionRequest& request);

class ReflectionV1 final
    : public grpc::reflection::v1::ServerReflection::Service {
 public:
  ReflectionV1(const DescriptorSource& source,
               std::vector<std::string> services)
      : source_(source), services_(std::move(services)) {}

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>*
          stream) override;

 private:
  const DescriptorSource& source_;
  std::vector<std::string> services_;
};

class ReflectionV1Alpha final
    : public grpc::reflection::v1alpha::ServerReflection::Service {
 public:
  ReflectionV1Alpha(const DescriptorSource& source,
                    std::vector<std::string> services)
      : source_(source), services_(std::move(services)) {}

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<
          grpc::reflection::v1alpha::ServerReflectionResponse,
          grpc::reflection::v1alpha::ServerReflectionRequest>* stream) override;

 private:
  const DescriptorSource& source_;
  std::vector<std::string> services_;
};

// The suite's descriptor source: the linked FileDescriptorSet of every
// served proto with source info (proto/CMakeLists.txt), built on first use.
absl::StatusOr<const DescriptorSource*> SuiteDescriptorSource();

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_REFLECTION_SERVICE_H_
