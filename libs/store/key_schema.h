#ifndef TTADS_LIBS_STORE_KEY_SCHEMA_H_
#define TTADS_LIBS_STORE_KEY_SCHEMA_H_

#include <string>
#include <string_view>

// Builders for every Redis key ttads writes; docs/redis-keys.md lists them
// all. Keys are namespaced "ttads:". A tenant's keys carry the hash tag
// "{team:<id>}" so all of one team's keys land in one Redis Cluster slot and
// multi-key commands/scripts over one team work on Cluster unchanged.
// Global keys (API-key lookups, the team index) have no tag and must never
// be combined with team keys in one multi-key command.
namespace ttads::store {

inline constexpr std::string_view kKeyPrefix = "ttads:";

// True for ids safe to embed in keys: 1-64 characters of [A-Za-z0-9_-].
// Ids minted by ttads (RandomToken-based) always pass; check ids that come
// from callers before building keys from them.
bool IsValidKeyId(std::string_view id);

// "{team:<team_id>}"
std::string TeamHashTag(std::string_view team_id);

// "ttads:{team:<team_id>}:<suffix>", e.g. TeamKey("tm_x", "conn:c1").
std::string TeamKey(std::string_view team_id, std::string_view suffix);

// "ttads:<suffix>" for keys that belong to no team, e.g. "apikey:<sha256>".
std::string GlobalKey(std::string_view suffix);

// The Redis Cluster hash slot of a key, 0-16383: CRC16 (XMODEM) of the
// key's hash tag (the text between the first "{" and the next "}", when
// not empty) or of the whole key, modulo 16384 (Redis Cluster spec).
int HashSlot(std::string_view key);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_KEY_SCHEMA_H_
