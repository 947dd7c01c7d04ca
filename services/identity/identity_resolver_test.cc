#include "services/identity/identity_resolver.h"

#include "libs/testing/field_violations.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class IdentityResolverTest : public IdentityDomainTest {
 protected:
  void SetUp() override {
    IdentityDomainTest::SetUp();
    Connect(owner_, {kAdvertiser, kOtherAdvertiser});
  }

  absl::StatusOr<v1::ResolveIdentityResponse> Resolve(
      CustomIdentityPolicy policy, const v1::ResolveIdentityRequest& req) {
    IdentityResolver resolver(catalog_.get(), accounts_.get(), policy);
    return resolver.Resolve(owner_, req);
  }

  static v1::ResolveIdentityRequest For(const std::string& advertiser) {
    v1::ResolveIdentityRequest req;
    req.set_advertiser_id(advertiser);
    return req;
  }

  // An ads account of kAdvertiser, LINKED to a posting account whose
  // TT_USER is `tt_user_id` when given, else ADS_ONLY; `brand_id` as its
  // Brand Identity.
  std::string AdsAccount(const std::string& tt_user_id,
                         const std::string& brand_id = "") {
    v1::Account ads;
    ads.set_account_id("acc_ads");
    ads.set_platform("tiktokads");
    ads.set_advertiser_id(kAdvertiser);
    ads.set_brand_identity_id(brand_id);
    ads.set_mode(v1::ADS_ACCOUNT_MODE_ADS_ONLY);
    if (!tt_user_id.empty()) {
      v1::Account posting;
      posting.set_account_id("acc_posting");
      posting.set_platform("tiktok");
      posting.set_advertiser_id(kAdvertiser);
      posting.set_tt_user_identity_id(tt_user_id);
      EXPECT_THAT(accounts_->Put(owner_.caller.team_id, posting), IsOk());
      ads.set_mode(v1::ADS_ACCOUNT_MODE_LINKED);
      ads.set_parent_account_id("acc_posting");
    }
    EXPECT_THAT(accounts_->Put(owner_.caller.team_id, ads), IsOk());
    return ads.account_id();
  }
};

TEST_F(IdentityResolverTest, TtUserFirstThenBusinessCenter) {
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_BC_AUTH_TT, "bc-1");
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER, "",
              "NOT_AVAILABLE");
  const auto tt = AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  auto out = Resolve(CustomIdentityPolicy::kOptIn, For(kAdvertiser));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->identity().identity_id(), tt.identity_id());
  EXPECT_EQ(out->source(), v1::RESOLUTION_SOURCE_TT_USER);
  EXPECT_EQ(out->advertiser_id(), kAdvertiser);

  const auto bc = AddIdentity(kOtherAdvertiser,
                              common::v1::IDENTITY_TYPE_BC_AUTH_TT, "bc-2");
  out = Resolve(CustomIdentityPolicy::kOptIn, For(kOtherAdvertiser));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->identity().identity_id(), bc.identity_id());
  EXPECT_EQ(out->identity().identity_authorized_bc_id(), "bc-2");
  EXPECT_EQ(out->source(), v1::RESOLUTION_SOURCE_BC_AUTH_TT);
}

TEST_F(IdentityResolverTest, LinkedAccountsTtUserWins) {
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  const auto mine = AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  v1::ResolveIdentityRequest req;
  req.set_account_id(AdsAccount(mine.identity_id()));
  auto out = Resolve(CustomIdentityPolicy::kOptIn, req);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->identity().identity_id(), mine.identity_id());
  EXPECT_EQ(out->source(), v1::RESOLUTION_SOURCE_LINKED_ACCOUNT);
  EXPECT_EQ(out->advertiser_id(), kAdvertiser);  // from the account

  req.set_account_id("acc_missing");
  EXPECT_THAT(Resolve(CustomIdentityPolicy::kOptIn, req),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(IdentityResolverTest, ExplicitIdentityMustBeTheAdvertisersAndUsable) {
  const auto custom =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  const auto tt = AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  const auto paused = AddIdentity(
      kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER, "", "NOT_AVAILABLE");
  const auto elsewhere =
      AddIdentity(kOtherAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);

  auto req = For(kAdvertiser);
  req.set_identity_id(custom.identity_id());  // an opt-in by itself
  auto out = Resolve(CustomIdentityPolicy::kOptIn, req);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->source(), v1::RESOLUTION_SOURCE_EXPLICIT);
  EXPECT_EQ(out->identity().identity_id(), custom.identity_id());

  req.set_identity_id(elsewhere.identity_id());
  auto other = Resolve(CustomIdentityPolicy::kOptIn, req);
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(other), "identity_id");
  EXPECT_EQ(status::ReasonOf(other.status()), "IDENTITY_NOT_FOUND");

  req.set_identity_id(tt.identity_id());
  req.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  EXPECT_EQ(FirstViolatedField(Resolve(CustomIdentityPolicy::kOptIn, req)),
            "identity_id");
  req.set_identity_type(common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_THAT(Resolve(CustomIdentityPolicy::kOptIn, req), IsOk());

  req.set_identity_id(paused.identity_id());
  auto unusable = Resolve(CustomIdentityPolicy::kOptIn, req);
  EXPECT_THAT(unusable, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(unusable), "identity_id");
}

TEST_F(IdentityResolverTest, OptInPolicyNeedsTheRequestsOptIn) {
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  const auto brand =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto none = Resolve(CustomIdentityPolicy::kOptIn, For(kAdvertiser));
  EXPECT_THAT(none, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(none.status()), "NO_USABLE_IDENTITY");
  EXPECT_THAT(none.status().message(), ::testing::HasSubstr("opt in"));

  auto req = For(kAdvertiser);
  req.set_allow_customized_user(true);
  auto any = Resolve(CustomIdentityPolicy::kOptIn, req);
  ASSERT_THAT(any, IsOk());
  EXPECT_EQ(any->identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(any->source(), v1::RESOLUTION_SOURCE_CUSTOMIZED_USER);
  // The account's Brand Identity comes before any other CUSTOMIZED_USER.
  req.set_account_id(AdsAccount("", brand.identity_id()));
  auto branded = Resolve(CustomIdentityPolicy::kOptIn, req);
  ASSERT_THAT(branded, IsOk());
  EXPECT_EQ(branded->identity().identity_id(), brand.identity_id());
  EXPECT_EQ(branded->source(), v1::RESOLUTION_SOURCE_BRAND_IDENTITY);
}

TEST_F(IdentityResolverTest, AllowPolicyFallsBackWithoutOptIn) {
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto out = Resolve(CustomIdentityPolicy::kAllow, For(kAdvertiser));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
}

TEST_F(IdentityResolverTest, RejectPolicyNeverUsesCustomizedUser) {
  const auto custom =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto req = For(kAdvertiser);
  req.set_allow_customized_user(true);
  auto fallback = Resolve(CustomIdentityPolicy::kReject, req);
  EXPECT_THAT(fallback, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(fallback.status()), "NO_USABLE_IDENTITY");
  req.set_identity_id(custom.identity_id());
  auto explicit_custom = Resolve(CustomIdentityPolicy::kReject, req);
  EXPECT_THAT(explicit_custom, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(explicit_custom), "identity_type");
  EXPECT_EQ(status::ReasonOf(explicit_custom.status()),
            "CUSTOM_IDENTITY_REJECTED");
}

TEST_F(IdentityResolverTest, SparkAdsUseAuthCodeButNeverCustomizedUser) {
  const auto custom =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto req = For(kAdvertiser);
  req.set_spark_ad(true);
  req.set_allow_customized_user(true);
  auto none = Resolve(CustomIdentityPolicy::kAllow, req);
  EXPECT_THAT(none, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(none.status()), "NO_USABLE_IDENTITY");

  req.set_identity_id(custom.identity_id());
  auto explicit_custom = Resolve(CustomIdentityPolicy::kAllow, req);
  EXPECT_THAT(explicit_custom, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(explicit_custom), "identity_type");

  const auto code =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_AUTH_CODE);
  req.clear_identity_id();
  catalog_->Invalidate(owner_.caller.team_id, kAdvertiser);
  auto spark = Resolve(CustomIdentityPolicy::kAllow, req);
  ASSERT_THAT(spark, IsOk());
  EXPECT_EQ(spark->identity().identity_id(), code.identity_id());
  EXPECT_EQ(spark->source(), v1::RESOLUTION_SOURCE_AUTH_CODE);
  // Not for ordinary ads: AUTH_CODE is a Spark Ads authorisation.
  req.set_spark_ad(false);
  EXPECT_EQ(Resolve(CustomIdentityPolicy::kAllow, req)->source(),
            v1::RESOLUTION_SOURCE_CUSTOMIZED_USER);
}

TEST_F(IdentityResolverTest, TokenAndTikTokErrorsPassThrough) {
  IdentityResolver resolver(catalog_.get(), accounts_.get(),
                            CustomIdentityPolicy::kOptIn);
  auto buyer = resolver.Resolve(buyer_, For(kAdvertiser));
  EXPECT_THAT(buyer, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(buyer.status()), "NO_TOKEN");
  tiktok_.FailNext("ListIdentityPage", absl::UnavailableError("down"));
  EXPECT_THAT(Resolve(CustomIdentityPolicy::kOptIn, For(kAdvertiser)),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::identity
