#include "libs/store/redis_dialer.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/status_macros.h"

namespace ttads::store {

absl::StatusOr<std::unique_ptr<RedisDialer>> RedisDialer::Create(
    const RedisOptions& options) {
  if (options.sentinel_master.empty() != options.sentinels.empty()) {
    return absl::InvalidArgumentError(
        "redis sentinel: a master name and at least one sentinel go "
        "together");
  }
  if (!options.cluster_nodes.empty() && !options.sentinel_master.empty()) {
    return absl::InvalidArgumentError(
        "redis: Sentinel and Cluster are exclusive; set one of them");
  }
  std::shared_ptr<TlsContext> tls;
  if (options.tls.enabled) {
    TTADS_ASSIGN_OR_RETURN(tls, TlsContext::Create(options.tls));
  }
  return std::unique_ptr<RedisDialer>(new RedisDialer(options, tls));
}

RedisConnection::Settings RedisDialer::ServerSettings() const {
  return RedisConnection::Settings{.timeout = options_.timeout,
                                   .username = options_.username,
                                   .password = options_.password,
                                   .tls = tls_};
}

absl::StatusOr<RedisEndpoint> RedisDialer::DiscoverMaster() const {
  const RedisConnection::Settings settings{
      .timeout = options_.timeout,
      .username = options_.sentinel_username,
      .password = options_.sentinel_password,
      .tls = tls_};
  std::vector<std::string> errors;
  bool answered = false;
  for (const RedisEndpoint& sentinel : options_.sentinels) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> conn =
        RedisConnection::Open(sentinel, settings);
    if (!conn.ok()) {
      errors.push_back(std::string(conn.status().message()));
      continue;
    }
    absl::StatusOr<std::vector<RedisReply>> reply = (*conn)->Execute(
        {{"SENTINEL", "get-master-addr-by-name", options_.sentinel_master}});
    if (!reply.ok()) {
      errors.push_back(std::string(reply.status().message()));
      continue;
    }
    const RedisReply& r = reply->front();
    if (r.is_nil()) {
      answered = true;
      errors.push_back(absl::StrCat("sentinel ", sentinel.ToString(),
                                    ": no master named ",
                                    options_.sentinel_master));
      continue;
    }
    int port = 0;
    if (r.type != RedisReply::Type::kArray || r.elements.size() != 2 ||
        std::from_chars(r.elements[1].str.data(),
                        r.elements[1].str.data() + r.elements[1].str.size(),
                        port)
                .ec != std::errc() ||
        port < 1 || port > 65535) {
      errors.push_back(absl::StrCat("sentinel ", sentinel.ToString(),
                                    ": unexpected reply ",
                                    r.is_error() ? r.str : "shape"));
      continue;
    }
    return RedisEndpoint{.host = r.elements[0].str, .port = port};
  }
  const std::string message =
      absl::StrCat("redis sentinel: no master address for ",
                   options_.sentinel_master, ": ", absl::StrJoin(errors, "; "));
  if (answered) return absl::FailedPreconditionError(message);
  return absl::UnavailableError(message);
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisDialer::OpenNode(
    const RedisEndpoint& endpoint) const {
  return RedisConnection::Open(endpoint, ServerSettings());
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisDialer::Open() const {
  if (!options_.cluster_nodes.empty()) {
    std::vector<std::string> errors;
    absl::StatusCode code = absl::StatusCode::kUnavailable;
    for (const RedisEndpoint& node : options_.cluster_nodes) {
      absl::StatusOr<std::unique_ptr<RedisConnection>> conn = OpenNode(node);
      if (conn.ok()) return conn;
      if (conn.status().code() != absl::StatusCode::kUnavailable) {
        code = conn.status().code();  // AUTH or TLS refused: not transient
      }
      errors.push_back(std::string(conn.status().message()));
    }
    return absl::Status(code, absl::StrCat("redis cluster: no node answered: ",
                                           absl::StrJoin(errors, "; ")));
  }
  if (options_.sentinel_master.empty()) {
    return RedisConnection::Open(
        RedisEndpoint{.host = options_.host, .port = options_.port},
        ServerSettings());
  }
  TTADS_ASSIGN_OR_RETURN(RedisEndpoint master, DiscoverMaster());
  TTADS_ASSIGN_OR_RETURN(std::unique_ptr<RedisConnection> conn,
                         RedisConnection::Open(master, ServerSettings()));
  // A sentinel may still name a master that was just demoted (or that
  // came back as a replica): only a server that says it is the master
  // takes writes.
  TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> role,
                         conn->Execute({{"ROLE"}}));
  const RedisReply& r = role.front();
  if (r.type != RedisReply::Type::kArray || r.elements.empty() ||
      r.elements[0].str != "master") {
    return absl::UnavailableError(absl::StrCat(
        "redis ", master.ToString(), " named master of ",
        options_.sentinel_master, " by the sentinels is not a master (ROLE ",
        r.elements.empty() ? r.str : r.elements[0].str,
        "): failover under way"));
  }
  return conn;
}

}  // namespace ttads::store
