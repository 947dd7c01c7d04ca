#include "services/audience/audience_proto.h"

#include <map>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// A job record names its source and invalid reasons as it always stored
// them ("disqualification", "bad_email", ...); the answer carries the
// contract's enums, and a name this version does not know is UNSPECIFIED.
TEST(AudienceToProtoTest, StoredNamesBecomeTheContractsEnums) {
  JobRecord j;
  j.source = ParseJobSource("disqualification");
  j.invalid = {{"empty", 1},    {"bad_email", 2},        {"bad_phone", 3},
               {"bad_maid", 4}, {"mixed_hashed_raw", 5}, {"too_long", 6},
               {"later", 7}};
  v1::SyncJob out;
  ToProto(j, &out);
  EXPECT_EQ(out.source(), v1::SYNC_JOB_SOURCE_DISQUALIFICATION);
  std::map<int64_t, v1::InvalidReason> by_count;
  for (const v1::InvalidIdentifiers& inv : out.invalid()) {
    by_count[inv.count()] = inv.reason();
  }
  EXPECT_EQ(by_count[1], v1::INVALID_REASON_EMPTY);
  EXPECT_EQ(by_count[2], v1::INVALID_REASON_BAD_EMAIL);
  EXPECT_EQ(by_count[3], v1::INVALID_REASON_BAD_PHONE);
  EXPECT_EQ(by_count[4], v1::INVALID_REASON_BAD_MAID);
  EXPECT_EQ(by_count[5], v1::INVALID_REASON_MIXED_HASHED_RAW);
  EXPECT_EQ(by_count[6], v1::INVALID_REASON_TOO_LONG);
  EXPECT_EQ(by_count[7], v1::INVALID_REASON_UNSPECIFIED);
  j.source = ParseJobSource("sync");
  ToProto(j, &out);
  EXPECT_EQ(out.source(), v1::SYNC_JOB_SOURCE_SYNC);
}

TEST(AudienceToProtoTest, AnAudienceWithWhatWaitsForIt) {
  AudienceView view;
  view.record.id = "aud_1";
  view.record.types = {IdType::kEmail, IdType::kMaid};
  view.record.default_region = "GB";
  view.size = 1200;
  view.pending_removals = 3;
  view.next_refresh = absl::FromUnixMillis(1700000000250);
  v1::Audience out;
  ToProto(view, &out);
  EXPECT_EQ(out.audience_id(), "aud_1");
  EXPECT_THAT(out.identifier_types(),
              ElementsAre(v1::IDENTIFIER_TYPE_EMAIL, v1::IDENTIFIER_TYPE_MAID));
  EXPECT_EQ(out.default_region(), "GB");
  EXPECT_EQ(out.size(), 1200);
  EXPECT_EQ(out.pending_removals(), 3);
  EXPECT_EQ(out.next_refresh_time().seconds(), 1700000000);
  EXPECT_EQ(out.next_refresh_time().nanos(), 250000000);
}

TEST(AudienceFromProtoTest, OperationsAndBatches) {
  EXPECT_EQ(OperationOf(v1::MEMBER_OPERATION_ADD), Operation::kAdd);
  EXPECT_EQ(OperationOf(v1::MEMBER_OPERATION_REMOVE), Operation::kRemove);
  EXPECT_EQ(static_cast<int>(OperationOf(v1::MEMBER_OPERATION_UNSPECIFIED)), 0);

  v1::DisqualifyMembersRequest req;
  auto* email = req.add_batches();
  email->set_type(v1::IDENTIFIER_TYPE_EMAIL);
  email->add_values("a@example.com");
  auto* phone = req.add_batches();
  phone->set_type(v1::IDENTIFIER_TYPE_PHONE);
  EXPECT_THAT(BatchesOf(req.batches()),
              IsOkAndHolds(ElementsAre(Field(&Batch::type, IdType::kEmail),
                                       Field(&Batch::type, IdType::kPhone))));
  phone->set_type(static_cast<v1::IdentifierType>(6));
  auto bad = BatchesOf(req.batches());
  ASSERT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest br;
  ASSERT_TRUE(status::GetDetail(bad.status(), &br));
  EXPECT_EQ(br.field_violations(0).field(), "batches[1].type");
}

}  // namespace
}  // namespace ttads::audience
