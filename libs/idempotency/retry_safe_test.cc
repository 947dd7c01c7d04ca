#include "libs/idempotency/retry_safe.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "ttads/admin/v1/admin_service.pb.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/common/v1/field_rules.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::idempotency {
namespace {

using ::testing::ElementsAre;

TEST(RetrySafeTest, ListsTheAnnotatedMethods) {
  EXPECT_THAT(
      MethodsHonouringRequestId(),
      ElementsAre("/ttads.admin.v1.AdminService/CreateMember",
                  "/ttads.admin.v1.AdminService/CreateTeam",
                  "/ttads.ads.v1.AdsService/CallTikTokApi",
                  "/ttads.ads.v1.AdsService/CreateAd",
                  "/ttads.ads.v1.AdsService/SetAdStatus",
                  "/ttads.ads.v1.AdsService/UpdateAd",
                  "/ttads.ads.v1.AdsService/UploadImage",
                  "/ttads.ads.v1.AdsService/UploadVideo",
                  "/ttads.audience.v1.AudienceService/CreateAudience",
                  "/ttads.audience.v1.AudienceService/DeleteAudience",
                  "/ttads.audience.v1.AudienceService/DisqualifyMembers",
                  "/ttads.audience.v1.AudienceService/SyncMembers",
                  "/ttads.compat.v1.AdspirerToolsService/ExecuteAddTikTokAd",
                  "/ttads.compat.v1.ZernioAdsService/CreateAd",
                  "/ttads.identity.v1.IdentityService/ConfigureBrandIdentity",
                  "/ttads.identity.v1.IdentityService/ConnectAdsAccount",
                  "/ttads.identity.v1.IdentityService/CreateAccount",
                  "/ttads.identity.v1.IdentityService/CreateIdentity"));
  EXPECT_TRUE(
      HonoursRequestId("/ttads.audience.v1.AudienceService/CreateAudience"));
  EXPECT_FALSE(
      HonoursRequestId("/ttads.identity.v1.IdentityService/StartConnection"));
  EXPECT_FALSE(HonoursRequestId("/ttads.ads.v1.AdsService/GetAd"));
  EXPECT_FALSE(HonoursRequestId("/no.Such/Method"));
  EXPECT_FALSE(HonoursRequestId(""));
}

// In every service a method declares request_id exactly when it honours it
// (an RPC that cannot honour a key does not declare one; CreateAd's tool
// shape carries it in its `arguments`).
TEST(RetrySafeTest, EveryServiceDeclaresRequestIdExactlyWhereItHonoursIt) {
  const google::protobuf::FileDescriptor* files[] = {
      ttads::admin::v1::CreateTeamRequest::descriptor()->file(),
      ttads::ads::v1::CreateAdRequest::descriptor()->file(),
      ttads::audience::v1::CreateAudienceRequest::descriptor()->file(),
      ttads::identity::v1::ListIdentitiesRequest::descriptor()->file(),
      ttads::preflight::v1::PublishCheckRequest::descriptor()->file(),
  };
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const auto* method = service->method(m);
        const auto* in = method->input_type();
        const auto* args = in->FindFieldByName("arguments");
        const bool declares =
            in->FindFieldByName("request_id") != nullptr ||
            (args != nullptr && args->message_type() != nullptr &&
             args->message_type()->FindFieldByName("request_id") != nullptr);
        EXPECT_EQ(declares,
                  HonoursRequestId(absl::StrCat("/", service->full_name(), "/",
                                                method->name())))
            << method->full_name();
      }
    }
  }
}

// Every annotated method carries a request id in its request (CreateAd's
// tool shape in its `arguments`).
TEST(RetrySafeTest, EveryAnnotatedMethodHasARequestId) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& path : MethodsHonouringRequestId()) {
    std::string name = path.substr(1);
    name[name.find('/')] = '.';
    const auto* method = pool->FindMethodByName(name);
    ASSERT_NE(method, nullptr) << path;
    const auto* in = method->input_type();
    const auto* args = in->FindFieldByName("arguments");
    const bool has =
        in->FindFieldByName("request_id") != nullptr ||
        (args != nullptr && args->message_type() != nullptr &&
         args->message_type()->FindFieldByName("request_id") != nullptr);
    EXPECT_TRUE(has) << path;
  }
}

}  // namespace
}  // namespace ttads::idempotency
