#include "libs/store/key_schema.h"

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

}  // namespace ttads::store
