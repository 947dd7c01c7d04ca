#include "libs/crypto/key_ring.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "libs/crypto/constant_time.h"
#include "libs/status/status_macros.h"

namespace ttads::crypto {
namespace {

constexpr std::string_view kVersionPrefix = "$k1$";
constexpr char kKeysSetting[] = "TTADS_TOKEN_KEYS";
constexpr char kCurrentSetting[] = "TTADS_TOKEN_KEY_CURRENT";
constexpr char kLegacySetting[] = "TTADS_TOKEN_ENCRYPTION_KEY";

std::string Header(std::string_view id) {
  return absl::StrCat(
      absl::string_view(kVersionPrefix.data(), kVersionPrefix.size()),
      absl::string_view(id.data(), id.size()), "$");
}

// Splits a versioned value into its key id and base64 body.
struct Parsed {
  std::string id;
  std::string_view body;  // empty id: the whole unversioned value
};

absl::StatusOr<Parsed> Parse(std::string_view stored) {
  if (stored.empty() || stored.front() != '$') {
    return Parsed{.id = kLegacyKeyId, .body = stored};
  }
  if (stored.substr(0, kVersionPrefix.size()) != kVersionPrefix) {
    return absl::DataLossError("encrypted value has an unknown format version");
  }
  std::string_view rest = stored.substr(kVersionPrefix.size());
  const size_t end = rest.find('$');
  if (end == std::string_view::npos || !IsValidKeyId(rest.substr(0, end))) {
    return absl::DataLossError("encrypted value has a malformed key id");
  }
  return Parsed{.id = std::string(rest.substr(0, end)),
                .body = rest.substr(end + 1)};
}

std::string Trim(std::string_view s) {
  absl::string_view v(s.data(), s.size());
  return std::string(absl::StripAsciiWhitespace(v));
}

}  // namespace

bool IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<KeyRing> KeyRing::Create(std::map<std::string, AeadKey> keys,
                                        std::string current_id) {
  if (keys.empty()) return absl::InvalidArgumentError("no encryption key");
  for (const auto& [id, key] : keys) {
    if (!IsValidKeyId(id)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "key id \"", id, "\" is not 1-32 characters of [A-Za-z0-9_-]"));
    }
  }
  if (keys.find(current_id) == keys.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("current key id \"", current_id, "\" is not configured"));
  }
  return KeyRing(std::move(keys), std::move(current_id));
}

KeyRing KeyRing::Single(AeadKey key) {
  std::map<std::string, AeadKey> keys;
  keys.emplace(kLegacyKeyId, std::move(key));
  return KeyRing(std::move(keys), kLegacyKeyId);
}

std::vector<std::string> KeyRing::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, key] : keys_) out.push_back(id);
  return out;
}

bool KeyRing::Has(std::string_view id) const {
  return keys_.find(std::string(id)) != keys_.end();
}

absl::StatusOr<std::string> KeyRing::Encrypt(
    std::string_view plaintext, std::string_view associated_data) const {
  const AeadKey& key = keys_.at(current_id_);
  if (current_id_ == kLegacyKeyId) {
    return crypto::Encrypt(key, plaintext, associated_data);
  }
  const std::string header = Header(current_id_);
  TTADS_ASSIGN_OR_RETURN(
      std::string body,
      crypto::Encrypt(
          key, plaintext,
          absl::StrCat(header, absl::string_view(associated_data.data(),
                                                 associated_data.size()))));
  return header + body;
}

absl::StatusOr<std::string> KeyRing::Decrypt(
    std::string_view stored, std::string_view associated_data) const {
  TTADS_ASSIGN_OR_RETURN(Parsed parsed, Parse(stored));
  auto it = keys_.find(parsed.id);
  if (it == keys_.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "token was encrypted under key id \"", parsed.id,
        "\", which is not configured (add it back to ", kKeysSetting,
        parsed.id == kLegacyKeyId ? std::string(" or ") + kLegacySetting : "",
        " until `ttadsctl reencrypt --apply` has moved every token)"));
  }
  if (parsed.id == kLegacyKeyId && (stored.empty() || stored.front() != '$')) {
    return crypto::Decrypt(it->second, stored, associated_data);
  }
  return crypto::Decrypt(
      it->second, parsed.body,
      absl::StrCat(
          Header(parsed.id),
          absl::string_view(associated_data.data(), associated_data.size())));
}

absl::StatusOr<std::string> KeyRing::KeyIdOf(std::string_view stored) {
  TTADS_ASSIGN_OR_RETURN(Parsed parsed, Parse(stored));
  return parsed.id;
}

absl::StatusOr<KeyRing> ParseKeyRing(std::string_view legacy_key,
                                     std::string_view keys,
                                     std::string_view current_id) {
  std::map<std::string, AeadKey> ring;
  const std::string keys_text = Trim(keys);
  if (!keys_text.empty()) {
    for (absl::string_view entry : absl::StrSplit(keys_text, ',')) {
      const std::string item =
          Trim(std::string_view(entry.data(), entry.size()));
      const size_t colon = item.find(':');
      if (colon == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            kKeysSetting, ": entries are id:base64-key, separated by commas"));
      }
      const std::string id = Trim(std::string_view(item).substr(0, colon));
      if (!IsValidKeyId(id)) {
        return absl::InvalidArgumentError(
            absl::StrCat(kKeysSetting, ": key id \"", id,
                         "\" is not 1-32 characters of [A-Za-z0-9_-]"));
      }
      auto key = ParseKey(Trim(std::string_view(item).substr(colon + 1)));
      if (!key.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            kKeysSetting, ": key \"", id, "\": ", key.status().message()));
      }
      if (!ring.emplace(id, *std::move(key)).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(kKeysSetting, ": key id \"", id, "\" appears twice"));
      }
    }
  }
  const std::string legacy_text = Trim(legacy_key);
  if (!legacy_text.empty()) {
    auto key = ParseKey(legacy_text);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(kLegacySetting, ": ", key.status().message()));
    }
    auto [it, inserted] = ring.emplace(kLegacyKeyId, *key);
    if (!inserted && !ConstantTimeEquals(it->second.bytes(), key->bytes())) {
      return absl::InvalidArgumentError(absl::StrCat(
          kKeysSetting, ": key id \"", kLegacyKeyId, "\" differs from ",
          kLegacySetting, " (which is the key with that id)"));
    }
  }
  if (ring.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kLegacySetting, " or ", kKeysSetting,
                     ": one is required (the token-encryption key)"));
  }
  std::string current = Trim(current_id);
  if (current.empty()) {
    if (ring.size() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          kCurrentSetting,
          ": required when more than one token-encryption key is configured"));
    }
    current = ring.begin()->first;
  }
  if (ring.find(current) == ring.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kCurrentSetting, ": \"", current,
                     "\" is not a configured key id (", kKeysSetting, ")"));
  }
  return KeyRing::Create(std::move(ring), std::move(current));
}

}  // namespace ttads::crypto
