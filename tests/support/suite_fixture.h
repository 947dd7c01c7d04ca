#ifndef TTADS_TESTS_SUPPORT_SUITE_FIXTURE_H_
#define TTADS_TESTS_SUPPORT_SUITE_FIXTURE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "libs/auth/redis_team_store.h"
#include "libs/store/redis.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/redis_server.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::testing {

// A team with one member of each role and their API keys.
struct TestTeam {
  std::string team_id;
  std::string owner_id, manager_id, mediabuyer_id;
  std::string owner_key, manager_key, mediabuyer_key;
};

// What service tests share: a private redis-server and an in-process TikTok
// simulator (demo seed) on ephemeral ports, the configuration environment
// that points a service at them, and helpers to create teams and keys.
//
// TikTok contract: every test fails if the simulator refused a request for
// breaking TikTok's contract (tools/tiktok_sim/contract.h) that the test did
// not declare with sim().ExpectViolations(n). The check runs when the
// fixture is destroyed and, for fixtures that outlive a test (suite-level),
// at the end of each test.
class SuiteFixture {
 public:
  static absl::StatusOr<std::unique_ptr<SuiteFixture>> Start();
  ~SuiteFixture();

  // Adds a test failure naming each violation not declared so far (then
  // treats them as declared, so one failure is reported once).
  void CheckContract();

  RedisServer& redis_server() { return redis_->server(); }
  store::RedisPool& redis() { return *redis_->pool(); }
  tiktok_sim::TikTokSim& sim() { return *sim_; }
  auth::TeamStore& teams() { return *teams_; }

  // TTADS_* values for a service under test: Redis, simulator, app
  // credentials, a test encryption key, loopback listen on an ephemeral
  // port, no metrics exposer, no drain.
  std::map<std::string, std::string> ServiceEnv() const;

  absl::StatusOr<TestTeam> CreateTeam(bool subscription_active = true,
                                      const std::string& tier = "standard");

  // What a completed Marketing API OAuth leaves behind: a connection
  // ("conn_<team id>") of `team`'s owner reaching `advertiser_id` (named
  // "Demo"), holding an access token the simulator issued for it, encrypted
  // with ServiceEnv()'s TTADS_TOKEN_ENCRYPTION_KEY.
  absl::Status ConnectOwner(const TestTeam& team,
                            const std::string& advertiser_id);

 private:
  std::unique_ptr<PrivateRedis> redis_;
  std::unique_ptr<auth::RedisTeamStore> teams_;
  std::unique_ptr<tiktok_sim::TikTokSim> sim_;
  class ContractListener;
  ContractListener* listener_ = nullptr;  // Owned by gtest's listener list.
};

// Adds `authorization: Bearer <key>` and a deadline to an outgoing call.
void Authorize(grpc::ClientContext* context, const std::string& key,
               int deadline_seconds = 20);

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_SUITE_FIXTURE_H_
