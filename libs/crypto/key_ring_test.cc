#include "libs/crypto/key_ring.h"

#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::crypto {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

std::string B64(char fill) { return absl::Base64Escape(std::string(32, fill)); }
AeadKey Key(char fill) { return *AeadKey::FromBytes(std::string(32, fill)); }

KeyRing Ring(std::map<char, const char*> keys, const char* current) {
  std::map<std::string, AeadKey> m;
  for (const auto& [fill, id] : keys) m.emplace(id, Key(fill));
  return *KeyRing::Create(std::move(m), current);
}

TEST(KeyRingTest, EncryptsUnderTheCurrentIdAndDecryptsEveryConfiguredOne) {
  const KeyRing a = Ring({{'a', "a"}}, "a");
  auto under_a = a.Encrypt("token-1", "team:T/conn:C");
  ASSERT_THAT(under_a, IsOk());
  EXPECT_THAT(*under_a, StartsWith("$k1$a$"));
  EXPECT_THAT(KeyRing::KeyIdOf(*under_a), IsOkAndHolds("a"));

  const KeyRing ab = Ring({{'a', "a"}, {'b', "b"}}, "b");
  auto under_b = ab.Encrypt("token-2", "team:T/conn:C");
  ASSERT_THAT(under_b, IsOk());
  EXPECT_THAT(KeyRing::KeyIdOf(*under_b), IsOkAndHolds("b"));
  EXPECT_THAT(ab.Decrypt(*under_a, "team:T/conn:C"), IsOkAndHolds("token-1"));
  EXPECT_THAT(ab.Decrypt(*under_b, "team:T/conn:C"), IsOkAndHolds("token-2"));

  // With "a" removed, what "b" wrote still decrypts; "a"'s value is a clear
  // FAILED_PRECONDITION naming the id.
  const KeyRing b = Ring({{'b', "b"}}, "b");
  EXPECT_THAT(b.Decrypt(*under_b, "team:T/conn:C"), IsOkAndHolds("token-2"));
  EXPECT_THAT(b.Decrypt(*under_a, "team:T/conn:C"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("key id \"a\"")));
}

TEST(KeyRingTest, ReadsAndWritesTheFormatFromBeforeKeyIds) {
  // What crypto::Encrypt wrote before key ids is read as the legacy key.
  auto old = Encrypt(Key('L'), "old-token", "team:T/conn:C");
  ASSERT_THAT(old, IsOk());
  EXPECT_THAT(KeyRing::KeyIdOf(*old), IsOkAndHolds(kLegacyKeyId));
  const KeyRing single = KeyRing::Single(Key('L'));
  EXPECT_THAT(single.Decrypt(*old, "team:T/conn:C"), IsOkAndHolds("old-token"));
  // The legacy key still writes that format, readable by older binaries.
  auto again = single.Encrypt("new-token", "team:T/conn:C");
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(Decrypt(Key('L'), *again, "team:T/conn:C"),
              IsOkAndHolds("new-token"));
  // A ring without the legacy key names the setting to restore.
  EXPECT_THAT(Ring({{'b', "b"}}, "b").Decrypt(*old, "team:T/conn:C"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("TTADS_TOKEN_ENCRYPTION_KEY")));
}

TEST(KeyRingTest, HeaderAndAssociatedDataAreAuthenticated) {
  const KeyRing ring = Ring({{'a', "a"}, {'b', "b"}}, "a");
  auto value = ring.Encrypt("secret", "team:T/conn:C");
  ASSERT_THAT(value, IsOk());
  EXPECT_THAT(ring.Decrypt(*value, "team:T/conn:D"),
              StatusIs(absl::StatusCode::kDataLoss));
  std::string swapped = *value;
  swapped.replace(0, 6, "$k1$b$");  // claims the other key
  EXPECT_THAT(ring.Decrypt(swapped, "team:T/conn:C"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(KeyRingTest, MalformedValuesAreDataLossNotCrashes) {
  const KeyRing ring = Ring({{'a', "a"}}, "a");
  for (const char* bad : {"$", "$k1$", "$k1$a", "$k2$a$AAAA", "$k1$a b$AAAA",
                          "$k1$a$", "$k1$a$!!!", "", "not base64!"}) {
    EXPECT_THAT(ring.Decrypt(bad, "ad"), Not(IsOk())) << bad;
    EXPECT_NE(ring.Decrypt(bad, "ad").status().code(),
              absl::StatusCode::kInternal)
        << bad;
  }
  EXPECT_THAT(KeyRing::KeyIdOf("$k2$a$AAAA"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(
      ring.Decrypt("$k1$zz$AAAA", "ad"),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"zz\"")));
}

TEST(ParseKeyRingTest, LegacyVariableAloneIsTheCurrentKey) {
  auto ring = ParseKeyRing(B64('L'), "", "");
  ASSERT_THAT(ring, IsOk());
  EXPECT_EQ(ring->current_id(), kLegacyKeyId);
  EXPECT_THAT(ring->ids(), ElementsAre(kLegacyKeyId));
}

TEST(ParseKeyRingTest, KeysWithIdsAndTheLegacyOne) {
  auto ring = ParseKeyRing(
      B64('L'), " k2025:" + B64('a') + " , k2026:" + B64('b'), "k2026");
  ASSERT_THAT(ring, IsOk());
  EXPECT_EQ(ring->current_id(), "k2026");
  EXPECT_THAT(ring->ids(), ElementsAre("k2025", "k2026", kLegacyKeyId));
  // A single key in TTADS_TOKEN_KEYS needs no current id.
  auto one = ParseKeyRing("", "only:" + B64('a'), "");
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->current_id(), "only");
}

TEST(ParseKeyRingTest, ErrorsNameTheSettingAndNeverTheKey) {
  const std::string a = B64('a');
  struct Case {
    std::string legacy, keys, current, setting;
  };
  for (const Case& c : std::vector<Case>{
           {"", "", "", "TTADS_TOKEN_ENCRYPTION_KEY or TTADS_TOKEN_KEYS"},
           {"", "x:" + a + ",y:" + a, "", "TTADS_TOKEN_KEY_CURRENT"},
           {"", "x:" + a, "z", "TTADS_TOKEN_KEY_CURRENT"},
           {"", "x" + a, "", "TTADS_TOKEN_KEYS"},
           {"", "bad id:" + a, "", "TTADS_TOKEN_KEYS"},
           {"", "x:" + a + ",x:" + a, "", "TTADS_TOKEN_KEYS"},
           {"", "x:c2hvcnQ=", "", "TTADS_TOKEN_KEYS"},
           {"nope", "", "", "TTADS_TOKEN_ENCRYPTION_KEY"},
           {B64('L'), "legacy:" + a, "legacy", "TTADS_TOKEN_KEYS"},
       }) {
    auto ring = ParseKeyRing(c.legacy, c.keys, c.current);
    EXPECT_THAT(ring, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr(c.setting)))
        << c.keys;
    EXPECT_THAT(ring.status().message(), Not(HasSubstr(a)));
  }
}

}  // namespace
}  // namespace ttads::crypto
