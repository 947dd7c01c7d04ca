#include "libs/store/key_schema.h"

#include <cstdint>

namespace ttads::store {

bool IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string TeamHashTag(std::string_view team_id) {
  std::string tag = "{team:";
  tag.append(team_id);
  tag.push_back('}');
  return tag;
}

std::string TeamKey(std::string_view team_id, std::string_view suffix) {
  std::string key(kKeyPrefix);
  key.append(TeamHashTag(team_id));
  key.push_back(':');
  key.append(suffix);
  return key;
}

std::string GlobalKey(std::string_view suffix) {
  std::string key(kKeyPrefix);
  key.append(suffix);
  return key;
}

int HashSlot(std::string_view key) {
  const size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  uint16_t crc = 0;
  for (unsigned char c : key) {
    crc ^= static_cast<uint16_t>(c) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc % 16384;
}

}  // namespace ttads::store
