#ifndef TTADS_LIBS_CONNECTIONS_CONNECTION_H_
#define TTADS_LIBS_CONNECTIONS_CONNECTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ttads::connections {

// A TikTok advertiser reachable through a connection.
struct AdvertiserRef {
  std::string advertiser_id;
  std::string advertiser_name;
};

// One member's TikTok OAuth grant. The access token is not part of the
// record: it is stored encrypted and read only through
// ConnectionStore::AccessToken.
struct Connection {
  enum class State { kActive, kRevoked };

  std::string connection_id;
  std::string team_id;
  std::string member_id;
  State state = State::kActive;
  // In TikTok's order; the first one is the connection's default advertiser.
  std::vector<AdvertiserRef> advertisers;
  std::vector<int64_t> scopes;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time revoke_time = absl::UnixEpoch();

  bool active() const { return state == State::kActive; }
  bool Reaches(std::string_view advertiser_id) const;
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_CONNECTION_H_
