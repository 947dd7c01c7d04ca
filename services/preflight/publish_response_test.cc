// BuildResponse: the answer for one objective from findings.
#include "services/preflight/publish_response.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::preflight {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using P = Prerequisite;

Objective Needs(PrerequisiteSet needs) {
  return {.name = "WEB_CONVERSIONS", .needs = needs};
}

Finding Satisfied(std::string id) {
  Finding f;
  f.satisfied = true;
  f.found.push_back({id, "name of " + id, "TT_USER"});
  return f;
}

Finding Unsatisfied(const char* reason) {
  Finding f;
  f.reason = reason;
  f.fix_hint = std::string("fix ") + reason;
  return f;
}

Findings With(std::initializer_list<std::pair<P, Finding>> findings) {
  Findings out;
  out.advertiser_id = "1001";
  for (const auto& [p, f] : findings) {
    out.by_prerequisite[static_cast<int>(p)] = f;
  }
  return out;
}

TEST(BuildResponseTest, ReadyWhenEveryNeededPrerequisiteIsSatisfied) {
  const v1::PublishCheckResponse r =
      BuildResponse(Needs(PrerequisiteSet::Of({P::kIdentity, P::kPixel})),
                    With({{P::kIdentity, Satisfied("id_1")},
                          {P::kPixel, Satisfied("px_1")},
                          {P::kApp, Unsatisfied(kReasonNotFound)}}));
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.objective(), "WEB_CONVERSIONS");
  EXPECT_EQ(r.advertiser_id(), "1001");
  EXPECT_THAT(r.missing(), IsEmpty());
  // Only what the objective needs, in Prerequisite order.
  ASSERT_EQ(r.checks_size(), 2);
  EXPECT_EQ(r.checks(0).name(), PrerequisiteName(P::kIdentity));
  EXPECT_EQ(r.checks(1).name(), PrerequisiteName(P::kPixel));
  EXPECT_TRUE(r.checks(1).required());
  EXPECT_TRUE(r.checks(1).satisfied());
  ASSERT_EQ(r.checks(1).found_size(), 1);
  EXPECT_EQ(r.checks(1).found(0).id(), "px_1");
  EXPECT_EQ(r.checks(1).found(0).name(), "name of px_1");
  EXPECT_EQ(r.checks(1).found(0).type(), "TT_USER");
  EXPECT_FALSE(r.checks(1).has_tiktok_error());
}

TEST(BuildResponseTest, EstablishedAbsenceIsMissingWithReasonAndHint) {
  const v1::PublishCheckResponse r =
      BuildResponse(Needs(PrerequisiteSet::Of({P::kIdentity, P::kPixel})),
                    With({{P::kIdentity, Satisfied("id_1")},
                          {P::kPixel, Unsatisfied(kReasonNotFound)}}));
  EXPECT_FALSE(r.ready());
  EXPECT_THAT(r.missing(), ElementsAre(PrerequisiteName(P::kPixel)));
  EXPECT_EQ(r.checks(1).reason(), "not_found");
  EXPECT_EQ(r.checks(1).fix_hint(), "fix not_found");
}

TEST(BuildResponseTest, ApiErrorIsNotReadyButNotMissingAndCarriesTikToksError) {
  Finding failed = Unsatisfied(kReasonApiError);
  failed.tiktok_code = 50002;
  failed.tiktok_message = "system busy";
  failed.tiktok_request_id = "req-1";
  const v1::PublishCheckResponse r = BuildResponse(
      Needs(PrerequisiteSet::Of({P::kPixel})), With({{P::kPixel, failed}}));
  EXPECT_FALSE(r.ready());
  EXPECT_THAT(r.missing(), IsEmpty());
  EXPECT_EQ(r.checks(0).tiktok_error().code(), 50002);
  EXPECT_EQ(r.checks(0).tiktok_error().message(), "system busy");
  EXPECT_EQ(r.checks(0).tiktok_error().request_id(), "req-1");
}

TEST(BuildResponseTest, NoTokenIsMissingOnlyForTheIdentity) {
  const v1::PublishCheckResponse r = BuildResponse(
      Needs(PrerequisiteSet::Of({P::kIdentity, P::kPixel, P::kApp})),
      With({{P::kIdentity, Unsatisfied(kReasonNoToken)},
            {P::kPixel, Unsatisfied(kReasonNoToken)},
            {P::kApp, Unsatisfied(kReasonNoToken)}}));
  EXPECT_FALSE(r.ready());
  EXPECT_THAT(r.missing(), ElementsAre(PrerequisiteName(P::kIdentity)));
  EXPECT_FALSE(r.checks(1).has_tiktok_error());
}

}  // namespace
}  // namespace ttads::preflight
