// SparkPosts against the fake TikTok and identity service.
#include "services/ads/spark_posts.h"

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"
#include "services/ads/fake_ads_peers.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class SparkPostsTest : public AdsDomainTest {
 protected:
  FakeIdentityClient identity_;
  SparkPosts posts_{&tiktok_, &tokens_, &identity_};
};

TEST_F(SparkPostsTest, TtUserIsTheDefaultAndPagesByCursor) {
  tiktok_.identity_videos.add_videos()->set_item_id("7200000000000000001");
  tiktok_.identity_videos.set_next_page_token("cursor-2");
  v1::ListIdentityVideosRequest req;
  req.set_identity_id("6900000000000000001");
  req.set_page_token("cursor-1");
  req.set_page_size(20);
  auto posts = posts_.List(Call(), req);
  ASSERT_THAT(posts, IsOk());
  EXPECT_THAT(posts->videos(), SizeIs(1));
  EXPECT_EQ(posts->next_page_token(), "cursor-2");
  const IdentityVideoQuery& q = tiktok_.video_queries[0];
  EXPECT_EQ(q.identity_type, "TT_USER");
  EXPECT_EQ(q.cursor, "cursor-1");
  EXPECT_EQ(q.count, 20);
  EXPECT_EQ(q.identity_authorized_bc_id, "");
}

TEST_F(SparkPostsTest, BcAuthTtIsSentWithItsBusinessCenter) {
  v1::ListIdentityVideosRequest req;
  req.set_identity_id("6900000000000000002");
  req.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  ASSERT_THAT(posts_.List(Call(), req), IsOk());
  EXPECT_THAT(identity_.bc_asked,
              ::testing::ElementsAre("6900000000000000002"));
  EXPECT_EQ(tiktok_.video_queries[0].identity_authorized_bc_id,
            identity_.bc_id);
}

TEST_F(SparkPostsTest, MissingIdentityAndCustomizedUserAreRefused) {
  v1::ListIdentityVideosRequest req;
  EXPECT_EQ(Fields(posts_.List(Call(), req).status()),
            std::set<std::string>{"identity_id"});
  req.set_identity_id("6900000000000000003");
  req.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto refused = posts_.List(Call(), req);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(refused.status()), std::set<std::string>{"identity_type"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

}  // namespace
}  // namespace ttads::ads
