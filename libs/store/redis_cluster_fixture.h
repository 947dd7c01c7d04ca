#ifndef TTADS_LIBS_STORE_REDIS_CLUSTER_FIXTURE_H_
#define TTADS_LIBS_STORE_REDIS_CLUSTER_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "libs/testing/redis_server.h"

namespace ttads::store {

// Test-only: a private Redis Cluster of `masters` redis-server processes
// (no replicas), each on ephemeral client and bus ports with its own
// directory (libs/testing RedisServer). Slots are split evenly with
// CLUSTER ADDSLOTSRANGE, the nodes joined with CLUSTER MEET, and Start
// returns once every node reports cluster_state:ok and the same owner for
// every slot. Admin commands go to each node's plain port as the default
// user (the node options may add ACL users and TLS for the code under
// test). Killed with the test process.
class RedisClusterFixture {
 public:
  struct Options {
    int masters = 3;
    // Applied to every node (TLS files, extra args such as --user). With
    // TLS the cluster bus is TLS too (tls-cluster yes), and the nodes
    // present `bus_client_cert_file`/`bus_client_key_file` to each other.
    testing::RedisServer::Options node;
    std::string bus_client_cert_file;
    std::string bus_client_key_file;
  };

  static absl::StatusOr<std::unique_ptr<RedisClusterFixture>> Start(
      const Options& options);

  int size() const { return static_cast<int>(nodes_.size()); }
  testing::RedisServer& node(int i) { return *nodes_[i]; }
  const std::string& node_id(int i) const { return ids_[i]; }

  // Seed endpoints for ClusterPool: every node's plain port, or its TLS
  // port with `tls`.
  std::vector<RedisEndpoint> Seeds(bool tls) const;

  // Runs one admin command on node i (plain port, default user).
  absl::StatusOr<RedisReply> Admin(int i, const std::vector<std::string>& args);

  // The node index that owns `slot` in node 0's view.
  absl::StatusOr<int> Owner(int slot);

  // Slot migration, the steps redis-cli --cluster reshard takes:
  // BeginMigration: SETSLOT IMPORTING on `to`, then MIGRATING on `from`.
  absl::Status BeginMigration(int slot, int from, int to);
  // Moves the keys of `slot` from `from` to `to` with MIGRATE, `batch` keys
  // at a time, calling `between` after each batch, until `from` holds none.
  // Returns the number of keys moved.
  absl::StatusOr<int> MigrateKeys(int slot, int from, int to, int batch,
                                  const std::function<void()>& between);
  // SETSLOT <slot> NODE <to> on `to`, then on every other node.
  absl::Status FinishMigration(int slot, int to);

 private:
  RedisClusterFixture() = default;
  absl::StatusOr<RedisPool*> AdminPool(int i);
  absl::Status WaitConverged();

  std::vector<std::unique_ptr<testing::RedisServer>> nodes_;
  std::vector<std::unique_ptr<RedisPool>> admin_;
  std::vector<std::string> ids_;
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_CLUSTER_FIXTURE_H_
