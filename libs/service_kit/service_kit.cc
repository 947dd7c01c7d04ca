#include "libs/service_kit/service_kit.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "libs/auth/caching_team_store.h"
#include "libs/auth/redis_team_store.h"
#include "libs/log/log.h"
#include "libs/log/log_config.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/redis_config.h"
#include "libs/store/redis_metrics.h"
#include "libs/tiktok/client_config.h"
#include "libs/tiktok/client_metrics.h"
#include "libs/tiktok/error_class.h"

namespace ttads::service_kit {

absl::StatusOr<server::Caller> TeamStoreAuthenticator::Authenticate(
    std::string_view key) {
  auto principal = teams_->Authenticate(key);
  if (!principal.ok()) {
    if (principal.status().code() == absl::StatusCode::kUnauthenticated) {
      return status::WithErrorInfo(principal.status(), "INVALID_API_KEY");
    }
    return principal.status();
  }
  return server::Caller{.team_id = principal->team_id,
                        .member_id = principal->member_id,
                        .role = std::string(auth::RoleName(principal->role)),
                        .key_id = principal->key_id};
}

std::optional<server::Caller> TeamStoreAuthenticator::TryAuthenticateFromMemory(
    std::string_view key) {
  if (cache_ == nullptr) return std::nullopt;
  auto principal = cache_->CachedPrincipal(key);
  if (!principal.has_value()) return std::nullopt;
  return server::Caller{.team_id = principal->team_id,
                        .member_id = principal->member_id,
                        .role = std::string(auth::RoleName(principal->role)),
                        .key_id = principal->key_id};
}

absl::Status WithUpstreamDetails(absl::Status status) {
  if (status.ok()) return status;
  auto info = tiktok::GetTikTokErrorInfo(status);
  if (!info.has_value()) return status;
  std::string reason = "TIKTOK_ERROR";
  if (info->ambiguous) {
    reason = "TIKTOK_AMBIGUOUS";
  } else if (status.code() == absl::StatusCode::kResourceExhausted) {
    reason = "TIKTOK_THROTTLED";
  } else if (status.code() == absl::StatusCode::kUnavailable ||
             status.code() == absl::StatusCode::kDeadlineExceeded) {
    reason = "TIKTOK_UNAVAILABLE";
  }
  std::vector<std::pair<std::string, std::string>> metadata = {
      {"tiktok_code", std::to_string(info->code)},
      {"tiktok_request_id", info->request_id},
      {"ambiguous", info->ambiguous ? "true" : "false"}};
  status = status::WithErrorInfo(std::move(status), reason, metadata);
  if (info->retryable) {
    status = status::WithRetryInfo(
        std::move(status),
        std::max(info->retry_delay, absl::Milliseconds(100)));
  }
  return status;
}

absl::StatusOr<std::unique_ptr<ServiceKit>> ServiceKit::Create(
    const config::Config& config, std::string name, int work_threads) {
  return Create(config::CommonSettingsFrom(config), std::move(name),
                work_threads);
}

absl::StatusOr<std::unique_ptr<ServiceKit>> ServiceKit::Create(
    const config::CommonSettings& settings, std::string name,
    int work_threads) {
  std::unique_ptr<ServiceKit> kit(new ServiceKit(settings));
  kit->runner_ = std::make_unique<server::ServerRunner>(
      server::ServerOptions{.name = name,
                            .listen_address = settings.listen_address,
                            .admin_address = settings.admin_address,
                            .drain = settings.drain,
                            .max_connection_age = settings.max_connection_age});
  TTADS_ASSIGN_OR_RETURN(store::RedisOptions redis_options,
                         store::RedisOptionsFrom(settings.redis));
  // Redis call latency and errors on /metrics (libs/store/redis_metrics.h).
  redis_options.metrics = std::make_shared<store::RedisMetrics>(
      kit->runner_->metrics().shared_registry());
  auto redis = store::RedisPool::Connect(redis_options);
  if (!redis.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "TTADS_REDIS_ADDRESS: cannot reach Redis: ", redis.status().message()));
  }
  kit->redis_ = *std::move(redis);
  kit->redis_teams_ = std::make_unique<auth::RedisTeamStore>(*kit->redis_);
  // Keys are checked on every call: cache the answers, with revocations
  // pushed from Redis so a revoked key is refused at once.
  auto caching = std::make_unique<auth::CachingTeamStore>(
      kit->redis_teams_.get(), redis_options);
  kit->authenticator_ =
      std::make_unique<TeamStoreAuthenticator>(caching.get(), caching.get());
  kit->teams_ = std::move(caching);

  TTADS_ASSIGN_OR_RETURN(
      tiktok::ClientOptions client_options,
      tiktok::ClientOptionsFrom(settings.tiktok, kit->redis_.get()));
  // TikTok's budget: calls serving a gRPC call are interactive for the
  // caller's team; background work tags itself (tiktok::BudgetScope).
  kit->team_weights_ = std::make_unique<TeamWeights>(kit->teams_.get());
  kit->budget_metrics_ =
      std::make_shared<BudgetMetrics>(kit->runner_->metrics().registry());
  AttachBudget(client_options, kit->team_weights_.get(), kit->budget_metrics_);
  // TikTok calls by endpoint and code (libs/tiktok/client_metrics.h); the
  // observer keeps the metrics (and their registry) alive.
  auto tiktok_metrics = std::make_shared<tiktok::ClientMetrics>(
      kit->runner_->metrics().shared_registry());
  client_options.on_finish = [tiktok_metrics](const tiktok::CallOutcome& o) {
    tiktok_metrics->Record(o);
  };
  TTADS_ASSIGN_OR_RETURN(kit->tiktok_,
                         tiktok::Client::Create(std::move(client_options)));
  tiktok_metrics->Watch(kit->tiktok_.get());

  TTADS_ASSIGN_OR_RETURN(
      crypto::KeyRing token_keys,
      crypto::ParseKeyRing(settings.token_encryption_key, settings.token_keys,
                           settings.token_key_current));
  kit->token_keys_ = std::make_unique<crypto::KeyRing>(token_keys);
  kit->connections_ = std::make_unique<connections::RedisConnectionStore>(
      kit->redis_.get(), std::move(token_keys));
  kit->tokens_ =
      std::make_unique<connections::TokenResolver>(kit->connections_.get());
  kit->work_ = std::make_unique<server::WorkQueue>(work_threads);
  kit->env_ = server::ServiceEnv{.service_name = name,
                                 .authenticator = kit->authenticator_.get(),
                                 .work = kit->work_.get(),
                                 .metrics = &kit->runner_->metrics(),
                                 .decorate_error = WithUpstreamDetails};
  return kit;
}

ServiceKit::~ServiceKit() {
  if (budget_metrics_ != nullptr) budget_metrics_->Detach();
}

absl::Status ServiceKit::Run() {
  TTADS_RETURN_IF_ERROR(runner_->Start());
  log::Info("serving",
            {{"address", settings_.listen_address}, {"port", runner_->port()}});
  runner_->RunUntilSignal();
  log::Info("stopped");
  return absl::OkStatus();
}

config::Config LoadServiceConfigOrDie(const std::string& name,
                                      const std::string& config_flag,
                                      config::Schema schema) {
  auto config = config::Load(schema, config::ResolveConfigPath(config_flag));
  if (!config.ok()) ExitWithConfigError(name, config.status());
  // Keys that are valid one by one but not together (a Redis user without a
  // password, half a Sentinel setup, a token key ring without its current
  // key) are configuration errors too, found before anything starts.
  const config::CommonSettings common = config::CommonSettingsFrom(*config);
  if (auto redis = store::RedisOptionsFrom(common.redis); !redis.ok()) {
    ExitWithConfigError(name, redis.status());
  }
  if (auto keys =
          crypto::ParseKeyRing(common.token_encryption_key, common.token_keys,
                               common.token_key_current);
      !keys.ok()) {
    ExitWithConfigError(name, keys.status());
  }
  log::InitFromConfig(name, *config);
  return *std::move(config);
}

void ExitWithConfigError(const std::string& name, const absl::Status& status) {
  std::cerr << "ttads-" << name
            << ": invalid configuration: " << status.message() << "\n";
  std::exit(2);
}

}  // namespace ttads::service_kit
