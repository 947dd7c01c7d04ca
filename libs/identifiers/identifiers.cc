// Low-level SHA256_* is used on purpose: a stack context and no provider
// lookup per call, which is what keeps hashing near `openssl speed`.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "libs/identifiers/identifiers.h"

#include <openssl/sha.h>

#include <cstring>

#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace ttads::identifiers {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// 256 entries of two lowercase hex characters each.
struct HexTable {
  char pairs[256][2];
  constexpr HexTable() : pairs() {
    for (int i = 0; i < 256; ++i) {
      pairs[i][0] = kHexDigits[i >> 4];
      pairs[i][1] = kHexDigits[i & 15];
    }
  }
};
constexpr HexTable kHexTable;

// -1 for a non-hex character.
struct UnhexTable {
  int8_t values[256];
  constexpr UnhexTable() : values() {
    for (int i = 0; i < 256; ++i) values[i] = -1;
    for (int i = 0; i < 10; ++i) values['0' + i] = static_cast<int8_t>(i);
    for (int i = 0; i < 6; ++i) {
      values['a' + i] = static_cast<int8_t>(10 + i);
      values['A' + i] = static_cast<int8_t>(10 + i);
    }
  }
};
constexpr UnhexTable kUnhex;

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

absl::string_view Trim(absl::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool IsHex(char c) {
  return kUnhex.values[static_cast<unsigned char>(c)] >= 0;
}

bool IsGmail(absl::string_view domain) {
  return domain == "gmail.com" || domain == "googlemail.com";
}

}  // namespace

absl::string_view IdTypeName(IdType type) {
  switch (type) {
    case IdType::kEmail:
      return "EMAIL";
    case IdType::kPhone:
      return "PHONE";
    case IdType::kIdfa:
      return "IDFA";
    case IdType::kGaid:
      return "GAID";
    case IdType::kMaid:
      return "MAID";
  }
  return "UNKNOWN";
}

absl::string_view CalculateType(IdType type) {
  switch (type) {
    case IdType::kEmail:
      return "EMAIL_SHA256";
    case IdType::kPhone:
      return "PHONE_SHA256";
    case IdType::kIdfa:
      return "IDFA_SHA256";
    case IdType::kGaid:
      return "GAID_SHA256";
    case IdType::kMaid:
      return "FIRST_SHA256";
  }
  return "";
}

absl::string_view FileHeader(IdType type) {
  switch (type) {
    case IdType::kEmail:
      return "Email_SHA256";
    case IdType::kPhone:
      return "Phone_SHA256";
    case IdType::kIdfa:
      return "IDFA_SHA256";
    case IdType::kGaid:
      return "GAID_SHA256";
    case IdType::kMaid:
      return "MAID_SHA256";
  }
  return "";
}

absl::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kOk:
      return "ok";
    case Reason::kEmpty:
      return "empty";
    case Reason::kBadEmail:
      return "bad_email";
    case Reason::kBadPhone:
      return "bad_phone";
    case Reason::kBadMaid:
      return "bad_maid";
    case Reason::kMixedHashedRaw:
      return "mixed_hashed_raw";
    case Reason::kTooLong:
      return "too_long";
  }
  return "unknown";
}

void Sha256Raw(absl::string_view data, uint8_t out[32]) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(out, &ctx);
}

void Sha256Hex(absl::string_view data, char out[64]) {
  uint8_t digest[32];
  Sha256Raw(data, digest);
  HexEncode(digest, 32, out);
}

void HexEncode(const uint8_t* bytes, size_t n, char* out) {
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(out + 2 * i, kHexTable.pairs[bytes[i]], 2);
  }
}

bool HexDecode32(absl::string_view hex, uint8_t out[32]) {
  if (hex.size() != 64) return false;
  for (int i = 0; i < 32; ++i) {
    const int hi = kUnhex.values[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kUnhex.values[static_cast<unsigned char>(hex[2 * i + 1])];
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return true;
}

bool IsSha256Hex(absl::string_view value) {
  if (value.size() != 64) return false;
  for (char c : value) {
    if (!IsHex(c)) return false;
  }
  return true;
}

std::string CanonicalRegion(absl::string_view region) {
  if (region.size() != 2) return "";
  std::string out;
  for (char c : region) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
    if (c < 'A' || c > 'Z') return "";
    out.push_back(c);
  }
  using i18n::phonenumbers::PhoneNumberUtil;
  // Known regions have a country calling code; unknown ones ("UK", "ZZ")
  // yield 0.
  if (PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(out) == 0) {
    return "";
  }
  return out;
}

Normalizer::Normalizer(NormalizerOptions options)
    : options_(std::move(options)) {}

Normalizer Normalizer::WithRegion(absl::string_view default_region) const {
  NormalizerOptions o = options_;
  o.default_region = std::string(default_region);
  return Normalizer(std::move(o));
}

Reason Normalizer::Normalize(IdType type, absl::string_view raw,
                             std::string* out) const {
  out->clear();
  if (raw.size() > kMaxInputBytes) return Reason::kTooLong;
  absl::string_view in = Trim(raw);
  if (in.empty()) return Reason::kEmpty;
  switch (type) {
    case IdType::kEmail:
      return NormalizeEmail(in, out);
    case IdType::kPhone:
      return NormalizePhone(in, out);
    case IdType::kIdfa:
    case IdType::kGaid:
    case IdType::kMaid:
      return NormalizeMaid(in, out);
  }
  return Reason::kEmpty;
}

Reason Normalizer::NormalizeEmail(absl::string_view in,
                                  std::string* out) const {
  const size_t at = in.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= in.size() ||
      in.find('@', at + 1) != absl::string_view::npos) {
    return Reason::kBadEmail;
  }
  absl::string_view local = in.substr(0, at);
  absl::string_view domain = in.substr(at + 1);
  // The domain: lowercase labels with at least one dot, no empty label.
  out->reserve(in.size());
  std::string& o = *out;
  const size_t dot = domain.find('.');
  if (dot == absl::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != absl::string_view::npos) {
    return Reason::kBadEmail;
  }
  for (char c : in) {
    if (IsSpace(c) || static_cast<unsigned char>(c) < 0x20 || c == ',' ||
        c == ';' || c == '<' || c == '>' || c == '"') {
      return Reason::kBadEmail;
    }
  }
  // Lowercase the domain into a small stack buffer to test for gmail.
  char domain_lower[256];
  if (domain.size() > sizeof(domain_lower)) return Reason::kBadEmail;
  for (size_t i = 0; i < domain.size(); ++i) domain_lower[i] = Lower(domain[i]);
  const absl::string_view domain_lc(domain_lower, domain.size());

  const bool canonicalise =
      options_.email_rule == EmailRule::kAllDomains ||
      (options_.email_rule == EmailRule::kGmailOnly && IsGmail(domain_lc));
  if (canonicalise) {
    const size_t plus = local.find('+');
    if (plus != absl::string_view::npos) local = local.substr(0, plus);
    for (char c : local) {
      if (c != '.') o.push_back(Lower(c));
    }
    if (o.empty()) return Reason::kBadEmail;
  } else {
    for (char c : local) o.push_back(Lower(c));
  }
  o.push_back('@');
  o.append(domain_lc.data(), domain_lc.size());
  return Reason::kOk;
}

Reason Normalizer::NormalizePhone(absl::string_view in,
                                  std::string* out) const {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  // At least three digits and only phone-ish characters; anything else is
  // not worth handing to the parser.
  int digits = 0;
  for (char c : in) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' ||
                 c == '.' || c == '/' || c == 'x' || c == 'X' || c == '#' ||
                 c == '\t')) {
      return Reason::kBadPhone;
    }
  }
  if (digits < 3) return Reason::kBadPhone;
  PhoneNumber number;
  if (util->Parse(std::string(in), options_.default_region, &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return Reason::kBadPhone;
  }
  if (!util->IsValidNumber(number)) return Reason::kBadPhone;
  util->Format(number, PhoneNumberUtil::E164, out);
  if (options_.phone_hash_form == PhoneHashForm::kDigitsOnly && !out->empty() &&
      (*out)[0] == '+') {
    out->erase(0, 1);
  }
  return Reason::kOk;
}

Reason Normalizer::NormalizeMaid(absl::string_view in, std::string* out) {
  // 8-4-4-4-12 hex.
  if (in.size() != 36) return Reason::kBadMaid;
  bool all_zero = true;
  out->resize(36);
  for (size_t i = 0; i < 36; ++i) {
    const char c = in[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return Reason::kBadMaid;
      (*out)[i] = '-';
      continue;
    }
    if (!IsHex(c)) return Reason::kBadMaid;
    if (c != '0') all_zero = false;
    (*out)[i] = Lower(c);
  }
  if (all_zero) return Reason::kBadMaid;
  return Reason::kOk;
}

Reason Normalizer::Digest(IdType type, absl::string_view value,
                          uint8_t digest[32], bool* was_hashed,
                          std::string* scratch) const {
  if (value.size() > kMaxInputBytes) return Reason::kTooLong;
  absl::string_view in = Trim(value);
  if (in.size() == 64 && HexDecode32(in, digest)) {
    if (was_hashed) *was_hashed = true;
    return Reason::kOk;
  }
  if (was_hashed) *was_hashed = false;
  const Reason r = Normalize(type, in, scratch);
  if (r != Reason::kOk) return r;
  Sha256Raw(*scratch, digest);
  return Reason::kOk;
}

Reason BatchMode::Check(bool was_hashed) {
  const int form = was_hashed ? 2 : 1;
  if (state_ == 0) {
    state_ = form;
    return Reason::kOk;
  }
  return state_ == form ? Reason::kOk : Reason::kMixedHashedRaw;
}

}  // namespace ttads::identifiers
