#ifndef TTADS_LIBS_SERVICE_KIT_SERVICE_KIT_H_
#define TTADS_LIBS_SERVICE_KIT_SERVICE_KIT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/caching_team_store.h"
#include "libs/auth/team_store.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/config/usage.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/token_resolver.h"
#include "libs/crypto/key_ring.h"
#include "libs/server/call_context.h"
#include "libs/server/server_runner.h"
#include "libs/server/unary.h"
#include "libs/server/work_queue.h"
#include "libs/service_kit/tiktok_budget.h"
#include "libs/store/redis.h"
#include "libs/tiktok/client.h"

namespace ttads::service_kit {

// Adapts the team store's API-key authentication to the server pipeline.
// With a CachingTeamStore, cached answers are also offered without I/O.
class TeamStoreAuthenticator : public server::Authenticator {
 public:
  explicit TeamStoreAuthenticator(auth::TeamStore* teams,
                                  auth::CachingTeamStore* cache = nullptr)
      : teams_(teams), cache_(cache) {}
  absl::StatusOr<server::Caller> Authenticate(std::string_view key) override;
  std::optional<server::Caller> TryAuthenticateFromMemory(
      std::string_view key) override;

 private:
  auth::TeamStore* teams_;
  auth::CachingTeamStore* cache_;
};

// The collaborators every ttads service is built from, created from the
// typed common settings (config::CommonSettings, docs/configuration.md): a
// Redis pool, the team
// store and authenticator, the TikTok client with the Redis-shared rate
// limiter for the configured tier, the encrypted connection store and the
// shared token resolution, a work queue for blocking domain work, and the
// server runner (health, reflection, metrics, drain). A service's main.cc
// creates one kit, builds its domain objects from it, registers its gRPC
// service and calls Run().
class ServiceKit {
 public:
  // `name` is the short service name ("identity"). Errors name the config
  // key or the dependency that failed (e.g. Redis unreachable).
  static absl::StatusOr<std::unique_ptr<ServiceKit>> Create(
      const config::CommonSettings& settings, std::string name,
      int work_threads = 32);
  // The same with config::CommonSettingsFrom(config).
  static absl::StatusOr<std::unique_ptr<ServiceKit>> Create(
      const config::Config& config, std::string name, int work_threads = 32);

  ~ServiceKit();

  const config::CommonSettings& settings() const { return settings_; }
  store::RedisPool& redis() { return *redis_; }
  auth::TeamStore& teams() { return *teams_; }
  tiktok::Client& tiktok() { return *tiktok_; }
  connections::ConnectionStore& connections() { return *connections_; }
  // The token-encryption keys (TTADS_TOKEN_KEYS and friends), for the
  // service's other token stores.
  const crypto::KeyRing& token_keys() const { return *token_keys_; }
  connections::TokenResolver& tokens() { return *tokens_; }
  server::ServerRunner& runner() { return *runner_; }
  // Handler environment: authentication, work queue, metrics, and the
  // translation of TikTok failures into google.rpc details.
  const server::ServiceEnv& env() const { return env_; }

  // Starts the server and blocks until SIGTERM/SIGINT has drained it.
  absl::Status Run();

 private:
  explicit ServiceKit(const config::CommonSettings& settings)
      : settings_(settings) {}

  config::CommonSettings settings_;
  std::unique_ptr<store::RedisPool> redis_;
  std::unique_ptr<auth::TeamStore> redis_teams_;
  std::unique_ptr<auth::TeamStore> teams_;
  std::unique_ptr<TeamStoreAuthenticator> authenticator_;
  std::unique_ptr<TeamWeights> team_weights_;
  // Lives in the runner's registry: detached before the runner goes.
  std::shared_ptr<BudgetMetrics> budget_metrics_;
  std::unique_ptr<tiktok::Client> tiktok_;
  std::unique_ptr<crypto::KeyRing> token_keys_;
  std::unique_ptr<connections::ConnectionStore> connections_;
  std::unique_ptr<connections::TokenResolver> tokens_;
  std::unique_ptr<server::WorkQueue> work_;
  std::unique_ptr<server::ServerRunner> runner_;
  server::ServiceEnv env_;
};

// Prints "ttads-<name>: invalid configuration: <message>" and exits 2.
[[noreturn]] void ExitWithConfigError(const std::string& name,
                                      const absl::Status& status);

// Turns the TikTok error payload of `status` (libs/tiktok/error_class.h)
// into google.rpc details: ErrorInfo reason TIKTOK_<class> with metadata
// tiktok_code / tiktok_request_id / ambiguous, and RetryInfo for retryable
// failures. Other statuses pass through unchanged.
absl::Status WithUpstreamDetails(absl::Status status);

// Loads the configuration of a service binary once at start: `schema` (the
// common keys and the service's own), from --config / TTADS_CONFIG and the
// environment, and checks the common keys that must go together (Redis:
// libs/store redis_config.h; the token key ring: libs/crypto key_ring.h). On
// failure prints "ttads-<name>: invalid configuration: ..." and exits 2.
// Initialises logging from it and logs its warnings (e.g. a TTADS_* variable no
// ttads binary reads, with the closest key).
config::Config LoadServiceConfigOrDie(const std::string& name,
                                      const std::string& config_flag,
                                      config::Schema schema);

// LoadServiceConfigOrDie(), then the service's typed configuration:
// `typed(config)` (e.g. preflight::PreflightConfigFrom); its error, too,
// is printed and exits 2.
template <typename Typed>
auto LoadTypedConfigOrDie(const std::string& name,
                          const std::string& config_flag, config::Schema schema,
                          Typed typed) {
  config::Config config =
      LoadServiceConfigOrDie(name, config_flag, std::move(schema));
  auto loaded = typed(config);
  if (!loaded.ok()) {
    ExitWithConfigError(name, loaded.status());
  }
  return *std::move(loaded);
}

}  // namespace ttads::service_kit

#endif  // TTADS_LIBS_SERVICE_KIT_SERVICE_KIT_H_
