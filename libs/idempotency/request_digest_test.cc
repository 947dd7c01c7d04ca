#include "libs/idempotency/request_digest.h"

#include "gtest/gtest.h"
#include "ttads/audience/v1/audience_service.pb.h"

namespace ttads::idempotency {
namespace {

namespace v1 = ::ttads::audience::v1;

v1::CreateAudienceRequest Request() {
  v1::CreateAudienceRequest r;
  r.set_advertiser_id("7101000000000000001");
  r.mutable_audience()->set_name("Buyers");
  r.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
  return r;
}

TEST(RequestDigestTest, IgnoresRequestIdOnly) {
  v1::CreateAudienceRequest a = Request();
  v1::CreateAudienceRequest b = Request();
  b.set_request_id("r-1");
  EXPECT_EQ(RequestDigest(a), RequestDigest(b));
  b.mutable_audience()->set_name("Buyers 2");
  EXPECT_NE(RequestDigest(a), RequestDigest(b));
  EXPECT_EQ(RequestDigest(a).size(), 64u);
}

TEST(RequestDigestTest, DoesNotDependOnTheWireOrderOfFields) {
  v1::CreateAudienceRequest name_only;
  name_only.mutable_audience()->set_name("Buyers");
  v1::CreateAudienceRequest advertiser_only;
  advertiser_only.set_advertiser_id("7101000000000000001");
  // Protobuf merges concatenated messages: the same request, fields in the
  // opposite order on the wire.
  v1::CreateAudienceRequest forward, backward;
  ASSERT_TRUE(forward.ParseFromString(advertiser_only.SerializeAsString() +
                                      name_only.SerializeAsString()));
  ASSERT_TRUE(backward.ParseFromString(name_only.SerializeAsString() +
                                       advertiser_only.SerializeAsString()));
  EXPECT_EQ(RequestDigest(forward), RequestDigest(backward));
}

TEST(RequestDigestTest, StreamDigestCountsMessageBoundaries) {
  v1::SyncMembersRequest one;
  auto* b1 = one.add_batches();
  b1->set_type(v1::IDENTIFIER_TYPE_EMAIL);
  b1->add_values("a@example.com");
  v1::SyncMembersRequest two;
  auto* b2 = two.add_batches();
  b2->set_type(v1::IDENTIFIER_TYPE_EMAIL);
  b2->add_values("b@example.com");
  v1::SyncMembersRequest both;
  *both.add_batches() = *b1;
  *both.add_batches() = *b2;

  StreamDigest split;
  split.Add(one);
  split.Add(two);
  StreamDigest joined;
  joined.Add(both);
  EXPECT_NE(split.Finish(), joined.Finish());

  StreamDigest with_id;
  v1::SyncMembersRequest first = one;
  first.set_request_id("sync-1");
  with_id.Add(first);
  with_id.Add(two);
  StreamDigest again;
  again.Add(one);
  again.Add(two);
  EXPECT_EQ(with_id.Finish(), again.Finish());
}

}  // namespace
}  // namespace ttads::idempotency
