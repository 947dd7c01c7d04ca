#include "libs/store/redis_cluster_fixture.h"

#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/cluster_slots.h"
#include "libs/testing/free_port.h"

namespace ttads::store {

using ::ttads::testing::RedisServer;

absl::StatusOr<std::unique_ptr<RedisClusterFixture>> RedisClusterFixture::Start(
    const Options& options) {
  std::unique_ptr<RedisClusterFixture> cluster(new RedisClusterFixture());
  std::vector<int> bus_ports;
  for (int i = 0; i < options.masters; ++i) {
    RedisServer::Options node = options.node;
    TTADS_ASSIGN_OR_RETURN(int bus_port, testing::FreePort());
    node.args.insert(node.args.end(),
                     {"--cluster-enabled", "yes", "--cluster-config-file",
                      "nodes.conf", "--cluster-port", std::to_string(bus_port),
                      "--cluster-node-timeout", "3000"});
    if (!node.tls_cert_file.empty()) {
      node.args.insert(node.args.end(), {"--tls-cluster", "yes"});
      if (!options.bus_client_cert_file.empty()) {
        node.args.insert(
            node.args.end(),
            {"--tls-client-cert-file", options.bus_client_cert_file,
             "--tls-client-key-file", options.bus_client_key_file});
      }
    }
    TTADS_ASSIGN_OR_RETURN(std::unique_ptr<RedisServer> server,
                           RedisServer::Start(node));
    cluster->nodes_.push_back(std::move(server));
    cluster->admin_.emplace_back();
    bus_ports.push_back(bus_port);
  }
  const int n = options.masters;
  for (int i = 0; i < n; ++i) {
    const int first = kClusterSlots * i / n;
    const int last = kClusterSlots * (i + 1) / n - 1;
    TTADS_ASSIGN_OR_RETURN(
        RedisReply added,
        cluster->Admin(i, {"CLUSTER", "ADDSLOTSRANGE", std::to_string(first),
                           std::to_string(last)}));
    if (added.is_error()) return absl::InternalError(added.str);
    TTADS_ASSIGN_OR_RETURN(RedisReply id,
                           cluster->Admin(i, {"CLUSTER", "MYID"}));
    cluster->ids_.push_back(id.str);
  }
  // Every pair meets directly (no wait for gossip to introduce them).
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      TTADS_ASSIGN_OR_RETURN(
          RedisReply met,
          cluster->Admin(i, {"CLUSTER", "MEET", "127.0.0.1",
                             std::to_string(cluster->nodes_[j]->port()),
                             std::to_string(bus_ports[j])}));
      if (met.is_error()) return absl::InternalError(met.str);
    }
  }
  // About 2 s: a master turns cluster_state:ok no sooner than 2 s after it
  // started (Redis' CLUSTER_WRITABLE_DELAY).
  TTADS_RETURN_IF_ERROR(cluster->WaitConverged());
  return cluster;
}

std::vector<RedisEndpoint> RedisClusterFixture::Seeds(bool tls) const {
  std::vector<RedisEndpoint> seeds;
  for (const auto& node : nodes_) {
    seeds.push_back(RedisEndpoint{
        .host = "127.0.0.1", .port = tls ? node->tls_port() : node->port()});
  }
  return seeds;
}

absl::StatusOr<RedisPool*> RedisClusterFixture::AdminPool(int i) {
  if (admin_[i] == nullptr) {
    TTADS_ASSIGN_OR_RETURN(RedisOptions options,
                           ParseRedisAddress(nodes_[i]->address()));
    options.pool_size = 1;
    options.timeout = std::chrono::milliseconds(5000);
    TTADS_ASSIGN_OR_RETURN(admin_[i], RedisPool::Connect(options));
  }
  return admin_[i].get();
}

absl::StatusOr<RedisReply> RedisClusterFixture::Admin(
    int i, const std::vector<std::string>& args) {
  TTADS_ASSIGN_OR_RETURN(RedisPool * pool, AdminPool(i));
  TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                         pool->Pipeline({args}));
  return std::move(replies.front());
}

absl::Status RedisClusterFixture::WaitConverged() {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    bool ok = true;
    for (int i = 0; i < size() && ok; ++i) {
      TTADS_ASSIGN_OR_RETURN(RedisReply info, Admin(i, {"CLUSTER", "INFO"}));
      last = info.str;
      ok = absl::StrContains(info.str, "cluster_state:ok") &&
           absl::StrContains(info.str,
                             absl::StrCat("cluster_known_nodes:", size())) &&
           absl::StrContains(info.str, "cluster_slots_assigned:16384");
      if (ok) {
        TTADS_ASSIGN_OR_RETURN(RedisReply slots,
                               Admin(i, {"CLUSTER", "SLOTS"}));
        ok = slots.elements.size() == static_cast<size_t>(size());
      }
    }
    if (ok) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError("redis cluster did not converge: " + last);
}

absl::StatusOr<int> RedisClusterFixture::Owner(int slot) {
  TTADS_ASSIGN_OR_RETURN(RedisReply slots, Admin(0, {"CLUSTER", "SLOTS"}));
  for (const RedisReply& range : slots.elements) {
    if (range.elements.size() < 3 || slot < range.elements[0].integer ||
        slot > range.elements[1].integer) {
      continue;
    }
    const int64_t port = range.elements[2].elements[1].integer;
    for (int i = 0; i < size(); ++i) {
      if (nodes_[i]->port() == port || nodes_[i]->tls_port() == port) return i;
    }
  }
  return absl::NotFoundError(absl::StrCat("no owner for slot ", slot));
}

absl::Status RedisClusterFixture::BeginMigration(int slot, int from, int to) {
  TTADS_ASSIGN_OR_RETURN(RedisReply importing,
                         Admin(to, {"CLUSTER", "SETSLOT", std::to_string(slot),
                                    "IMPORTING", ids_[from]}));
  if (importing.is_error()) return absl::InternalError(importing.str);
  TTADS_ASSIGN_OR_RETURN(
      RedisReply migrating,
      Admin(from, {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING",
                   ids_[to]}));
  if (migrating.is_error()) return absl::InternalError(migrating.str);
  return absl::OkStatus();
}

absl::StatusOr<int> RedisClusterFixture::MigrateKeys(
    int slot, int from, int to, int batch,
    const std::function<void()>& between) {
  int moved = 0;
  while (true) {
    TTADS_ASSIGN_OR_RETURN(
        RedisReply keys,
        Admin(from, {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot),
                     std::to_string(batch)}));
    if (keys.is_error()) return absl::InternalError(keys.str);
    if (keys.elements.empty()) return moved;
    // With tls-cluster, MIGRATE speaks TLS: aim it at the TLS port.
    const int port = nodes_[to]->tls_port() != 0 ? nodes_[to]->tls_port()
                                                 : nodes_[to]->port();
    std::vector<std::string> migrate = {
        "MIGRATE", "127.0.0.1", std::to_string(port), "", "0", "5000", "KEYS"};
    for (const RedisReply& key : keys.elements) migrate.push_back(key.str);
    TTADS_ASSIGN_OR_RETURN(RedisReply reply, Admin(from, migrate));
    if (reply.is_error()) return absl::InternalError("MIGRATE: " + reply.str);
    moved += static_cast<int>(keys.elements.size());
    if (between) between();
  }
}

absl::Status RedisClusterFixture::FinishMigration(int slot, int to) {
  std::vector<int> order = {to};
  for (int i = 0; i < size(); ++i) {
    if (i != to) order.push_back(i);
  }
  for (int i : order) {
    TTADS_ASSIGN_OR_RETURN(RedisReply set,
                           Admin(i, {"CLUSTER", "SETSLOT", std::to_string(slot),
                                     "NODE", ids_[to]}));
    if (set.is_error()) return absl::InternalError(set.str);
  }
  return absl::OkStatus();
}

}  // namespace ttads::store
