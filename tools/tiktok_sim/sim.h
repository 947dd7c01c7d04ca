#ifndef TTADS_TOOLS_TIKTOK_SIM_SIM_H_
#define TTADS_TOOLS_TIKTOK_SIM_SIM_H_

// ttads-tiktok-sim: an in-memory TikTok Marketing API v1.3 simulator that
// speaks real HTTP on loopback. It is the upstream of every integration test
// and of local runs. docs/simulator.md is the user guide (endpoints, control
// API, seeded ids, fault modes).
//
// In tests:
//   auto sim = *TikTokSim::Start({});           // port 0, demo seed
//   client.base_url = sim->base_url();          // ".../open_api/v1.3/"
//   std::string token = sim->IssueAccessToken({seed::kAdvertiserTtUser});
//   sim->AddFault({.path_prefix = "/ad/create/",
//                  .mode = FaultMode::kApplyThenTimeout, .count = 1});
//   EXPECT_EQ(sim->stats().ads, 5);
//   sim->ExpectViolations(1);  // this test sends one bad request on purpose
//   EXPECT_THAT(sim->CheckViolations(), IsOk());  // none beyond that
//   sim->WithState([&](SimState& s) { return s.tokens[token].calls; });
//
// Thread-safe. Slow answers (latency faults) wait on timers, not threads, so
// thousands of them can be in flight at once.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/http/server.h"
#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/contract.h"
#include "tools/tiktok_sim/faults.h"
#include "tools/tiktok_sim/handlers.h"
#include "tools/tiktok_sim/open_platform.h"
#include "tools/tiktok_sim/rate_limiter.h"
#include "tools/tiktok_sim/request_log.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

class TikTokSim {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    int port = 0;  // 0 = ephemeral.
    int threads = 2;
    std::string seed = "demo";  // "demo" or "empty".
    std::string app_id = "ttads-local-app";
    std::string app_secret = "local-sim-secret";
    // Tests default to no throttling; the binary defaults to basic.
    Tier tier = Tier::kUnlimited;
    std::chrono::seconds auth_code_ttl{600};
  };

  struct CallStats {
    int64_t total = 0;  // Requests that reached the endpoint.
    int64_t ok = 0;     // Answered with code 0.
  };
  struct AudienceStats {
    size_t members = 0;
    uint64_t digests_received = 0;
  };
  struct Stats {
    std::map<std::string, CallStats> calls;  // By path, e.g. "/ad/create/".
    size_t identities = 0, images = 0, videos = 0, ads = 0, audiences = 0;
    uint64_t digests_uploaded = 0;  // Across all audience files.
    std::map<std::string, AudienceStats> audience;  // By custom_audience_id.
    // Requests refused for breaking TikTok's contract, by path (since the
    // simulator started; Reset() does not clear them).
    std::map<std::string, int64_t> violations;
    nlohmann::json ToJson() const;
  };

  static absl::StatusOr<std::unique_ptr<TikTokSim>> Start(Options options);
  ~TikTokSim();
  TikTokSim(const TikTokSim&) = delete;
  TikTokSim& operator=(const TikTokSim&) = delete;

  int port() const;
  // "http://<address>:<port>/open_api/v1.3/" — the client's base URL.
  std::string base_url() const;
  // "http://<address>:<port>" — for /_sim/ and /portal/auth.
  std::string root_url() const;
  // With `on`, images uploaded as files get an image_url this simulator
  // serves (<root>/_media/image/<id>.<format>), so a client can fetch them
  // as from TikTok's CDN; off (the default), a https://sim.local/...
  // placeholder. Survives Reset().
  void ServeMedia(bool on);

  // Drops all state, faults, stats and rate windows; loads `seed` ("demo" or
  // "empty"). INVALID_ARGUMENT for another seed name.
  absl::Status Reset(const std::string& seed);
  // A single-use auth code for `advertiser_ids` (exchange it at
  // /oauth2/access_token/).
  std::string MintAuthCode(const std::vector<std::string>& advertiser_ids,
                           std::chrono::seconds ttl = std::chrono::seconds(600),
                           std::vector<int> scopes = {});
  // An access token directly (skips OAuth), for tests of other endpoints.
  std::string IssueAccessToken(const std::vector<std::string>& advertiser_ids);
  // Returns the rule id.
  int AddFault(const FaultRule& rule);
  void ClearFaults();
  // The rules and how often each fired (same as GET /_sim/faults).
  nlohmann::json Faults() const;
  void SetTier(Tier tier);
  Tier tier() const;
  Stats stats() const;
  // Contract violations (contract.h): every request to a covered endpoint
  // that TikTok would refuse is answered with TikTok's code, counted per
  // endpoint and logged (the last 100 messages). Tests declare the ones they
  // cause on purpose; CheckViolations() fails on any other. Reset() keeps
  // the count so a test cannot lose its own violations.
  int64_t violations() const;
  std::vector<std::string> violation_log() const;
  void ExpectViolations(int64_t n);
  // Declares every violation so far (after a test failed for them).
  void ForgiveViolations();
  // OK, or FAILED_PRECONDITION naming each violation beyond those expected.
  absl::Status CheckViolations() const;
  // The contract this simulator enforces.
  const Contract& contract() const { return contract_; }

  // TikTok users (open_platform.h). A Login Kit access token for `open_id`
  // with `scopes` (skips the consent and the code exchange).
  std::string IssueUserAccessToken(const std::string& open_id,
                                   const std::vector<std::string>& scopes);
  // Publishes a new public post for `open_id` (same as POST
  // /_sim/tiktok/posts); NOT_FOUND for an unknown user.
  absl::StatusOr<VideoPost> PublishVideoPost(const std::string& open_id,
                                             const std::string& title);
  // Successful refresh_token exchanges at /v2/oauth/token/.
  uint64_t user_token_refreshes() const;

  // Everything stored for one advertiser (same as GET /_sim/state).
  nlohmann::json DumpAdvertiser(const std::string& advertiser_id) const;

  // Runs `f(SimState&)` under the state lock, for assertions and set-up.
  template <typename F>
  auto WithState(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    return f(state_);
  }

 private:
  explicit TikTokSim(Options options);

  void Handle(http::HttpRequest req, http::HttpResponder responder);
  void HandleApi(http::HttpRequest req, http::HttpResponder responder);
  // Login Kit, Display API and oEmbed paths (open_platform.h), with the
  // same request log, call counts and fault rules as the Marketing API.
  void HandleOpenPlatformRequest(http::HttpRequest req,
                                 http::HttpResponder responder);
  // Sim-only: the bytes of an uploaded image at its image_url.
  void HandleMedia(const http::HttpRequest& req, http::HttpResponder responder);
  void HandlePortal(const http::HttpRequest& req,
                    http::HttpResponder responder);
  void HandleControl(const http::HttpRequest& req,
                     http::HttpResponder responder);
  // Parses, authenticates and runs `route`; returns the envelope body.
  std::string Process(const Route& route, const http::HttpRequest& req,
                      const std::string& request_id);
  std::string NewRequestId();
  std::string MintAuthCodeLocked(const std::vector<std::string>& ids,
                                 std::chrono::seconds ttl,
                                 std::vector<int> scopes);
  Stats StatsLocked() const;
  absl::Status ResetLocked(const std::string& seed);
  void RecordViolationLocked(const std::string& path,
                             const std::string& message);

  Options options_;
  std::vector<Route> routes_;
  mutable std::mutex mu_;
  SimState state_;
  FaultSet faults_;
  RateLimiter limiter_;
  Tier tier_;
  std::map<std::string, CallStats> calls_;
  const Contract& contract_;
  std::map<std::string, int64_t> violations_;
  std::vector<std::string> violation_log_;
  int64_t violations_total_ = 0;
  int64_t violations_expected_ = 0;
  uint64_t request_counter_ = 0;
  RequestLog request_log_;  // Every API request (GET /_sim/requests).
  // Last member: destroyed (stopped) first.
  std::unique_ptr<http::HttpServer> server_;
};

// The envelope every API answer uses.
std::string Envelope(int code, const std::string& message,
                     const std::string& request_id, const nlohmann::json& data);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_SIM_H_
