#include "libs/auth/api_key.h"

#include <cctype>

#include "libs/crypto/hashing.h"
#include "libs/crypto/random.h"

namespace ttads::auth {

std::string NewApiKey() {
  return std::string(kApiKeyPrefix) + crypto::RandomToken(32);
}

bool LooksLikeApiKey(std::string_view key) {
  if (key.size() < kApiKeyPrefix.size() + 16 || key.size() > 128 ||
      key.substr(0, kApiKeyPrefix.size()) != kApiKeyPrefix) {
    return false;
  }
  for (char c : key.substr(kApiKeyPrefix.size())) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string ApiKeyDigest(std::string_view key) {
  return crypto::Sha256Hex(key);
}

std::string NewTeamId() { return "tm_" + crypto::RandomToken(9); }
std::string NewMemberId() { return "mb_" + crypto::RandomToken(9); }
std::string NewKeyId() { return "key_" + crypto::RandomToken(9); }

std::optional<std::string_view> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace ttads::auth
