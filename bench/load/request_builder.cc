#include "bench/load/request_builder.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.pb.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::load {
namespace {

namespace pb = google::protobuf;

// Touching each file's descriptor makes sure it is linked in and registered
// in the generated pool.
std::vector<const pb::FileDescriptor*> KnownFiles() {
  return {grpc::health::v1::HealthCheckRequest::descriptor()->file(),
          identity::v1::CheckIdentityRequest::descriptor()->file(),
          preflight::v1::PublishCheckRequest::descriptor()->file(),
          ads::v1::UploadImageRequest::descriptor()->file(),
          audience::v1::Audience::descriptor()->file()};
}

}  // namespace

absl::StatusOr<PreparedCall> PrepareCall(std::string_view method,
                                         std::string_view json_request) {
  std::vector<const pb::FileDescriptor*> files = KnownFiles();
  std::string name(method);
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  std::string service_name, method_name;
  if (auto slash = name.rfind('/'); slash != std::string::npos) {
    service_name = name.substr(0, slash);
    method_name = name.substr(slash + 1);
  } else if (auto dot = name.rfind('.'); dot != std::string::npos) {
    service_name = name.substr(0, dot);
    method_name = name.substr(dot + 1);
  }
  const pb::DescriptorPool* pool = pb::DescriptorPool::generated_pool();
  const pb::ServiceDescriptor* service = pool->FindServiceByName(service_name);
  if (service == nullptr) {
    std::vector<std::string> known;
    for (const auto* f : files) {
      for (int i = 0; i < f->service_count(); ++i) {
        known.push_back(f->service(i)->full_name());
      }
    }
    return absl::NotFoundError(
        absl::StrCat("unknown service \"", service_name,
                     "\"; known: ", absl::StrJoin(known, ", ")));
  }
  const pb::MethodDescriptor* m = service->FindMethodByName(method_name);
  if (m == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "service ", service_name, " has no method \"", method_name, "\""));
  }
  if (m->client_streaming() || m->server_streaming()) {
    return absl::FailedPreconditionError(
        absl::StrCat(m->full_name(), " is streaming; only unary calls load"));
  }
  pb::DynamicMessageFactory factory(pool);
  std::unique_ptr<pb::Message> request(
      factory.GetPrototype(m->input_type())->New());
  std::string json = json_request.empty() ? "{}" : std::string(json_request);
  auto parsed = pb::util::JsonStringToMessage(json, request.get());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("request JSON for ",
                                                   m->input_type()->full_name(),
                                                   ": ", parsed.ToString()));
  }
  PreparedCall call;
  call.path = absl::StrCat("/", service->full_name(), "/", m->name());
  call.response_type = m->output_type()->full_name();
  if (!request->SerializeToString(&call.request_bytes)) {
    return absl::InternalError("cannot serialize the request");
  }
  return call;
}

}  // namespace ttads::load
