#include "libs/identifiers/identifiers.h"

#include <string>

#include "gtest/gtest.h"

namespace ttads::identifiers {
namespace {

std::string Norm(const Normalizer& n, IdType type, absl::string_view raw,
                 Reason* reason = nullptr) {
  std::string out;
  Reason r = n.Normalize(type, raw, &out);
  if (reason) *reason = r;
  return r == Reason::kOk ? out : std::string(ReasonName(r));
}

std::string DigestHex(const Normalizer& n, IdType type, absl::string_view v,
                      bool* was_hashed = nullptr) {
  uint8_t d[32];
  std::string scratch;
  Reason r = n.Digest(type, v, d, was_hashed, &scratch);
  if (r != Reason::kOk) return std::string(ReasonName(r));
  char hex[64];
  HexEncode(d, 32, hex);
  return std::string(hex, 64);
}

TEST(Sha256Test, KnownVector) {
  char out[64];
  Sha256Hex("abc", out);
  EXPECT_EQ(std::string(out, 64),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HexTest, RoundTripAndRejects) {
  uint8_t b[32];
  const std::string upper(
      "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  ASSERT_TRUE(HexDecode32(upper, b));
  char hex[64];
  HexEncode(b, 32, hex);
  EXPECT_EQ(std::string(hex, 64),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(HexDecode32(upper.substr(0, 63) + "g", b));
  EXPECT_FALSE(IsSha256Hex(upper.substr(1)));
  EXPECT_TRUE(IsSha256Hex(upper));
}

TEST(EmailTest, TrimLowercaseTagAndDotsAllDomains) {
  Normalizer n;
  EXPECT_EQ(Norm(n, IdType::kEmail, "  John.Smith+promo@Gmail.COM \n"),
            "johnsmith@gmail.com");
  EXPECT_EQ(Norm(n, IdType::kEmail, "a.b+x+y@example.co.uk"),
            "ab@example.co.uk");
  EXPECT_EQ(Norm(n, IdType::kEmail, "Plain@Example.com"), "plain@example.com");
  EXPECT_EQ(DigestHex(n, IdType::kEmail, "John.Smith+promo@Gmail.COM"),
            "3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586");
}

TEST(EmailTest, GmailOnlyRuleKeepsOtherDomains) {
  Normalizer n({.email_rule = EmailRule::kGmailOnly});
  EXPECT_EQ(Norm(n, IdType::kEmail, "a.b+x@example.com"), "a.b+x@example.com");
  EXPECT_EQ(Norm(n, IdType::kEmail, "a.b+x@googlemail.com"),
            "ab@googlemail.com");
  Normalizer none({.email_rule = EmailRule::kNone});
  EXPECT_EQ(Norm(none, IdType::kEmail, "A.b+x@Gmail.com"), "a.b+x@gmail.com");
}

TEST(EmailTest, Invalid) {
  Normalizer n;
  EXPECT_EQ(Norm(n, IdType::kEmail, "   "), "empty");
  EXPECT_EQ(Norm(n, IdType::kEmail, ""), "empty");
  for (const char* bad :
       {"no-at.example.com", "@example.com", "a@", "a@b", "a@@b.com",
        "a@b..com", "a b@c.com", "a@.b.com", "+tag@example.com", "a@b.com."}) {
    EXPECT_EQ(Norm(n, IdType::kEmail, bad), "bad_email") << bad;
  }
  EXPECT_EQ(Norm(n, IdType::kEmail, std::string(400, 'a') + "@b.com"),
            "too_long");
}

TEST(PhoneTest, NationalFormatsToE164) {
  Normalizer us({.default_region = "US",
                 .phone_hash_form = PhoneHashForm::kE164WithPlus});
  EXPECT_EQ(Norm(us, IdType::kPhone, "(415) 555-2671"), "+14155552671");
  EXPECT_EQ(Norm(us, IdType::kPhone, "415.555.2671"), "+14155552671");
  EXPECT_EQ(Norm(us, IdType::kPhone, "+1 415-555-2671"), "+14155552671");
  EXPECT_EQ(Norm(us, IdType::kPhone, "+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(Norm(us, IdType::kPhone, "+49 30 901820"), "+4930901820");

  Normalizer gb({.default_region = "GB",
                 .phone_hash_form = PhoneHashForm::kE164WithPlus});
  EXPECT_EQ(Norm(gb, IdType::kPhone, "020 7946 0958"), "+442079460958");
  EXPECT_EQ(Norm(gb, IdType::kPhone, "07911 123456"), "+447911123456");

  Normalizer de({.default_region = "DE",
                 .phone_hash_form = PhoneHashForm::kE164WithPlus});
  EXPECT_EQ(Norm(de, IdType::kPhone, "030 901820"), "+4930901820");
  EXPECT_EQ(Norm(de, IdType::kPhone, "0151 23456789"), "+4915123456789");
  EXPECT_EQ(Norm(de, IdType::kPhone, "+49 (0)30 901820"), "+4930901820");
}

// TikTok's customer-file pages: "E.164 format only" (2024), "+" recommended
// and digits-only "also supported" (2025): the stricter "+" is the default.
TEST(PhoneTest, HashedFormIsE164WithPlusByDefault) {
  Normalizer n;  // US, kE164WithPlus
  EXPECT_EQ(Norm(n, IdType::kPhone, "(415) 555-2671"), "+14155552671");
  EXPECT_EQ(DigestHex(n, IdType::kPhone, "(415) 555-2671"),
            "cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928");
  Normalizer digits({.phone_hash_form = PhoneHashForm::kDigitsOnly});
  EXPECT_EQ(DigestHex(digits, IdType::kPhone, "(415) 555-2671"),
            "758fbf68945f21c416814c539ab578876c8d98fb69e6da692def92cd52417fe0");
}

TEST(RegionTest, CanonicalRegionIsIso3166Alpha2KnownToLibphonenumber) {
  EXPECT_EQ(CanonicalRegion("GB"), "GB");
  EXPECT_EQ(CanonicalRegion("gb"), "GB");
  EXPECT_EQ(CanonicalRegion("De"), "DE");
  for (const char* bad : {"", "UK", "ZZ", "G", "GBR", "G1", "001", " G"}) {
    EXPECT_EQ(CanonicalRegion(bad), "") << bad;
  }
}

// A UK list on a US-configured process: the number only parses with the
// audience's or upload's own region.
TEST(RegionTest, WithRegionReadsNationalNumbersInThatRegion) {
  Normalizer us;  // process-wide US
  EXPECT_EQ(Norm(us, IdType::kPhone, "020 7946 0958"), "bad_phone");
  Normalizer gb = us.WithRegion("GB");
  EXPECT_EQ(Norm(gb, IdType::kPhone, "020 7946 0958"), "+442079460958");
  EXPECT_EQ(gb.options().phone_hash_form, us.options().phone_hash_form);
  // Numbers with "+" do not depend on the region.
  EXPECT_EQ(Norm(gb, IdType::kPhone, "+1 415 555 2671"), "+14155552671");
}

TEST(CalculateTypeTest, MaidUsesFirstSha256WhichCreateAccepts) {
  EXPECT_EQ(CalculateType(IdType::kIdfa), "IDFA_SHA256");
  EXPECT_EQ(CalculateType(IdType::kGaid), "GAID_SHA256");
  EXPECT_EQ(CalculateType(IdType::kMaid), "FIRST_SHA256");
  EXPECT_EQ(FileHeader(IdType::kMaid), "MAID_SHA256");
}

TEST(PhoneTest, Invalid) {
  Normalizer n;
  for (const char* bad : {"12", "phone: 415", "555-0000-1-2-3-4-5-6-7",
                          "+999 1234567", "abc@example.com", "(415) 555-267"}) {
    EXPECT_EQ(Norm(n, IdType::kPhone, bad), "bad_phone") << bad;
  }
  EXPECT_EQ(Norm(n, IdType::kPhone, " \t"), "empty");
}

TEST(MaidTest, TrimLowercaseUuid) {
  Normalizer n;
  EXPECT_EQ(Norm(n, IdType::kIdfa, " 6B2A1E1C-9F3E-4D2A-8B7C-0123456789AB "),
            "6b2a1e1c-9f3e-4d2a-8b7c-0123456789ab");
  EXPECT_EQ(DigestHex(n, IdType::kGaid, "6B2A1E1C-9F3E-4D2A-8B7C-0123456789AB"),
            "dbbe033360c7c8ec0a76f4fc705a8739cf6115ba70791414fa47a85cfb1c56ee");
  for (const char* bad : {"6b2a1e1c9f3e4d2a8b7c0123456789ab",
                          "6b2a1e1c-9f3e-4d2a-8b7c-0123456789a",
                          "zb2a1e1c-9f3e-4d2a-8b7c-0123456789ab",
                          "00000000-0000-0000-0000-000000000000"}) {
    EXPECT_EQ(Norm(n, IdType::kMaid, bad), "bad_maid") << bad;
  }
}

TEST(HashedInputTest, PassedThroughLowercased) {
  Normalizer n;
  bool hashed = false;
  EXPECT_EQ(
      DigestHex(
          n, IdType::kEmail,
          " 3586DE92BB3636D0885A12EFF961429A32E4EBD764B96F50D85D016F9338D586",
          &hashed),
      "3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586");
  EXPECT_TRUE(hashed);
  DigestHex(n, IdType::kEmail, "a@b.com", &hashed);
  EXPECT_FALSE(hashed);
}

TEST(BatchModeTest, FirstFormWins) {
  BatchMode mode;
  EXPECT_EQ(mode.Check(true), Reason::kOk);
  EXPECT_EQ(mode.Check(true), Reason::kOk);
  EXPECT_EQ(mode.Check(false), Reason::kMixedHashedRaw);
  mode.Reset();
  EXPECT_EQ(mode.Check(false), Reason::kOk);
  EXPECT_EQ(mode.Check(true), Reason::kMixedHashedRaw);
}

TEST(NamesTest, TypesAndReasons) {
  EXPECT_EQ(FileHeader(IdType::kEmail), "Email_SHA256");
  EXPECT_EQ(CalculateType(IdType::kPhone), "PHONE_SHA256");
  EXPECT_EQ(ReasonName(Reason::kMixedHashedRaw), "mixed_hashed_raw");
}

}  // namespace
}  // namespace ttads::identifiers
