#include "libs/fetch/address_guard.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::fetch {
namespace {

using ::ttads::testing::IsOk;

absl::StatusCode Verdict(const std::string& host) {
  return ResolvePublic(host, /*allow_private=*/false).status().code();
}

TEST(AddressGuardTest, RefusesLoopbackInEveryNotation) {
  for (const char* host :
       {"127.0.0.1", "127.1.2.3", "2130706433", "0x7f000001", "0177.0.0.1",
        "::1", "::ffff:127.0.0.1", "0:0:0:0:0:ffff:7f00:1", "localhost",
        "0.0.0.0", "::"}) {
    EXPECT_EQ(Verdict(host), absl::StatusCode::kPermissionDenied) << host;
  }
}

TEST(AddressGuardTest, RefusesPrivateLinkLocalAndMetadata) {
  for (const char* host :
       {"10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
        "2002:a00:1::1", "224.0.0.1", "198.18.0.1"}) {
    EXPECT_EQ(Verdict(host), absl::StatusCode::kPermissionDenied) << host;
  }
}

TEST(AddressGuardTest, AcceptsPublicLiterals) {
  for (const char* host : {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
                           "::ffff:8.8.8.8", "172.32.0.1"}) {
    auto r = ResolvePublic(host, false);
    EXPECT_THAT(r, IsOk()) << host;
  }
}

TEST(AddressGuardTest, AllowPrivateLetsLoopbackThrough) {
  auto r = ResolvePublic("127.0.0.1", /*allow_private=*/true);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->front(), "127.0.0.1");
}

}  // namespace
}  // namespace ttads::fetch
