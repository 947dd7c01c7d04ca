#ifndef TTADS_TOOLS_TIKTOK_SIM_HANDLERS_H_
#define TTADS_TOOLS_TIKTOK_SIM_HANDLERS_H_

// The simulated Marketing API endpoints. Each handler runs under the
// simulator's state mutex with parameters already parsed and, for routes that
// need one, the Access-Token already checked (and advertiser_id, when given,
// known to be reachable by it).

#include <functional>
#include <string>
#include <vector>

#include "tools/tiktok_sim/api.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

struct Route {
  std::string method;  // "GET" or "POST".
  std::string path;    // Relative to /open_api/v1.3, with trailing slash.
  bool needs_token = true;
  bool is_ad_create = false;  // Counted against the lower /ad/create/ limit.
  std::function<ApiResult(SimState&, const ApiRequest&)> handle;
};

void AddOAuthRoutes(std::vector<Route>& routes);
void AddIdentityRoutes(std::vector<Route>& routes);
void AddFileRoutes(std::vector<Route>& routes);
void AddAdRoutes(std::vector<Route>& routes);
void AddAssetRoutes(std::vector<Route>& routes);  // campaign/adgroup/pixel/...
void AddReportRoutes(std::vector<Route>& routes);
void AddDmpRoutes(std::vector<Route>& routes);

// All routes above.
std::vector<Route> AllRoutes();

// Helpers shared by handlers.
// The advertiser_id parameter, required; sets *error on absence.
std::optional<ApiResult> RequireAdvertiser(const ApiRequest& req,
                                           std::string* advertiser_id);
// A standard list answer: {<list_key>: [...page...], page_info: {...}}.
Json ListData(const std::string& list_key, const std::vector<Json>& items,
              const Paging& paging);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_HANDLERS_H_
