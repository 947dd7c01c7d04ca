// Fuzzes audience identifier normalisation (libs/identifiers) with hostile
// values: malformed UTF-8, NULs, overlong input, odd phone formats.
// The first byte picks the identifier type and the options. Invariants:
// - Normalize and Digest agree: a raw value that normalises to N has the
//   digest SHA-256(N) and was_hashed == false;
// - 64-hex input is passed through (decoded), never hashed again;
// - normalising is idempotent for emails, MAIDs and E.164-with-plus phones;
// - accepted values are never longer than kMaxInputBytes before trimming.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "libs/identifiers/identifiers.h"

namespace {

using ttads::identifiers::IdType;
using ttads::identifiers::Normalizer;
using ttads::identifiers::NormalizerOptions;
using ttads::identifiers::Reason;

void Check(bool condition) {
  if (!condition) std::abort();
}

const Normalizer& GetNormalizer(uint8_t selector) {
  static const Normalizer* normalizers = [] {
    auto* n = static_cast<Normalizer*>(operator new(sizeof(Normalizer) * 12));
    const char* regions[] = {"US", "GB", "DE"};
    int i = 0;
    for (const char* region : regions) {
      for (auto rule : {ttads::identifiers::EmailRule::kAllDomains,
                        ttads::identifiers::EmailRule::kGmailOnly}) {
        for (auto form : {ttads::identifiers::PhoneHashForm::kDigitsOnly,
                          ttads::identifiers::PhoneHashForm::kE164WithPlus}) {
          NormalizerOptions options;
          options.default_region = region;
          options.email_rule = rule;
          options.phone_hash_form = form;
          new (&n[i++]) Normalizer(options);
        }
      }
    }
    return n;
  }();
  return normalizers[selector % 12];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const IdType type =
      static_cast<IdType>(selector % ttads::identifiers::kIdTypeCount);
  const Normalizer& normalizer =
      GetNormalizer(selector / ttads::identifiers::kIdTypeCount);
  const absl::string_view value(reinterpret_cast<const char*>(data + 1),
                                size - 1);

  std::string normalized;
  const Reason reason = normalizer.Normalize(type, value, &normalized);
  (void)ttads::identifiers::ReasonName(reason);

  uint8_t digest[32];
  bool was_hashed = false;
  std::string scratch;
  const Reason digest_reason =
      normalizer.Digest(type, value, digest, &was_hashed, &scratch);

  if (ttads::identifiers::IsSha256Hex(value)) {
    Check(digest_reason == Reason::kOk && was_hashed);
    uint8_t decoded[32];
    Check(ttads::identifiers::HexDecode32(value, decoded));
    Check(std::memcmp(decoded, digest, 32) == 0);
    char hex[64];
    ttads::identifiers::HexEncode(digest, 32, hex);
    for (int i = 0; i < 64; ++i) {
      Check(hex[i] == absl::ascii_tolower(value[i]));
    }
    return 0;
  }

  // Surrounding blanks around 64 hex: Digest takes the already-hashed path.
  if (digest_reason == Reason::kOk && was_hashed) return 0;
  if (reason != Reason::kOk) {
    Check(digest_reason == reason);
    return 0;
  }
  Check(value.size() <= ttads::identifiers::kMaxInputBytes);
  Check(!normalized.empty());
  Check(digest_reason == Reason::kOk && !was_hashed);
  uint8_t expected[32];
  ttads::identifiers::Sha256Raw(normalized, expected);
  Check(std::memcmp(expected, digest, 32) == 0);

  const bool idempotent_form =
      type != IdType::kPhone ||
      normalizer.options().phone_hash_form ==
          ttads::identifiers::PhoneHashForm::kE164WithPlus;
  if (idempotent_form) {
    std::string again;
    Check(normalizer.Normalize(type, normalized, &again) == Reason::kOk);
    Check(again == normalized);
  }
  return 0;
}
