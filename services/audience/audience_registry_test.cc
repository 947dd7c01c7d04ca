#include "services/audience/audience_registry.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// The fields of the BadRequest violations `status` carries, in order.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  google::rpc::BadRequest br;
  std::vector<std::string> fields;
  if (!status::GetDetail(status, &br)) return fields;
  for (const auto& v : br.field_violations()) fields.push_back(v.field());
  return fields;
}

AudienceSpec Spec(std::string name, std::vector<int> types = {1}) {
  return {.advertiser_id = "7001",
          .name = std::move(name),
          .identifier_types = std::move(types)};
}

using AudienceRegistryTest = AudienceTestEnv;

TEST_F(AudienceRegistryTest, CreateValidatesName) {
  auto bad = audiences_->Create(team_a_, Spec(std::string(129, 'x')));
  ASSERT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("audience.name"));
  EXPECT_THAT(audiences_->Create(team_a_, Spec("x", {})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(audiences_->Create(team_a_, Spec(std::string(128, 'x'))), IsOk());
}

// Every violation is reported at once, and nothing is written.
TEST_F(AudienceRegistryTest, CreateReportsEveryViolationAndWritesNothing) {
  auto bad = audiences_->Create(team_a_, {.advertiser_id = "",
                                          .name = "",
                                          .identifier_types = {1, 9},
                                          .refresh_interval_seconds = -1,
                                          .default_region = "UK"});
  ASSERT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(bad.status()),
              ElementsAre("advertiser_id", "audience.name",
                          "audience.identifier_types[1]",
                          "audience.refresh_interval_seconds",
                          "audience.default_region"));
  EXPECT_THAT(*audiences_->List(team_a_, ""), IsEmpty());
}

TEST_F(AudienceRegistryTest, CreateStoresACanonicalRegionAndSchedulesARefresh) {
  auto gb = audiences_->Create(team_a_, {.advertiser_id = "7001",
                                         .name = "UK list",
                                         .identifier_types = {2, 2},
                                         .default_region = "gb"});
  ASSERT_THAT(gb, IsOk());
  EXPECT_EQ(gb->record.default_region, "GB");
  EXPECT_THAT(gb->record.types, ElementsAre(IdType::kPhone));
  // The process default interval (a day) when none is given.
  EXPECT_EQ(gb->record.refresh_interval_seconds, 86400);
  auto stored = store_->GetAudience(team_a_.team_id, gb->record.id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->default_region, "GB");
  auto next = store_->NextRefresh(team_a_.team_id, gb->record.id);
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(absl::ToUnixMillis(**next),
            absl::ToUnixMillis(gb->record.create_time + absl::Hours(24)));
}

// The idempotency hooks: the id is the one given, and an error of
// before_write stops the create with nothing written.
TEST_F(AudienceRegistryTest, CreateUnderAGivenIdAndStopsWhenBeforeWriteFails) {
  std::string seen;
  auto made = audiences_->Create(
      team_a_, Spec("Buyers"),
      {.audience_id = "aud_given", .before_write = [&](const std::string& id) {
         seen = id;
         return absl::OkStatus();
       }});
  ASSERT_THAT(made, IsOk());
  EXPECT_EQ(made->record.id, "aud_given");
  EXPECT_EQ(seen, "aud_given");
  auto stopped = audiences_->Create(team_a_, Spec("Other"),
                                    {.before_write = [](const std::string&) {
                                      return absl::AbortedError("claim lost");
                                    }});
  EXPECT_THAT(stopped, StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(1));
}

TEST_F(AudienceRegistryTest, ListFiltersByAdvertiserAndPages) {
  for (int i = 0; i < 3; ++i) MakeAudience(team_a_);
  ASSERT_THAT(audiences_->Create(team_a_, {.advertiser_id = "7002",
                                           .name = "Elsewhere",
                                           .identifier_types = {1}}),
              IsOk());
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(4));
  EXPECT_THAT(*audiences_->List(team_a_, "7001"), SizeIs(3));

  auto first = audiences_->ListPage(team_a_, "7001", PageRequest::Of(2, ""));
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->items, SizeIs(2));
  EXPECT_EQ(first->next_page_token, "2");
  auto last = audiences_->ListPage(team_a_, "7001",
                                   PageRequest::Of(2, first->next_page_token));
  ASSERT_THAT(last, IsOk());
  EXPECT_THAT(last->items, SizeIs(1));
  EXPECT_EQ(last->next_page_token, "");
}

TEST(PageRequestTest, SizeIsClampedAndTheTokenIsAnOffset) {
  EXPECT_EQ(PageRequest::Of(0, "").size, 50u);
  EXPECT_EQ(PageRequest::Of(-3, "").size, 50u);
  EXPECT_EQ(PageRequest::Of(500, "").size, 100u);
  EXPECT_EQ(PageRequest::Of(7, "").size, 7u);
  EXPECT_EQ(PageRequest::Of(7, "21").start, 21u);
  EXPECT_EQ(PageRequest::Of(7, "junk").start, 0u);
  const PageRequest page = PageRequest::Of(10, "20");
  EXPECT_EQ(page.NextToken(31), "30");
  EXPECT_EQ(page.NextToken(30), "");
}

// Get adds TikTok's size once the audience exists there; Delete deletes
// TikTok's audience and then the record.
TEST_F(AudienceRegistryTest, GetAndDeleteReachTikTokOnceTheAudienceIsThere) {
  AudienceRecord a = MakeAudience(team_a_);
  auto before = audiences_->Get(team_a_, "7001", a.id);
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->size, 0);
  EXPECT_TRUE(before->next_refresh.has_value());

  Sync(team_a_, a.id, Operation::kAdd, Emails(0, 1000));
  auto w = Worker("w1");
  Drain(*w);
  const std::string tiktok_id = TikTokId(team_a_, a.id);
  ASSERT_FALSE(tiktok_id.empty());
  auto after = audiences_->Get(team_a_, "7001", a.id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->size, 1000);
  EXPECT_THAT(after->history, SizeIs(1));

  // Another advertiser's view of it is NOT_FOUND, as for another team.
  EXPECT_THAT(audiences_->Get(team_a_, "7002", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(audiences_->Delete(team_a_, "7001", a.id), IsOk());
  EXPECT_TRUE(tiktok_.audiences[tiktok_id].deleted);
  EXPECT_THAT(audiences_->Get(team_a_, "7001", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(audiences_->Delete(team_a_, "7001", a.id),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(AudienceRegistryTest, TenantIsolation) {
  AudienceRecord a = MakeAudience(team_a_);
  EXPECT_THAT(audiences_->Get(team_b_, "7001", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(audiences_->Delete(team_b_, "7001", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(audiences_->Owned(team_b_, "", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(*audiences_->List(team_b_, "7001"), IsEmpty());
  EXPECT_THAT(audiences_->Get(team_a_, "7001", a.id), IsOk());
}

}  // namespace
}  // namespace ttads::audience
