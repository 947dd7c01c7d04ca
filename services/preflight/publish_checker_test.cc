#include "services/preflight/publish_checker.h"

#include <map>
#include <mutex>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_connection_store.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/error_class.h"

namespace ttads::preflight {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kTeam[] = "tm_a";
constexpr char kAdv1[] = "1001";
constexpr char kAdv2[] = "1002";

class FakeAssets : public AssetSource {
 public:
  absl::StatusOr<AssetList> List(const AssetQuery& q, AssetType type) override {
    std::lock_guard<std::mutex> lock(mu);
    ++calls[type];
    queries.push_back(q);
    if (type == AssetType::kCatalog && q.business_center_id.empty()) {
      return status::WithErrorInfo(absl::FailedPreconditionError("no bc"),
                                   "NO_BUSINESS_CENTER");
    }
    auto it = lists.find({q.advertiser_id, type});
    if (it == lists.end()) return AssetList{};
    return it->second;
  }
  int Calls(AssetType t) {
    std::lock_guard<std::mutex> lock(mu);
    return calls[t];
  }
  int TotalCalls() {
    std::lock_guard<std::mutex> lock(mu);
    int n = 0;
    for (auto& [t, c] : calls) n += c;
    return n;
  }
  std::mutex mu;
  std::map<std::pair<std::string, AssetType>, absl::StatusOr<AssetList>> lists;
  std::map<AssetType, int> calls;
  std::vector<AssetQuery> queries;
};

class FakeIdentities : public IdentitySource {
 public:
  absl::StatusOr<ResolvedIdentity> Resolve(const server::CallContext& call,
                                           std::string_view adv) override {
    ++resolves;
    last_key = call.caller.api_key;
    auto it = resolved.find(std::string(adv));
    if (it == resolved.end()) {
      return status::WithErrorInfo(absl::FailedPreconditionError("none"),
                                   "NO_USABLE_IDENTITY");
    }
    return it->second;
  }
  absl::StatusOr<std::vector<Listed>> List(const server::CallContext&,
                                           std::string_view adv) override {
    ++lists;
    auto it = listed.find(std::string(adv));
    if (it == listed.end()) return std::vector<Listed>{};
    return it->second;
  }
  int resolves = 0;
  int lists = 0;
  std::string last_key;
  std::map<std::string, absl::StatusOr<ResolvedIdentity>> resolved;
  std::map<std::string, absl::StatusOr<std::vector<Listed>>> listed;
};

AssetList One(std::string id, std::string name) {
  return AssetList{.usable = {{std::move(id), std::move(name), ""}}};
}

class PublishCheckerTest : public ::testing::Test {
 protected:
  PublishCheckerTest() : tokens_(&store_) {
    options_.result_ttl = absl::ZeroDuration();
    options_.clock = [this] { return now_; };
  }

  void Connect(std::string member, std::vector<std::string> advertisers) {
    connections::Connection c;
    c.connection_id = "cn_" + member + std::to_string(++n_);
    c.team_id = kTeam;
    c.member_id = member;
    for (auto& a : advertisers) c.advertisers.push_back({a, "adv " + a});
    ASSERT_THAT(store_.Create(c, "token-of-" + member), IsOk());
  }

  // Advertiser 1 has everything; advertiser 2 nothing but a TT_USER.
  void SeedEverything() {
    identities_.resolved[kAdv1] = ResolvedIdentity{{"id1", "Brand", "TT_USER"}};
    identities_.resolved[kAdv2] = ResolvedIdentity{{"id2", "Other", "TT_USER"}};
    identities_.listed[kAdv1] = std::vector<IdentitySource::Listed>{
        {{"id1", "Brand", "TT_USER"}, "AVAILABLE", ""},
        {{"id9", "Creator", "BC_AUTH_TT"}, "AVAILABLE", "555"}};
    assets_.lists[{kAdv1, AssetType::kPixel}] = One("px1", "Pixel");
    assets_.lists[{kAdv1, AssetType::kCatalog}] = One("ct1", "Catalog");
    assets_.lists[{kAdv1, AssetType::kApp}] = One("ap1", "App");
    assets_.lists[{kAdv1, AssetType::kLeadForm}] = One("lf1", "Form");
  }

  PublishChecker& Checker() {
    if (!checker_) {
      checker_ = std::make_unique<PublishChecker>(&tokens_, &assets_,
                                                  &identities_, options_);
    }
    return *checker_;
  }

  server::CallContext Call(std::string member = "mb_owner",
                           std::string role = "owner") {
    server::CallContext call;
    call.request_id = "req-1";
    call.caller = {.team_id = kTeam,
                   .member_id = member,
                   .role = role,
                   .key_id = "key",
                   .api_key = "ttads_key_of_" + member};
    return call;
  }

  absl::StatusOr<v1::PublishCheckResponse> Check(
      std::string objective, std::string adv = "",
      server::CallContext call = {}) {
    if (call.caller.team_id.empty()) call = Call();
    v1::PublishCheckRequest r;
    r.set_objective(objective);
    r.set_advertiser_id(adv);
    return Checker().Check(call, r);
  }

  connections::FakeConnectionStore store_;
  connections::TokenResolver tokens_;
  FakeAssets assets_;
  FakeIdentities identities_;
  CheckerOptions options_;
  absl::Time now_ = absl::FromUnixSeconds(1'000'000);
  std::unique_ptr<PublishChecker> checker_;
  int n_ = 0;
};

std::vector<std::string> CheckNames(const v1::PublishCheckResponse& r) {
  std::vector<std::string> names;
  for (const auto& c : r.checks()) names.push_back(c.name());
  return names;
}

TEST_F(PublishCheckerTest, EachObjectiveNeedsItsPrerequisitesOnly) {
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  const std::map<std::string, std::vector<std::string>> expected = {
      {"TRAFFIC", {"identity"}},
      {"REACH", {"identity"}},
      {"WEB_CONVERSIONS", {"identity", "pixel"}},
      {"CONVERSIONS", {"identity", "pixel"}},
      {"PRODUCT_SALES", {"identity", "catalog"}},
      {"SHOP_PURCHASES", {"identity", "catalog"}},
      {"CATALOG_SALES", {"identity", "catalog"}},
      {"APP_PROMOTION", {"identity", "app"}},
      {"APP_INSTALL", {"identity", "app"}},
      {"LEAD_GENERATION", {"identity", "leadForm"}},
  };
  for (const auto& [objective, names] : expected) {
    auto r = Check(objective, kAdv1);
    ASSERT_THAT(r, IsOk()) << objective;
    EXPECT_EQ(CheckNames(*r), names) << objective;
    EXPECT_TRUE(r->ready()) << objective;
    EXPECT_THAT(r->missing(), IsEmpty()) << objective;
    EXPECT_EQ(r->objective(), objective);
    for (const auto& c : r->checks()) {
      EXPECT_TRUE(c.required());
      EXPECT_TRUE(c.satisfied());
      EXPECT_EQ(c.found_size(), 1) << objective << " " << c.name();
    }
  }
}

TEST_F(PublishCheckerTest, TrafficMakesNoAssetCalls) {
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  ASSERT_THAT(Check("TRAFFIC", kAdv1), IsOk());
  EXPECT_EQ(assets_.TotalCalls(), 0);
  EXPECT_EQ(identities_.resolves, 1);
  EXPECT_EQ(identities_.lists, 0);
}

TEST_F(PublishCheckerTest, MissingAssetIsListedWithHint) {
  Connect("mb_owner", {kAdv2});
  SeedEverything();
  auto r = Check("WEB_CONVERSIONS", kAdv2);
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->ready());
  EXPECT_THAT(r->missing(), ElementsAre("pixel"));
  const auto& pixel = r->checks(1);
  EXPECT_EQ(pixel.reason(), "not_found");
  EXPECT_NE(pixel.fix_hint().find("Pixel"), std::string::npos);
}

TEST_F(PublishCheckerTest, DraftLeadFormIsNotUsableAndNamedInHint) {
  Connect("mb_owner", {kAdv2});
  SeedEverything();
  assets_.lists[{kAdv2, AssetType::kLeadForm}] =
      AssetList{.unusable = {{"lf9", "Contact us", "EDITING"}}};
  auto r = Check("LEAD_GENERATION", kAdv2);
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->missing(), ElementsAre("leadForm"));
  EXPECT_NE(r->checks(1).fix_hint().find("Contact us"), std::string::npos);
}

TEST_F(PublishCheckerTest, NothingConnectedIsNoToken) {
  SeedEverything();
  auto r = Check("WEB_CONVERSIONS");
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->ready());
  EXPECT_THAT(r->missing(), ElementsAre("identity"));
  EXPECT_EQ(r->checks(0).reason(), "no_token");
  EXPECT_EQ(r->checks(1).reason(), "no_token");
  EXPECT_FALSE(r->checks(1).satisfied());
  EXPECT_EQ(r->advertiser_id(), "");
  EXPECT_EQ(identities_.resolves, 0);
  EXPECT_EQ(assets_.TotalCalls(), 0);
}

TEST_F(PublishCheckerTest, ManagerBorrowsTeammateTokenMediabuyerDoesNot) {
  Connect("mb_teammate", {kAdv1});
  SeedEverything();
  auto manager = Check("WEB_CONVERSIONS", "", Call("mb_manager", "manager"));
  ASSERT_THAT(manager, IsOk());
  EXPECT_TRUE(manager->ready());
  EXPECT_EQ(manager->advertiser_id(), kAdv1);
  ASSERT_FALSE(assets_.queries.empty());
  EXPECT_EQ(assets_.queries.back().access_token, "token-of-mb_teammate");

  auto buyer = Check("WEB_CONVERSIONS", "", Call("mb_buyer", "mediabuyer"));
  ASSERT_THAT(buyer, IsOk());
  EXPECT_FALSE(buyer->ready());
  EXPECT_EQ(buyer->checks(0).reason(), "no_token");
}

TEST_F(PublishCheckerTest, DefaultsToFirstAdvertiserOfTheToken) {
  Connect("mb_owner", {kAdv2, kAdv1});
  SeedEverything();
  auto r = Check("TRAFFIC");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->advertiser_id(), kAdv2);
}

TEST_F(PublishCheckerTest, UnreachableAdvertiserIsPermissionDenied) {
  Connect("mb_owner", {kAdv1});
  auto r = Check("TRAFFIC", "9999");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(PublishCheckerTest, UpstreamFailureIsApiErrorNotMissing) {
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  assets_.lists[{kAdv1, AssetType::kPixel}] =
      tiktok::MakeTikTokError(absl::StatusCode::kUnavailable, "system error",
                              {.code = 50000,
                               .message = "system error",
                               .request_id = "rid-7",
                               .retryable = true});
  auto r = Check("WEB_CONVERSIONS", kAdv1);
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->ready());
  EXPECT_THAT(r->missing(), IsEmpty());
  const auto& pixel = r->checks(1);
  EXPECT_EQ(pixel.reason(), "api_error");
  EXPECT_EQ(pixel.tiktok_error().code(), 50000);
  EXPECT_EQ(pixel.tiktok_error().request_id(), "rid-7");
  EXPECT_NE(pixel.fix_hint().find("rid-7"), std::string::npos);
}

TEST_F(PublishCheckerTest, IdentityServiceRelayedTikTokErrorIsApiError) {
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  identities_.resolved[kAdv1] = status::WithErrorInfo(
      absl::UnavailableError("TikTok is unavailable"), "TIKTOK_UNAVAILABLE",
      {{"tiktok_code", "50002"}, {"tiktok_request_id", "rid-9"}});
  auto r = Check("TRAFFIC", kAdv1);
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->missing(), IsEmpty());
  EXPECT_FALSE(r->ready());
  EXPECT_EQ(r->checks(0).reason(), "api_error");
  EXPECT_EQ(r->checks(0).tiktok_error().code(), 50002);
  EXPECT_EQ(r->checks(0).tiktok_error().request_id(), "rid-9");
}

TEST_F(PublishCheckerTest, IdentityReasons) {
  Connect("mb_owner", {kAdv1, kAdv2});
  identities_.listed[kAdv2] = std::vector<IdentitySource::Listed>{
      {{"c1", "Custom", "CUSTOMIZED_USER"}, "AVAILABLE", ""}};
  auto rejected = Check("TRAFFIC", kAdv2);
  ASSERT_THAT(rejected, IsOk());
  EXPECT_THAT(rejected->missing(), ElementsAre("identity"));
  EXPECT_EQ(rejected->checks(0).reason(), "policy_rejected");

  auto none = Check("TRAFFIC", kAdv1);
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(none->checks(0).reason(), "no_tt_user");
  EXPECT_FALSE(none->checks(0).fix_hint().empty());

  identities_.resolved[kAdv1] =
      ResolvedIdentity{{"c7", "Custom", "CUSTOMIZED_USER"}};
  auto custom = Check("TRAFFIC", kAdv1);
  ASSERT_THAT(custom, IsOk());
  EXPECT_TRUE(custom->ready());
  EXPECT_EQ(custom->checks(0).found(0).type(), "CUSTOMIZED_USER");
  EXPECT_EQ(identities_.last_key, "ttads_key_of_mb_owner");
}

TEST_F(PublishCheckerTest, IdentityCallerErrorsPassThrough) {
  Connect("mb_owner", {kAdv1});
  identities_.resolved[kAdv1] = absl::UnauthenticatedError("bad key");
  EXPECT_THAT(Check("TRAFFIC", kAdv1),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(PublishCheckerTest, CatalogUsesBusinessCenterOfBcIdentityOrRequest) {
  Connect("mb_owner", {kAdv1, kAdv2});
  SeedEverything();
  auto r = Check("PRODUCT_SALES", kAdv1);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->ready());
  EXPECT_EQ(assets_.queries.back().business_center_id, "555");

  auto none = Check("PRODUCT_SALES", kAdv2);
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(none->missing(), ElementsAre("catalog"));
  EXPECT_EQ(none->checks(1).reason(), "no_business_center");

  const int lists_before = identities_.lists;
  v1::PublishCheckRequest req;
  req.set_objective("PRODUCT_SALES");
  req.set_advertiser_id(kAdv2);
  req.set_business_center_id("777");
  ASSERT_THAT(Checker().Check(Call(), req), IsOk());
  EXPECT_EQ(assets_.queries.back().business_center_id, "777");
  EXPECT_EQ(identities_.lists, lists_before);

  req.set_business_center_id("77 7");
  EXPECT_THAT(Checker().Check(Call(), req),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(PublishCheckerTest, BatchSharesAssetLists) {
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  v1::BatchPublishCheckRequest req;
  req.set_advertiser_id(kAdv1);
  for (const char* o :
       {"WEB_CONVERSIONS", "CONVERSIONS", "LEAD_GENERATION", "TRAFFIC"}) {
    req.add_objectives(o);
  }
  auto r = Checker().CheckBatch(Call(), req);
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->results_size(), 4);
  EXPECT_EQ(r->results(0).objective(), "WEB_CONVERSIONS");
  EXPECT_EQ(r->results(3).objective(), "TRAFFIC");
  for (const auto& result : r->results()) EXPECT_TRUE(result.ready());
  EXPECT_EQ(assets_.Calls(AssetType::kPixel), 1);
  EXPECT_EQ(assets_.Calls(AssetType::kLeadForm), 1);
  EXPECT_EQ(assets_.Calls(AssetType::kApp), 0);
  EXPECT_EQ(assets_.Calls(AssetType::kCatalog), 0);
  EXPECT_EQ(identities_.resolves, 1);
}

TEST_F(PublishCheckerTest, BatchValidation) {
  v1::BatchPublishCheckRequest req;
  auto empty = Checker().CheckBatch(Call(), req);
  ASSERT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(empty.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "objectives");

  req.add_objectives("TRAFFIC");
  req.add_objectives("NOPE");
  auto unknown = Checker().CheckBatch(Call(), req);
  ASSERT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(status::GetDetail(unknown.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "objectives[1]");
}

TEST_F(PublishCheckerTest, AnswersAreReusedWithinTtlButNotFailures) {
  options_.result_ttl = absl::Seconds(2);
  Connect("mb_owner", {kAdv1});
  SeedEverything();
  ASSERT_THAT(Check("WEB_CONVERSIONS", kAdv1), IsOk());
  ASSERT_THAT(Check("WEB_CONVERSIONS", kAdv1), IsOk());
  ASSERT_THAT(Check("TRAFFIC", kAdv1), IsOk());  // covered by the first answer
  EXPECT_EQ(identities_.resolves, 1);
  EXPECT_EQ(assets_.Calls(AssetType::kPixel), 1);
  // Another member does not share the answer.
  ASSERT_THAT(Check("TRAFFIC", kAdv1, Call("mb_other", "owner")), IsOk());
  EXPECT_EQ(identities_.resolves, 2);
  now_ += absl::Seconds(3);
  ASSERT_THAT(Check("WEB_CONVERSIONS", kAdv1), IsOk());
  EXPECT_EQ(identities_.resolves, 3);

  assets_.lists[{kAdv1, AssetType::kApp}] = tiktok::MakeTikTokError(
      absl::StatusCode::kUnavailable, "down", {.code = 50000});
  ASSERT_THAT(Check("APP_PROMOTION", kAdv1), IsOk());
  ASSERT_THAT(Check("APP_PROMOTION", kAdv1), IsOk());
  EXPECT_EQ(assets_.Calls(AssetType::kApp), 2);
}

}  // namespace
}  // namespace ttads::preflight
