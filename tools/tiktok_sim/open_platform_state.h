#ifndef TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_STATE_H_
#define TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_STATE_H_

// The simulator's TikTok-user world: the accounts a Login Kit grant signs
// in, their public video posts, and the OAuth v2 grants and tokens issued
// for them (open_platform.h serves it), with the two post operations the
// paths and the simulator's own API share. Not thread-safe: part of
// SimState, guarded by the simulator's mutex.

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace ttads::tiktok_sim {

// A TikTok user that can grant consent.
struct TikTokUser {
  std::string open_id;
  std::string username;  // The "@name" of share URLs.
  std::string display_name;
};

// One public video post, as the Display API's Video Object describes it.
struct VideoPost {
  std::string id;  // 19 digits ("item_id").
  std::string open_id;
  int64_t create_time = 0;  // UTC Unix seconds; unique per user.
  std::string title;
  int64_t duration = 15;  // Seconds.
  int64_t like_count = 0, comment_count = 0, share_count = 0, view_count = 0;
};

// What one consent granted: a user, a client and the scopes the user agreed
// to. Revoking the grant kills every token issued from it.
struct UserGrant {
  std::string open_id;
  std::string client_key;
  std::set<std::string> scopes;
  std::string refresh_token;  // The current one (rotated on each refresh).
  std::chrono::system_clock::time_point refresh_expires_at;
  bool revoked = false;
};

struct LoginCode {
  std::string open_id;
  std::set<std::string> scopes;
  std::string redirect_uri;
  std::chrono::system_clock::time_point expires_at;
  bool used = false;
};

struct UserAccessToken {
  uint64_t grant_id = 0;
  std::chrono::system_clock::time_point expires_at;
  uint64_t calls = 0;  // Display API requests that carried it.
};

// A sound a user uploaded (POST /v2/share/sound/upload/).
struct UploadedSound {
  std::string open_id;
  std::string file_name;
  std::string format;  // "mp3", "wav" or "flac", by signature.
  size_t bytes = 0;
};

struct OpenPlatformState {
  // Lifetimes TikTok documents (24 h and 365 days); tests shorten them.
  std::chrono::seconds access_token_ttl{86400};
  std::chrono::seconds refresh_token_ttl{365 * 86400};

  std::map<std::string, TikTokUser> users;  // By open_id.
  std::map<std::string, VideoPost> posts;   // By id.
  std::map<std::string, LoginCode> codes;
  std::map<uint64_t, UserGrant> grants;
  std::map<std::string, UserAccessToken> access_tokens;
  std::map<std::string, uint64_t> refresh_tokens;  // Current ones only.
  uint64_t next_grant_id = 1;
  uint64_t next_post = 1;  // For ids of posts published after the seed.
  std::map<std::string, UploadedSound> sounds;  // By share_id.
  uint64_t next_sound = 1;
  // Successful grant_type=refresh_token exchanges (tests prove that
  // concurrent refreshers cost one).
  uint64_t refreshes = 0;

  // The user's posts, newest first.
  std::vector<const VideoPost*> PostsOf(const std::string& open_id) const;
};

// Publishes a new post for `open_id` (at `now`, or one second after the
// user's newest post, so create times stay unique per user) and returns it.
// Ids are "74" and 17 digits, after the seed's "73..." ones. The user must
// exist.
VideoPost PublishPost(OpenPlatformState& open, const std::string& open_id,
                      const std::string& title,
                      std::chrono::system_clock::time_point now);

// The page URL of a post, as the Video Object's share_url and oEmbed's
// input: https://www.tiktok.com/@<username>/video/<id>.
std::string PostShareUrl(const TikTokUser& user, const VideoPost& post);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_STATE_H_
