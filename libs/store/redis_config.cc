#include "libs/store/redis_config.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "libs/status/status_macros.h"

namespace ttads::store {
namespace {

absl::Status Bad(absl::string_view key, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(key, ": ", problem));
}

// A comma-separated host:port list; INVALID_ARGUMENT naming `key`.
absl::StatusOr<std::vector<RedisEndpoint>> ParseEndpoints(
    absl::string_view key, const std::string& list) {
  std::vector<RedisEndpoint> out;
  for (absl::string_view part : absl::StrSplit(list, ',')) {
    absl::StatusOr<RedisOptions> node =
        ParseRedisAddress(std::string(absl::StripAsciiWhitespace(part)));
    if (!node.ok()) return Bad(key, node.status().message());
    out.push_back(RedisEndpoint{.host = node->host, .port = node->port});
  }
  return out;
}

}  // namespace

absl::StatusOr<RedisOptions> RedisOptionsFrom(
    const config::RedisSettings& settings) {
  absl::StatusOr<RedisOptions> options = ParseRedisAddress(settings.address);
  if (!options.ok()) {
    return Bad("TTADS_REDIS_ADDRESS", options.status().message());
  }
  if (!settings.username.empty() && settings.password.empty()) {
    return Bad("TTADS_REDIS_PASSWORD",
               "required when TTADS_REDIS_USERNAME is set (AUTH <user> "
               "<password>)");
  }
  options->username = settings.username;
  options->password = settings.password;
  options->pool_size = settings.pool_size;
  options->timeout = absl::ToChronoMilliseconds(settings.timeout);

  const std::pair<const char*, const std::string*> tls_files[] = {
      {"TTADS_REDIS_TLS_CA_FILE", &settings.tls_ca_file},
      {"TTADS_REDIS_TLS_CERT_FILE", &settings.tls_cert_file},
      {"TTADS_REDIS_TLS_KEY_FILE", &settings.tls_key_file},
      {"TTADS_REDIS_TLS_SERVER_NAME", &settings.tls_server_name}};
  if (!settings.tls) {
    for (const auto& [key, value] : tls_files) {
      if (!value->empty()) {
        return Bad(key, "set but TTADS_REDIS_TLS is false");
      }
    }
  }
  if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
    return Bad(settings.tls_cert_file.empty() ? "TTADS_REDIS_TLS_CERT_FILE"
                                              : "TTADS_REDIS_TLS_KEY_FILE",
               "the client certificate and its key go together: set both "
               "or neither");
  }
  options->tls = TlsOptions{.enabled = settings.tls,
                            .ca_file = settings.tls_ca_file,
                            .cert_file = settings.tls_cert_file,
                            .key_file = settings.tls_key_file,
                            .server_name = settings.tls_server_name};

  if (settings.sentinel_master.empty() != settings.sentinels.empty()) {
    return Bad(settings.sentinel_master.empty() ? "TTADS_REDIS_SENTINEL_MASTER"
                                                : "TTADS_REDIS_SENTINELS",
               "Sentinel needs both TTADS_REDIS_SENTINEL_MASTER and "
               "TTADS_REDIS_SENTINELS");
  }
  options->sentinel_master = settings.sentinel_master;
  if (!settings.sentinels.empty()) {
    TTADS_ASSIGN_OR_RETURN(
        options->sentinels,
        ParseEndpoints("TTADS_REDIS_SENTINELS", settings.sentinels));
  }
  if (!settings.cluster_nodes.empty()) {
    if (!settings.sentinel_master.empty()) {
      return Bad("TTADS_REDIS_CLUSTER_NODES",
                 "Cluster and Sentinel (TTADS_REDIS_SENTINEL_MASTER) are "
                 "exclusive; set one of them");
    }
    TTADS_ASSIGN_OR_RETURN(
        options->cluster_nodes,
        ParseEndpoints("TTADS_REDIS_CLUSTER_NODES", settings.cluster_nodes));
  }
  options->sentinel_password = settings.sentinel_password;
  options->wait_replicas = settings.wait_replicas;
  return options;
}

absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config) {
  return RedisOptionsFrom(config::RedisSettingsFrom(config));
}

}  // namespace ttads::store
