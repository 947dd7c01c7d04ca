#include "services/preflight/caching_authenticator.h"

#include "gtest/gtest.h"

namespace ttads::preflight {
namespace {

class CountingAuthenticator : public server::Authenticator {
 public:
  absl::StatusOr<server::Caller> Authenticate(std::string_view key) override {
    ++calls;
    if (key != "ttads_good") return absl::UnauthenticatedError("bad key");
    return server::Caller{.team_id = "tm_a",
                          .member_id = "mb_a",
                          .role = "owner",
                          .key_id = "key_a"};
  }
  int calls = 0;
};

TEST(CachingAuthenticatorTest, ReusesSuccessWithinTtlOnly) {
  CountingAuthenticator inner;
  absl::Time now = absl::FromUnixSeconds(1000);
  CachingAuthenticator auth(&inner, absl::Seconds(2), 100, [&] { return now; });
  ASSERT_TRUE(auth.Authenticate("ttads_good").ok());
  auto again = auth.Authenticate("ttads_good");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->team_id, "tm_a");
  EXPECT_EQ(inner.calls, 1);
  now += absl::Seconds(3);
  ASSERT_TRUE(auth.Authenticate("ttads_good").ok());
  EXPECT_EQ(inner.calls, 2);
}

TEST(CachingAuthenticatorTest, NeverCachesFailures) {
  CountingAuthenticator inner;
  CachingAuthenticator auth(&inner, absl::Seconds(2));
  EXPECT_EQ(auth.Authenticate("ttads_bad").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("ttads_bad").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(inner.calls, 2);
}

TEST(CachingAuthenticatorTest, ZeroTtlPassesThrough) {
  CountingAuthenticator inner;
  CachingAuthenticator auth(&inner, absl::ZeroDuration());
  ASSERT_TRUE(auth.Authenticate("ttads_good").ok());
  ASSERT_TRUE(auth.Authenticate("ttads_good").ok());
  EXPECT_EQ(inner.calls, 2);
}

}  // namespace
}  // namespace ttads::preflight
