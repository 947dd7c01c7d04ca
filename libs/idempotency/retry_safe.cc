#include "libs/idempotency/retry_safe.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "ttads/admin/v1/admin_service.pb.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/common/v1/field_rules.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.pb.h"
#include "ttads/compat/v1/zernio_ads_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::idempotency {
namespace {

std::vector<std::string> Build() {
  // One message of each service's file: referencing it links the file's
  // descriptor into the binary.
  const google::protobuf::FileDescriptor* files[] = {
      ttads::admin::v1::CreateTeamRequest::descriptor()->file(),
      ttads::ads::v1::CreateAdRequest::descriptor()->file(),
      ttads::audience::v1::CreateAudienceRequest::descriptor()->file(),
      ttads::compat::v1::ExecuteAddTikTokAdRequest::descriptor()->file(),
      ttads::compat::v1::CreateAdRequest::descriptor()->file(),
      ttads::identity::v1::ListIdentitiesRequest::descriptor()->file(),
      ttads::preflight::v1::PublishCheckRequest::descriptor()->file(),
  };
  std::vector<std::string> paths;
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const auto* method = service->method(m);
        if (method->options().GetExtension(
                ttads::common::v1::honours_request_id)) {
          paths.push_back(
              absl::StrCat("/", service->full_name(), "/", method->name()));
        }
      }
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

const std::vector<std::string>& MethodsHonouringRequestId() {
  static const std::vector<std::string>* paths =
      new std::vector<std::string>(Build());
  return *paths;
}

bool HonoursRequestId(std::string_view grpc_path) {
  const auto& paths = MethodsHonouringRequestId();
  return std::binary_search(paths.begin(), paths.end(), grpc_path);
}

}  // namespace ttads::idempotency
