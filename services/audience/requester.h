#ifndef TTADS_SERVICES_AUDIENCE_REQUESTER_H_
#define TTADS_SERVICES_AUDIENCE_REQUESTER_H_

#include <string>

namespace ttads::audience {

// Who calls: taken from the API key, never from the request. Every domain
// call is scoped to `team_id`; objects of another team are NOT_FOUND.
struct Requester {
  std::string team_id;
  std::string member_id;
  std::string role;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_REQUESTER_H_
