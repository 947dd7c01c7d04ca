#include "tools/ttadsctl/cli.h"

#include <memory>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "libs/auth/redis_team_store.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/api_connection.h"
#include "tools/ttadsctl/api_team_admin.h"
#include "tools/ttadsctl/audience_cli.h"
#include "tools/ttadsctl/cli_output.h"
#include "tools/ttadsctl/demo_cli.h"
#include "tools/ttadsctl/global_flags.h"
#include "tools/ttadsctl/key_cli.h"
#include "tools/ttadsctl/member_cli.h"
#include "tools/ttadsctl/reencrypt_cli.h"
#include "tools/ttadsctl/settings.h"
#include "tools/ttadsctl/store_team_admin.h"
#include "tools/ttadsctl/team_cli.h"

#ifndef TTADSCTL_VERSION
#define TTADSCTL_VERSION "unknown"
#endif

namespace ttads::ttadsctl {
namespace {

constexpr char kFooter[] = R"(Commands (each takes -h for its flags):
  team create --name N [--tier free|standard|enterprise] [--subscription]
  team list | team show --team T
  member add --team T --name N --role admin|owner|manager|mediabuyer
  key issue --team T --member M      prints the API key (shown once)
  key rotate [--team T] --key-id K [--overlap 24h]
                                     a new key (shown once); K keeps
                                     working for the overlap
  key revoke [--team T] --key-id K | key list --team T
  demo --out-dir DIR [--tier T]      demo team; keys in DIR/demo-keys.env
  reencrypt [--apply]                move stored TikTok tokens to the
                                     current token-encryption key (dry run
                                     unless --apply); always Redis
  audience job show JOB              an audience sync job's progress
  audience job watch JOB             follow it to the end (Ctrl-C stops)

Team, member and key commands go to Redis directly, or to the admin API
(ttads.admin.v1.AdminService) when --admin-address or
TTADS_ADMIN_API_ADDRESS is set (--redis-direct: Redis anyway, e.g. to make
the first admin). The API and the audience commands send the key in
--api-key-file or TTADS_API_KEY (an admin's for the admin API, one of the
job's team for audience jobs; --team is required for key revoke/rotate).
Settings: the services' TTADS_REDIS_* variables (TLS, ACL user, Sentinel;
docs/redis.md) and, for reencrypt, TTADS_TOKEN_ENCRYPTION_KEY /
TTADS_TOKEN_KEYS / TTADS_TOKEN_KEY_CURRENT (docs/operations.md); a flag
wins over its variable.
Exit codes: 0 ok, 1 the operation failed (a watched job FAILED), 2 usage
error, 130 interrupted (Ctrl-C).
)";

}  // namespace

std::string VersionText() {
  return std::string("ttadsctl ") + TTADSCTL_VERSION;
}

int RunCli(const std::vector<std::string>& args,
           const std::map<std::string, std::string>& environment,
           std::ostream& out, std::ostream& err) {
  CLI::App app{
      "ttadsctl: operator commands for ttads (teams, members, API keys, "
      "token re-encryption, audience job progress), through Redis directly "
      "or the services' gRPC APIs.",
      "ttadsctl"};
  app.set_version_flag("--version", VersionText());
  app.require_subcommand(1);
  app.fallthrough();

  // The command table, in --help order.
  GlobalFlags flags(app);
  TeamCli team(app);
  MemberCli member(app);
  KeyCli key(app);
  DemoCli demo(app);
  ReencryptCli reencrypt(app);
  AudienceCli audience(app);

  app.footer(kFooter);  // after the commands: a footer is inherited
  // A word that names no command lands in a hidden positional of the group
  // it follows, so the error can name it.
  std::vector<std::string> unknown_words;
  std::vector<CLI::App*> groups = {&app, team.group(), member.group(),
                                   key.group()};
  for (CLI::App* group : audience.groups()) groups.push_back(group);
  for (CLI::App* group : groups) {
    group->add_option("unknown_command", unknown_words)->group("");
  }
  auto unknown_command = [&]() {
    std::string words;
    for (const std::string& w : unknown_words) {
      words += (words.empty() ? "" : " ") + w;
    }
    err << "ttadsctl: unknown command \"" << words
        << "\"\nRun with --help for more information.\n";
    return kExitUsage;
  };

  std::vector<std::string> argv_storage = {"ttadsctl"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const std::string& a : argv_storage) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
        !unknown_words.empty()) {
      return unknown_command();
    }
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (!unknown_words.empty()) return unknown_command();

  // Settings: the environment, then the flags given.
  absl::StatusOr<std::map<std::string, std::string>> overrides =
      flags.Overrides();
  if (!overrides.ok()) return PrintFailure(err, overrides.status());
  absl::StatusOr<config::Config> settings =
      LoadSettings(environment, *overrides);
  if (!settings.ok()) return PrintFailure(err, settings.status());
  absl::StatusOr<store::RedisOptions> options = RedisOptionsFor(*settings);
  if (!options.ok()) return PrintFailure(err, options.status());
  // The ring is checked before anything is read, so a misconfigured key
  // stops a re-encrypt pass up front.
  std::unique_ptr<crypto::KeyRing> ring;
  if (reencrypt.parsed()) {
    absl::StatusOr<crypto::KeyRing> keys = TokenKeysFor(*settings);
    if (!keys.ok()) return PrintFailure(err, keys.status());
    ring = std::make_unique<crypto::KeyRing>(*std::move(keys));
  }
  const Console console{.out = out, .err = err, .json = flags.json()};

  if (audience.parsed()) {
    absl::StatusOr<ApiConnection> audience_api =
        ApiConnectionFor(*settings, kAudienceAddressKey, "--audience-address",
                         flags.api_timeout());
    if (!audience_api.ok()) return PrintFailure(err, audience_api.status());
    return audience.Run(*audience_api, console);
  }

  // Team, member and key commands: the admin API when it is named.
  const bool via_api = !reencrypt.parsed() && !flags.redis_direct() &&
                       settings->IsSet(kAdminApiAddressKey);
  std::unique_ptr<store::RedisPool> redis;
  std::unique_ptr<auth::RedisTeamStore> team_store;
  std::unique_ptr<TeamAdmin> admin;
  if (via_api) {
    absl::StatusOr<ApiConnection> admin_api = ApiConnectionFor(
        *settings, kAdminApiAddressKey, "--admin-address", flags.api_timeout());
    if (!admin_api.ok()) return PrintFailure(err, admin_api.status());
    admin = std::make_unique<ApiTeamAdmin>(*std::move(admin_api));
  } else {
    absl::StatusOr<std::unique_ptr<store::RedisPool>> pool =
        store::RedisPool::Connect(*options);
    if (!pool.ok()) {
      // INVALID_ARGUMENT: a TLS file that cannot be loaded (named).
      err << "ttadsctl: redis: " << pool.status().message() << "\n";
      return pool.status().code() == absl::StatusCode::kInvalidArgument
                 ? kExitUsage
                 : kExitFailed;
    }
    redis = *std::move(pool);
    team_store = std::make_unique<auth::RedisTeamStore>(*redis);
    admin = std::make_unique<StoreTeamAdmin>(team_store.get());
  }

  if (team.parsed()) return team.Run(*admin, redis.get(), console);
  if (member.parsed()) return member.Run(*admin, console);
  if (key.parsed()) return key.Run(*admin, console);
  if (demo.parsed()) return demo.Run(*admin, console);
  if (reencrypt.parsed()) return reencrypt.Run(*redis, *ring, console);
  return PrintFailure(err, absl::InternalError("no command ran"));
}

}  // namespace ttads::ttadsctl
