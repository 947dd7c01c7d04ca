#include "tools/ttadsctl/cli.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "libs/auth/redis_team_store.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/api_connection.h"
#include "tools/ttadsctl/api_team_admin.h"
#include "tools/ttadsctl/audience_jobs.h"
#include "tools/ttadsctl/commands.h"
#include "tools/ttadsctl/interrupt.h"
#include "tools/ttadsctl/settings.h"
#include "tools/ttadsctl/store_team_admin.h"

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

// A Redis flag and the setting it overrides.
struct RedisFlag {
  const char* names;
  const char* key;
  const char* help;
};
constexpr RedisFlag kRedisFlags[] = {
    {"--redis,--redis-address", "TTADS_REDIS_ADDRESS",
     "Redis host:port (default 127.0.0.1:6390)"},
    {"--redis-username", "TTADS_REDIS_USERNAME", "Redis ACL user"},
    {"--redis-password", "TTADS_REDIS_PASSWORD",
     "Redis password (visible to other local users in the process list: "
     "prefer TTADS_REDIS_PASSWORD or --redis-password-file)"},
    {"--redis-timeout-ms", "TTADS_REDIS_TIMEOUT_MS",
     "connect/command timeout, milliseconds (default 3000)"},
    {"--redis-tls-ca-file", "TTADS_REDIS_TLS_CA_FILE",
     "PEM CA bundle for the server certificate (implies --redis-tls)"},
    {"--redis-tls-cert-file", "TTADS_REDIS_TLS_CERT_FILE",
     "PEM client certificate"},
    {"--redis-tls-key-file", "TTADS_REDIS_TLS_KEY_FILE",
     "PEM key of the client certificate"},
    {"--redis-tls-server-name", "TTADS_REDIS_TLS_SERVER_NAME",
     "SNI and verified name (default: the host)"},
    {"--redis-sentinel-master", "TTADS_REDIS_SENTINEL_MASTER",
     "Sentinel master name (with --redis-sentinels)"},
    {"--redis-sentinels", "TTADS_REDIS_SENTINELS",
     "comma-separated sentinel host:port list"},
    {"--redis-sentinel-password", "TTADS_REDIS_SENTINEL_PASSWORD",
     "sentinel password (prefer the variable or the -file flag)"},
};

// The services ttadsctl may call instead of Redis.
constexpr RedisFlag kApiFlags[] = {
    {"--admin-address", kAdminApiAddressKey,
     "gRPC address of the admin API (identity's, e.g. "
     "ttads-identity:50051): team, member and key commands use it"},
    {"--audience-address", kAudienceAddressKey,
     "gRPC address of the audience service (audience job commands)"},
};

// Secret flags read from a file (its first line).
struct FileFlag {
  const char* name;
  const char* key;
  const char* help;
};
constexpr FileFlag kFileFlags[] = {
    {"--redis-password-file", "TTADS_REDIS_PASSWORD",
     "file holding the Redis password"},
    {"--redis-sentinel-password-file", "TTADS_REDIS_SENTINEL_PASSWORD",
     "file holding the sentinel password"},
};

absl::StatusOr<std::string> FirstLine(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// "ttadsctl: <message> (<CODE>[, <REASON>])" and a line per field
// violation: the store's or the server's words.
int Fail(std::ostream& err, const absl::Status& status) {
  const std::string code = absl::StatusCodeToString(status.code());
  const std::string reason = status::ReasonOf(status);
  err << "ttadsctl: " << status.message() << " (" << code
      << (reason.empty() || reason == code ? "" : ", " + reason) << ")\n";
  google::rpc::BadRequest bad;
  if (status::GetDetail(status, &bad)) {
    for (const auto& v : bad.field_violations()) {
      err << "  " << v.field() << ": " << v.description() << "\n";
    }
  }
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                             : kExitFailed;
}

// `audience job watch`: prints each update as it comes (a line, or one
// JSON object per line), until the job ends or Ctrl-C.
int WatchJob(const ApiConnection& api, const std::string& job_id, bool json,
             std::ostream& out, std::ostream& err) {
  grpc::ClientContext context;
  CancelOnInterrupt interrupt(&context);
  absl::StatusOr<audience::v1::SyncJob> last = WatchSyncJob(
      api, job_id, &context, [&](const audience::v1::SyncJob& job) {
        out << (json ? SyncJobJson(job).dump() + "\n" : SyncJobLine(job));
        out.flush();
      });
  if (interrupt.interrupted()) {
    err << "ttadsctl: stopped watching " << job_id << " (the job goes on)\n";
    return kExitInterrupted;
  }
  if (!last.ok()) return Fail(err, last.status());
  if (!IsFinal(*last)) {
    err << "ttadsctl: the stream of " << job_id
        << " ended before the job did; watch again\n";
    return kExitFailed;
  }
  if (last->state() == audience::v1::SYNC_JOB_STATE_FAILED) {
    err << "ttadsctl: job " << job_id << " FAILED: " << last->error_code()
        << " " << last->error_reason() << "\n";
    for (const std::string& e : last->errors()) err << "  " << e << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

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

  std::string output = "text";
  app.add_option("-o,--output", output, "result format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::map<std::string, std::string> flag_values;  // setting -> value
  std::vector<std::pair<CLI::Option*, std::string>> redis_options;
  for (const RedisFlag& f : kRedisFlags) {
    redis_options.emplace_back(
        app.add_option(f.names, flag_values[f.key], f.help)->group("Redis"),
        f.key);
  }
  std::map<std::string, std::string> file_values;
  std::vector<std::pair<CLI::Option*, std::string>> file_options;
  for (const FileFlag& f : kFileFlags) {
    file_options.emplace_back(app.add_option(f.name, file_values[f.key], f.help)
                                  ->group("Redis")
                                  ->check(CLI::ExistingFile),
                              f.key);
  }
  std::vector<std::pair<CLI::Option*, std::string>> api_options;
  for (const RedisFlag& f : kApiFlags) {
    api_options.emplace_back(
        app.add_option(f.names, flag_values[f.key], f.help)->group("API"),
        f.key);
  }
  CLI::Option* api_key_file =
      app.add_option("--api-key-file", file_values[kApiKeyKey],
                     "file holding the API key (first line) for the admin "
                     "API and audience commands; or TTADS_API_KEY")
          ->group("API")
          ->check(CLI::ExistingFile);
  file_options.emplace_back(api_key_file, kApiKeyKey);
  int api_timeout_ms = 10000;
  app.add_option("--api-timeout-ms", api_timeout_ms,
                 "deadline of each API call, milliseconds")
      ->group("API")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  bool redis_direct = false;
  app.add_flag("--redis-direct", redis_direct,
               "team, member and key commands on Redis even when "
               "TTADS_ADMIN_API_ADDRESS is set (making the first admin)")
      ->group("API")
      ->excludes(api_options[0].first);
  bool tls = false;
  CLI::Option* tls_flag =
      app.add_flag("--redis-tls", tls,
                   "connect over TLS, verifying the server (system trust "
                   "store unless --redis-tls-ca-file)")
          ->group("Redis");

  // team
  CLI::App* team = app.add_subcommand("team", "teams");
  team->require_subcommand(1);
  std::string team_name, tier = std::string(auth::kTierStandard), team_id;
  bool subscription = false;
  const std::vector<std::string> tiers = {std::string(auth::kTierFree),
                                          std::string(auth::kTierStandard),
                                          std::string(auth::kTierEnterprise)};
  CLI::App* team_create =
      team->add_subcommand("create", "create a team; prints its id");
  team_create->add_option("--name", team_name, "team name, 1-100 characters")
      ->required();
  team_create->add_option("--tier", tier, "quota tier")
      ->check(CLI::IsMember(tiers))
      ->capture_default_str();
  team_create->add_flag("--subscription", subscription,
                        "the team's subscription is active");
  CLI::App* team_list =
      team->add_subcommand("list", "every team, one per line");
  CLI::App* team_show = team->add_subcommand(
      "show", "a team, its members and its TikTok connections");
  team_show->add_option("--team", team_id, "team id")->required();

  // member
  CLI::App* member = app.add_subcommand("member", "team members");
  member->require_subcommand(1);
  std::string member_name, role;
  CLI::App* member_add =
      member->add_subcommand("add", "add a member; prints its id");
  member_add->add_option("--team", team_id, "team id")->required();
  member_add->add_option("--name", member_name, "member name")->required();
  member_add->add_option("--role", role, "role")
      ->required()
      ->check(CLI::IsMember({"admin", "owner", "manager", "mediabuyer"},
                            CLI::ignore_case));

  // key
  CLI::App* key = app.add_subcommand("key", "API keys");
  key->require_subcommand(1);
  std::string member_id, key_id;
  CLI::App* key_issue = key->add_subcommand(
      "issue", "issue an API key for a member; prints it (shown once)");
  key_issue->add_option("--team", team_id, "team id")->required();
  key_issue->add_option("--member", member_id, "member id")->required();
  CLI::App* key_revoke = key->add_subcommand("revoke", "revoke an API key");
  key_revoke->add_option("--key-id", key_id, "key id (key_...)")->required();
  key_revoke->add_option("--team", team_id,
                         "the key's team (required with the admin API)");
  std::string overlap_text = "24h";
  CLI::App* key_rotate = key->add_subcommand(
      "rotate",
      "replace an API key: prints a new key for the same member (shown "
      "once); the old one keeps working until the overlap ends");
  key_rotate->add_option("--key-id", key_id, "the key to replace")->required();
  key_rotate->add_option("--team", team_id,
                         "the key's team (required with the admin API)");
  key_rotate
      ->add_option("--overlap", overlap_text,
                   "how long the old key keeps working: 0s to 720h "
                   "(e.g. 90m, 24h, 0s)")
      ->capture_default_str();
  CLI::App* key_list =
      key->add_subcommand("list", "a team's key ids (never the keys)");
  key_list->add_option("--team", team_id, "team id")->required();

  // demo
  std::string out_dir;
  CLI::App* demo =
      app.add_subcommand("demo",
                         "create a demo team with one member per role; writes "
                         "DIR/demo-keys.env (0600), prints the owner key");
  demo->add_option("--out-dir", out_dir, "directory for demo-keys.env")
      ->required();
  demo->add_option("--tier", tier, "quota tier")
      ->check(CLI::IsMember(tiers))
      ->capture_default_str();

  // reencrypt
  bool apply = false, dry_run = false;
  CLI::App* reencrypt = app.add_subcommand(
      "reencrypt",
      "re-encrypt every stored TikTok token under the current "
      "token-encryption key (TTADS_TOKEN_KEY_CURRENT); a dry run that only "
      "counts unless --apply");
  CLI::Option* apply_flag =
      reencrypt->add_flag("--apply", apply, "write the re-encrypted tokens");
  reencrypt->add_flag("--dry-run", dry_run, "count only (the default)")
      ->excludes(apply_flag);

  // audience job show|watch
  CLI::App* audience = app.add_subcommand("audience", "custom audiences");
  audience->require_subcommand(1);
  CLI::App* audience_job =
      audience->add_subcommand("job", "audience sync jobs");
  audience_job->require_subcommand(1);
  std::string job_id;
  CLI::App* job_show = audience_job->add_subcommand(
      "show", "a sync job's state, total, done, percent and ETA");
  job_show->add_option("job_id", job_id, "the job id (SyncMembers' answer)")
      ->required();
  CLI::App* job_watch = audience_job->add_subcommand(
      "watch",
      "follow a sync job until it ends (one line, or one JSON object, per "
      "update); exit 0 when it SUCCEEDED, 1 when it FAILED, 130 on Ctrl-C");
  job_watch->add_option("job_id", job_id, "the job id")->required();

  app.footer(kFooter);  // after the commands: a footer is inherited
  // A word that names no command lands in a hidden positional of the group
  // it follows, so the error can name it.
  std::vector<std::string> unknown_words;
  for (CLI::App* group : {&app, team, member, key, audience, audience_job}) {
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
  std::map<std::string, std::string> overrides;
  for (const auto& options : {redis_options, api_options}) {
    for (const auto& [option, setting] : options) {
      if (option->count() > 0) overrides[setting] = flag_values[setting];
    }
  }
  for (const auto& [option, setting] : file_options) {
    if (option->count() == 0) continue;
    absl::StatusOr<std::string> secret = FirstLine(file_values[setting]);
    if (!secret.ok()) return Fail(err, secret.status());
    overrides[setting] = *secret;
  }
  if (tls_flag->count() > 0 || overrides.count("TTADS_REDIS_TLS_CA_FILE") ||
      overrides.count("TTADS_REDIS_TLS_CERT_FILE")) {
    overrides["TTADS_REDIS_TLS"] = "true";
  }
  absl::StatusOr<config::Config> settings =
      LoadSettings(environment, overrides);
  if (!settings.ok()) return Fail(err, settings.status());
  absl::StatusOr<store::RedisOptions> options = RedisOptionsFor(*settings);
  if (!options.ok()) return Fail(err, options.status());
  // The ring is checked before anything is read, so a misconfigured key
  // stops a re-encrypt pass up front.
  std::unique_ptr<crypto::KeyRing> ring;
  if (reencrypt->parsed()) {
    absl::StatusOr<crypto::KeyRing> keys = TokenKeysFor(*settings);
    if (!keys.ok()) return Fail(err, keys.status());
    ring = std::make_unique<crypto::KeyRing>(*std::move(keys));
  }

  // The services' APIs: the address and the key.
  const ApiConnection api{.address = "",
                          .api_key = settings->GetString(kApiKeyKey),
                          .timeout = absl::Milliseconds(api_timeout_ms)};
  auto api_of = [&](const char* address_key,
                    const char* flag) -> absl::StatusOr<ApiConnection> {
    if (!settings->IsSet(address_key)) {
      return absl::InvalidArgumentError(std::string("no address: set ") + flag +
                                        " or " + address_key);
    }
    if (api.api_key.empty()) {
      return absl::InvalidArgumentError(
          "an API key is required: --api-key-file FILE or TTADS_API_KEY");
    }
    ApiConnection out = api;
    out.address = settings->GetString(address_key);
    return out;
  };

  if (job_show->parsed() || job_watch->parsed()) {
    absl::StatusOr<ApiConnection> audience_api =
        api_of(kAudienceAddressKey, "--audience-address");
    if (!audience_api.ok()) return Fail(err, audience_api.status());
    if (job_show->parsed()) {
      absl::StatusOr<audience::v1::SyncJob> job =
          GetSyncJob(*audience_api, job_id);
      if (!job.ok()) return Fail(err, job.status());
      out << (output == "json" ? SyncJobJson(*job).dump(2) + "\n"
                               : SyncJobText(*job));
      return kExitOk;
    }
    return WatchJob(*audience_api, job_id, output == "json", out, err);
  }

  // Team, member and key commands: the admin API when it is named.
  const bool via_api = !reencrypt->parsed() && !redis_direct &&
                       settings->IsSet(kAdminApiAddressKey);
  std::unique_ptr<store::RedisPool> redis;
  std::unique_ptr<auth::RedisTeamStore> team_store;
  std::unique_ptr<TeamAdmin> admin;
  if (via_api) {
    absl::StatusOr<ApiConnection> admin_api =
        api_of(kAdminApiAddressKey, "--admin-address");
    if (!admin_api.ok()) return Fail(err, admin_api.status());
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
  TeamAdmin& teams = *admin;

  absl::StatusOr<Output> result = absl::InternalError("no command ran");
  if (team_create->parsed()) {
    result = TeamCreate(teams, team_name, tier, subscription);
  } else if (team_list->parsed()) {
    result = TeamList(teams);
  } else if (team_show->parsed()) {
    result = TeamShow(teams, redis.get(), team_id);
  } else if (member_add->parsed()) {
    result = MemberAdd(teams, team_id, member_name, role);
  } else if (key_issue->parsed()) {
    result = KeyIssue(teams, team_id, member_id);
  } else if (key_revoke->parsed()) {
    result = KeyRevoke(teams, team_id, key_id);
  } else if (key_rotate->parsed()) {
    absl::Duration overlap;
    if (!absl::ParseDuration(overlap_text, &overlap)) {
      err << "ttadsctl: --overlap: not a duration: \"" << overlap_text
          << "\" (e.g. 90m, 24h, 0s)\n";
      return kExitUsage;
    }
    result = KeyRotate(teams, team_id, key_id, overlap);
  } else if (key_list->parsed()) {
    result = KeyList(teams, team_id);
  } else if (demo->parsed()) {
    result = Demo(teams, out_dir, tier);
  } else if (reencrypt->parsed()) {
    result = Reencrypt(*redis, *ring, apply);
  }
  if (!result.ok()) return Fail(err, result.status());
  if (output == "json") {
    out << result->json.dump(2) << "\n";
  } else {
    out << result->text;
  }
  err << result->note;
  if (!result->failure.empty()) {
    err << "ttadsctl: " << result->failure << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace ttads::ttadsctl
