#include "services/audience/audience_mutations.h"

#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class AudienceMutationsTest : public AudienceTestEnv {
 protected:
  void SetUp() override {
    AudienceTestEnv::SetUp();
    idempotency_ =
        std::make_unique<idempotency::IdempotencyStore>(redis_->pool());
    mutations_ = std::make_unique<AudienceMutations>(
        idempotency_.get(), audiences_.get(), disqualifier_.get());
  }

  static v1::CreateAudienceRequest Named(const std::string& name,
                                         const std::string& request_id) {
    v1::CreateAudienceRequest req;
    req.set_advertiser_id("7001");
    req.mutable_audience()->set_name(name);
    req.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
    req.set_request_id(request_id);
    return req;
  }

  // Leaves the claim of `request_id` as a replica that died mid-call would
  // (unresolved, its lease run out): the next call takes it over.
  void Orphan(const std::string& method, const std::string& request_id) {
    const std::string record = idempotency::IdempotencyStore::RedisKey(
        {team_a_.team_id, method, request_id});
    ASSERT_THAT(
        redis_->pool()->Command({"HSET", record, "state", "unresolved"}),
        IsOk());
  }

  const absl::Time deadline_ = absl::InfiniteFuture();
  std::unique_ptr<idempotency::IdempotencyStore> idempotency_;
  std::unique_ptr<AudienceMutations> mutations_;
};

TEST_F(AudienceMutationsTest, CreateAudienceHonoursItsRequestId) {
  auto first = mutations_->CreateAudience(team_a_, deadline_,
                                          Named("Buyers", "create-1"));
  ASSERT_THAT(first, IsOk());
  auto again = mutations_->CreateAudience(team_a_, deadline_,
                                          Named("Buyers", "create-1"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(1));

  // Another body under the key: refused, naming it; nothing written.
  auto other = mutations_->CreateAudience(team_a_, deadline_,
                                          Named("Sellers", "create-1"));
  EXPECT_THAT(
      other, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("create-1")));
  EXPECT_EQ(FirstViolatedField(other.status()), "request_id");
  // The same body from another team is that team's own request.
  Requester team_c{"tm_c", "mb_3", "owner"};
  EXPECT_THAT(mutations_->CreateAudience(team_c, deadline_,
                                         Named("Sellers", "create-1")),
              IsOk());
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(1));

  // Without a request id every call creates.
  ASSERT_THAT(mutations_->CreateAudience(team_a_, deadline_, Named("B", "")),
              IsOk());
  ASSERT_THAT(mutations_->CreateAudience(team_a_, deadline_, Named("B", "")),
              IsOk());
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(3));
}

// A replica that wrote the audience and died before answering: the retry
// finds the audience by the recorded id instead of writing another.
TEST_F(AudienceMutationsTest, CreateAudienceTakenOverAnswersTheEarlierOne) {
  auto first = mutations_->CreateAudience(team_a_, deadline_,
                                          Named("Buyers", "create-1"));
  ASSERT_THAT(first, IsOk());
  Orphan("audience.CreateAudience", "create-1");
  auto reconciled = mutations_->CreateAudience(team_a_, deadline_,
                                               Named("Buyers", "create-1"));
  ASSERT_THAT(reconciled, IsOk());
  EXPECT_EQ(reconciled->audience_id(), first->audience_id());
  EXPECT_EQ(reconciled->create_time().SerializeAsString(),
            first->create_time().SerializeAsString());
  EXPECT_THAT(*audiences_->List(team_a_, ""), SizeIs(1));
}

// INVALID_ARGUMENT gives the key back: the corrected request may reuse it.
TEST_F(AudienceMutationsTest, AnInvalidCreateGivesItsKeyBack) {
  EXPECT_THAT(mutations_->CreateAudience(team_a_, deadline_,
                                         Named(std::string(129, 'x'), "k")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(mutations_->CreateAudience(team_a_, deadline_, Named("ok", "k")),
              IsOk());
}

TEST_F(AudienceMutationsTest, DeleteAudienceTwiceUnderOneKeyDeletesOnce) {
  AudienceRecord a = MakeAudience(team_a_);
  v1::DeleteAudienceRequest req;
  req.set_advertiser_id("7001");
  req.set_audience_id(a.id);
  req.set_request_id("delete-1");
  EXPECT_THAT(mutations_->DeleteAudience(team_a_, deadline_, req), IsOk());
  EXPECT_THAT(mutations_->DeleteAudience(team_a_, deadline_, req), IsOk());
  EXPECT_THAT(audiences_->Get(team_a_, "7001", a.id),
              StatusIs(absl::StatusCode::kNotFound));
  // Without a key the second delete is NOT_FOUND (AIP-135).
  req.set_request_id("");
  EXPECT_THAT(mutations_->DeleteAudience(team_a_, deadline_, req),
              StatusIs(absl::StatusCode::kNotFound));
}

// A call that takes over an attempt that had started deleting answers OK
// when it finds the audience gone.
TEST_F(AudienceMutationsTest, DeleteAudienceTakenOverFindsItGone) {
  AudienceRecord a = MakeAudience(team_a_);
  v1::DeleteAudienceRequest req;
  req.set_advertiser_id("7001");
  req.set_audience_id(a.id);
  req.set_request_id("delete-1");
  ASSERT_THAT(mutations_->DeleteAudience(team_a_, deadline_, req), IsOk());
  Orphan("audience.DeleteAudience", "delete-1");
  EXPECT_THAT(mutations_->DeleteAudience(team_a_, deadline_, req), IsOk());
}

TEST_F(AudienceMutationsTest, DisqualifyMembersRefusesUnknownTypesAndReplays) {
  AudienceRecord a = MakeAudience(team_a_);
  v1::DisqualifyMembersRequest req;
  req.set_audience_id(a.id);
  req.set_request_id("dq-1");
  auto* batch = req.add_batches();
  batch->set_type(static_cast<v1::IdentifierType>(9));
  batch->add_values("user1@example.com");
  auto bad = mutations_->DisqualifyMembers(team_a_, deadline_, req);
  ASSERT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad.status()), "batches[0].type");

  batch->set_type(v1::IDENTIFIER_TYPE_EMAIL);
  auto first = mutations_->DisqualifyMembers(team_a_, deadline_, req);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->queued(), 1);
  ASSERT_EQ(first->audience_ids_size(), 1);
  EXPECT_EQ(first->audience_ids(0), a.id);
  // The replay answers the first time's audiences, also after more exist.
  MakeAudience(team_a_);
  req.set_audience_id("");
  req.set_advertiser_id("7001");
  auto other_body = mutations_->DisqualifyMembers(team_a_, deadline_, req);
  EXPECT_THAT(other_body, StatusIs(absl::StatusCode::kAlreadyExists));
  req.set_advertiser_id("");
  req.set_audience_id(a.id);
  auto replay = mutations_->DisqualifyMembers(team_a_, deadline_, req);
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ(replay->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(1));
}

}  // namespace
}  // namespace ttads::audience
