#ifndef TTADS_LIBS_IDENTIFIERS_IDENTIFIERS_H_
#define TTADS_LIBS_IDENTIFIERS_IDENTIFIERS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// Normalisation and hashing of audience identifiers (docs/audience.md),
// following TikTok's customer-file rules (tiktok-api.md, "Normalisation
// before hashing"):
//
// - EMAIL: trim, lowercase, must look like local@domain.tld; then, per
//   EmailRule, a "+tag" is cut from the local part and its dots removed.
// - PHONE: parsed with libphonenumber (numbers without "+" are read in the
//   default region: the audience's or upload's when given, else the
//   process-wide one), must be a valid number, formatted E.164; the hashed
//   form is E.164 with the "+" (TikTok's recommended form), or without it
//   when PhoneHashForm says so.
// - IDFA / GAID / MAID: trim, lowercase, must be a UUID
//   (8-4-4-4-12 hex); the all-zero id (tracking disabled) is rejected.
// - Already hashed input: 64 hex characters (any case) are passed through
//   lowercased, never hashed again.
//
// Every invalid value yields a Reason, so callers count rejects by reason
// and never drop anything silently.
namespace ttads::identifiers {

enum class IdType : uint8_t { kEmail = 0, kPhone, kIdfa, kGaid, kMaid };
inline constexpr int kIdTypeCount = 5;

// "EMAIL", "PHONE", "IDFA", "GAID", "MAID".
absl::string_view IdTypeName(IdType type);
// TikTok's calculate_type for SHA-256 digests of `type`: "EMAIL_SHA256",
// "PHONE_SHA256", "IDFA_SHA256", "GAID_SHA256", and "FIRST_SHA256" for a
// MAID of either platform: /dmp/custom_audience/create/ accepts no
// MAID_SHA256 (it is only an alias of FIRST_SHA256 on the upload endpoint;
// docs/tiktok-contract/audience.md).
absl::string_view CalculateType(IdType type);
// The header row of a customer file of `type`: "Email_SHA256",
// "Phone_SHA256", "IDFA_SHA256", "GAID_SHA256", "MAID_SHA256".
absl::string_view FileHeader(IdType type);

enum class Reason : uint8_t {
  kOk = 0,
  kEmpty,           // blank after trimming
  kBadEmail,        // not local@domain.tld
  kBadPhone,        // libphonenumber cannot parse it or it is not valid
  kBadMaid,         // not a UUID, or the all-zero id
  kMixedHashedRaw,  // hashed and raw values mixed in one batch (BatchMode)
  kTooLong,         // longer than kMaxInputBytes
};
inline constexpr int kReasonCount = 7;
// Lowercase snake names: "ok", "empty", "bad_email", "bad_phone",
// "bad_maid", "mixed_hashed_raw", "too_long".
absl::string_view ReasonName(Reason reason);

// Raw values longer than this are rejected (kTooLong) before any parsing.
inline constexpr size_t kMaxInputBytes = 320;

// How the local part of an email is canonicalised before hashing.
enum class EmailRule : uint8_t {
  // Cut "+tag" and remove dots for every domain: TikTok's customer-file
  // guide and Segment's destination do this (the default).
  kAllDomains,
  // Only for gmail.com / googlemail.com, whose mail servers ignore them.
  kGmailOnly,
  // Trim and lowercase only.
  kNone,
};

// Which text of a phone number is hashed.
enum class PhoneHashForm : uint8_t {
  // E.164 with the plus ("+14155552671"): the form TikTok's customer-file
  // pages require (2024: "E.164 format only") and recommend (2025); the
  // default.
  kE164WithPlus,
  // Country code and national number, digits only ("14155552671"): listed
  // as "also supported" by the 2025 page only; opt-in.
  kDigitsOnly,
};

struct NormalizerOptions {
  // ISO 3166-1 alpha-2 region for numbers written without "+" (e.g. "US",
  // "GB"); see CanonicalRegion().
  std::string default_region = "US";
  EmailRule email_rule = EmailRule::kAllDomains;
  PhoneHashForm phone_hash_form = PhoneHashForm::kE164WithPlus;
};

// The canonical form of a default region: two ASCII letters (any case),
// upper-cased, that libphonenumber knows as a region (ISO 3166-1 alpha-2,
// e.g. "GB"; "UK" is not one). Empty when `region` is not such a code.
std::string CanonicalRegion(absl::string_view region);

// SHA-256 of `data` as 64 lowercase hex characters written to `out`.
void Sha256Hex(absl::string_view data, char out[64]);
// Raw 32-byte SHA-256 of `data`.
void Sha256Raw(absl::string_view data, uint8_t out[32]);
// Lowercase hex of `n` bytes into `out` (2n characters), by table.
void HexEncode(const uint8_t* bytes, size_t n, char* out);
// Decodes 64 hex characters (any case) into 32 bytes; false if not hex.
bool HexDecode32(absl::string_view hex, uint8_t out[32]);
// True for exactly 64 hex characters (any case).
bool IsSha256Hex(absl::string_view value);

// Stateless apart from its options; safe to share between threads.
class Normalizer {
 public:
  explicit Normalizer(NormalizerOptions options = {});

  const NormalizerOptions& options() const { return options_; }

  // A normaliser with the same options but `default_region` (already
  // canonical, see CanonicalRegion) for numbers without "+": the region of
  // one audience or one upload.
  Normalizer WithRegion(absl::string_view default_region) const;

  // The normalised text of a raw value (what gets hashed) into `*out`
  // (reused: no allocation once it has grown). Already-hashed input is not
  // accepted here; see Digest().
  Reason Normalize(IdType type, absl::string_view raw, std::string* out) const;

  // The 32-byte SHA-256 digest of a value into `digest`: already-hashed
  // input (64 hex) is decoded, raw input is normalised then hashed.
  // `*was_hashed` (optional) says which. `scratch` is a reusable buffer.
  Reason Digest(IdType type, absl::string_view value, uint8_t digest[32],
                bool* was_hashed, std::string* scratch) const;

 private:
  Reason NormalizeEmail(absl::string_view in, std::string* out) const;
  Reason NormalizePhone(absl::string_view in, std::string* out) const;
  static Reason NormalizeMaid(absl::string_view in, std::string* out);

  NormalizerOptions options_;
};

// Enforces one form per batch (one "field"): the first valid value decides
// whether the batch is hashed or raw, and a value of the other form is
// rejected with kMixedHashedRaw (a batch mixing both usually means an
// upstream pipeline hashed some rows twice or not at all).
class BatchMode {
 public:
  // kOk, or kMixedHashedRaw when `was_hashed` differs from the batch's form.
  Reason Check(bool was_hashed);
  void Reset() { state_ = 0; }

 private:
  int state_ = 0;  // 0 unknown, 1 raw, 2 hashed
};

}  // namespace ttads::identifiers

#endif  // TTADS_LIBS_IDENTIFIERS_IDENTIFIERS_H_
