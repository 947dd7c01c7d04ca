// ClusterPool against a real 3-master Redis Cluster started here from
// Debian's redis-server (redis_cluster_fixture.h): routing by slot,
// pipelines across nodes, MOVED, ASK, the redirect bound, pub/sub, TLS with
// an ACL user, and a slot migrating while writers run, with every
// acknowledged write checked afterwards.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/cluster_pool.h"
#include "libs/store/key_schema.h"
#include "libs/store/redis_cluster_fixture.h"
#include "libs/store/redis_connection.h"
#include "libs/store/redis_dialer.h"
#include "libs/store/redis_metrics.h"
#include "libs/store/script.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"
#include "libs/testing/test_pki.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::RedisServer;
using ::ttads::testing::StatusIs;
using Clock = std::chrono::steady_clock;

template <typename F>
bool WaitFor(F done, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

class RedisClusterTest : public ::testing::Test {
 protected:
  void StartCluster(RedisClusterFixture::Options options = {}) {
    auto cluster = RedisClusterFixture::Start(options);
    ASSERT_THAT(cluster, IsOk());
    cluster_ = std::move(*cluster);
  }

  RedisOptions PoolOptions() const {
    RedisOptions options;
    options.cluster_nodes = cluster_->Seeds(/*tls=*/false);
    options.pool_size = 4;
    options.timeout = std::chrono::milliseconds(2000);
    return options;
  }

  std::unique_ptr<ClusterPool> Connect(const RedisOptions& options) {
    auto pool = ClusterPool::Connect(options);
    EXPECT_THAT(pool, IsOk());
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  // Keys per node of one team's tag, and the node index owning it.
  int OwnerOf(const std::string& key) {
    auto owner = cluster_->Owner(HashSlot(key));
    EXPECT_THAT(owner, IsOk());
    return owner.ok() ? *owner : -1;
  }

  int64_t KeysInSlot(int node, int slot) {
    auto n = cluster_->Admin(
        node, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)});
    EXPECT_THAT(n, IsOk());
    return n.ok() ? n->integer : -1;
  }

  std::unique_ptr<RedisClusterFixture> cluster_;
};

TEST_F(RedisClusterTest, RoutesEveryKeyToItsSlotsMaster) {
  StartCluster();
  auto pool = Connect(PoolOptions());
  ASSERT_NE(pool, nullptr);
  // Teams spread over the three masters; each key lands on its owner.
  std::vector<std::vector<std::string>> sets, gets;
  std::vector<int> per_node(3, 0);
  for (int t = 0; t < 60; ++t) {
    const std::string key = TeamKey(absl::StrCat("t", t), "conn:c1");
    sets.push_back({"SET", key, absl::StrCat("v", t)});
    gets.push_back({"GET", key});
    ++per_node[OwnerOf(key)];
  }
  EXPECT_GT(per_node[0], 0);
  EXPECT_GT(per_node[1], 0);
  EXPECT_GT(per_node[2], 0);
  // One pipeline across all three nodes, answers in the callers' order.
  ASSERT_THAT(pool->Pipeline(sets), IsOk());
  auto replies = pool->Pipeline(gets);
  ASSERT_THAT(replies, IsOk());
  for (int t = 0; t < 60; ++t) {
    EXPECT_EQ((*replies)[t].str, absl::StrCat("v", t));
    const std::string& key = gets[t][1];
    auto direct = cluster_->Admin(OwnerOf(key), {"GET", key});
    ASSERT_THAT(direct, IsOk());
    EXPECT_EQ(direct->str, absl::StrCat("v", t));
  }

  // A MULTI/EXEC block for one team between commands for other teams.
  const std::string a = TeamKey("ta", "x"), b = TeamKey("tb", "x");
  auto mixed = pool->Pipeline({{"SET", a, "1"},
                               {"MULTI"},
                               {"INCR", b},
                               {"INCR", TeamKey("tb", "y")},
                               {"EXEC"},
                               {"GET", a},
                               {"PING"}});
  ASSERT_THAT(mixed, IsOk());
  ASSERT_EQ(mixed->size(), 7u);
  EXPECT_EQ((*mixed)[1].str, "OK");
  EXPECT_EQ((*mixed)[2].str, "QUEUED");
  ASSERT_EQ((*mixed)[4].elements.size(), 2u);
  EXPECT_EQ((*mixed)[4].elements[0].integer, 1);
  EXPECT_EQ((*mixed)[5].str, "1");
  EXPECT_EQ((*mixed)[6].str, "PONG");

  // A script over one team's keys runs on that team's master.
  static const Script kScript(
      "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', "
      "KEYS[2])");
  auto ran =
      kScript.Run(*pool, {TeamKey("ts", "a"), TeamKey("ts", "n")}, {"hello"});
  ASSERT_THAT(ran, IsOk());
  EXPECT_EQ(ran->integer, 1);
  // Across tags: refused before anything is sent (as without Cluster).
  EXPECT_THAT(
      kScript.Run(*pool, {TeamKey("ts", "a"), TeamKey("tu", "n")}, {"x"}),
      StatusIs(absl::StatusCode::kInternal, HasSubstr("hash slot")));
  // A command Redis itself refuses across slots stays an error.
  EXPECT_THAT(pool->Command({"MGET", TeamKey("ta", "x"), TeamKey("tb", "x")}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("CROSSSLOT")));
  EXPECT_EQ(pool->stats().moved, 0);
  EXPECT_EQ(pool->stats().ask, 0);
}

TEST_F(RedisClusterTest, MovedUpdatesTheMapAndRetries) {
  StartCluster();
  auto pool = Connect(PoolOptions());
  ASSERT_NE(pool, nullptr);
  const std::string key = TeamKey("moving", "k");
  const int slot = HashSlot(key);
  const int from = OwnerOf(key);
  const int to = (from + 1) % 3;
  ASSERT_THAT(pool->Command({"SET", key, "before"}), IsOk());
  const int64_t refreshes = pool->stats().refreshes;

  // Reshard the slot behind the pool's back.
  ASSERT_THAT(cluster_->BeginMigration(slot, from, to), IsOk());
  ASSERT_THAT(cluster_->MigrateKeys(slot, from, to, 10, nullptr),
              IsOkAndHolds(1));
  ASSERT_THAT(cluster_->FinishMigration(slot, to), IsOk());

  // The old owner answers MOVED; the pool follows it and remembers.
  auto got = pool->Command({"GET", key});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, "before");
  EXPECT_EQ(pool->stats().moved, 1);
  EXPECT_EQ(pool->MasterOf(slot), cluster_->node(to).address());
  // The whole map is read again: at once, or by a later call when the
  // last read was under 100 ms ago.
  EXPECT_TRUE(WaitFor(
      [&] {
        pool->Command({"PING"}).IgnoreError();
        return pool->stats().refreshes > refreshes;
      },
      std::chrono::seconds(5)));
  ASSERT_THAT(pool->Command({"SET", key, "after"}), IsOk());
  EXPECT_EQ(pool->stats().moved, 1) << "the map was updated";
  auto direct = cluster_->Admin(to, {"GET", key});
  ASSERT_THAT(direct, IsOk());
  EXPECT_EQ(direct->str, "after");
}

TEST_F(RedisClusterTest, AskGoesToTheImportingNodeWithoutChangingTheMap) {
  StartCluster();
  auto pool = Connect(PoolOptions());
  ASSERT_NE(pool, nullptr);
  const std::string old_key = TeamKey("asking", "old");
  const int slot = HashSlot(old_key);
  const int from = OwnerOf(old_key);
  const int to = (from + 1) % 3;
  ASSERT_THAT(pool->Command({"SET", old_key, "v"}), IsOk());
  ASSERT_THAT(cluster_->BeginMigration(slot, from, to), IsOk());

  // A key the source does not hold: ASK, then ASKING + SET on the target.
  const std::string new_key = TeamKey("asking", "new");
  ASSERT_THAT(pool->Command({"SET", new_key, "n"}), IsOk());
  EXPECT_EQ(pool->stats().ask, 1);
  EXPECT_EQ(KeysInSlot(to, slot), 1);
  EXPECT_EQ(KeysInSlot(from, slot), 1);
  EXPECT_EQ(pool->MasterOf(slot), cluster_->node(from).address())
      << "ASK must not change the map";
  // Reading it again is another ASK (nothing remembered); a key still on
  // the source is served there without a redirect.
  auto again = pool->Command({"GET", new_key});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->str, "n");
  EXPECT_EQ(pool->stats().ask, 2);
  auto old = pool->Command({"GET", old_key});
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->str, "v");
  EXPECT_EQ(pool->stats().ask, 2);
  // A MULTI block for the slot follows ASK as one unit.
  auto tx = pool->Pipeline(
      {{"MULTI"}, {"SET", TeamKey("asking", "tx"), "1"}, {"EXEC"}});
  ASSERT_THAT(tx, IsOk());
  ASSERT_EQ(tx->back().type, RedisReply::Type::kArray);
  EXPECT_EQ(tx->back().elements[0].str, "OK");
  EXPECT_EQ(KeysInSlot(to, slot), 2);
  EXPECT_EQ(pool->stats().moved, 0);
}

TEST_F(RedisClusterTest, ARedirectLoopEndsInUnavailable) {
  StartCluster();
  auto registry = std::make_shared<prometheus::Registry>();
  RedisOptions options = PoolOptions();
  options.metrics = std::make_shared<RedisMetrics>(registry);
  auto pool = Connect(options);
  ASSERT_NE(pool, nullptr);
  const std::string key = TeamKey("loop", "k");
  const int slot = HashSlot(key);
  const int a = OwnerOf(key);
  const int b = (a + 1) % 3;
  // a now says b owns the (empty) slot, b still says a: each answers
  // MOVED to the other, for ever.
  auto set = cluster_->Admin(a, {"CLUSTER", "SETSLOT", std::to_string(slot),
                                 "NODE", cluster_->node_id(b)});
  ASSERT_THAT(set, IsOk());
  ASSERT_FALSE(set->is_error()) << set->str;
  EXPECT_THAT(pool->Command({"GET", key}),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("too many redirects")));
  EXPECT_EQ(pool->stats().exhausted, 1);
  EXPECT_EQ(pool->stats().moved, ClusterPool::kMaxRedirects);
  // The same counts on /metrics: redis_errors_total{kind}.
  auto count = [&](const std::string& kind) {
    for (const auto& family : registry->Collect()) {
      for (const auto& metric : family.metric) {
        if (family.name == "redis_errors_total" && metric.label.size() == 1 &&
            metric.label[0].value == kind) {
          return metric.counter.value;
        }
      }
    }
    return 0.0;
  };
  EXPECT_EQ(count("moved"), ClusterPool::kMaxRedirects);
  EXPECT_EQ(count("redirects_exhausted"), 1);
  // Other slots are unaffected.
  EXPECT_THAT(pool->Command({"SET", TeamKey("fine", "k"), "v"}), IsOk());
}

TEST_F(RedisClusterTest, SubscribeOnAnyNodeHearsAPublishFromThePool) {
  StartCluster();
  RedisOptions options = PoolOptions();
  auto pool = Connect(options);
  ASSERT_NE(pool, nullptr);
  // The revocation watcher's path: RedisDialer::Open (first seed that
  // answers), SUBSCRIBE, then wait.
  options.cluster_nodes = {cluster_->Seeds(false)[2],
                           cluster_->Seeds(false)[1]};
  ASSERT_THAT(cluster_->node(2).Stop(), IsOk());  // a dead seed is skipped
  auto dialer = RedisDialer::Create(options);
  ASSERT_THAT(dialer, IsOk());
  auto conn = (*dialer)->Open();
  ASSERT_THAT(conn, IsOk());
  EXPECT_EQ((*conn)->endpoint().port, cluster_->node(1).port());
  ASSERT_THAT((*conn)->Execute({{"SUBSCRIBE", "ttads:revocations"}}), IsOk());
  // PUBLISH goes to whichever master the pool picks; the bus carries it.
  ASSERT_THAT(pool->Command({"PUBLISH", "ttads:revocations", "digest"}),
              IsOk());
  auto message = (*conn)->ReadReply(std::chrono::milliseconds(5000));
  ASSERT_THAT(message, IsOk());
  ASSERT_EQ(message->elements.size(), 3u);
  EXPECT_EQ(message->elements[2].str, "digest");
}

TEST_F(RedisClusterTest, ConnectRefusesANonClusterServer) {
  auto plain = RedisServer::Start();
  ASSERT_THAT(plain, IsOk());
  RedisOptions options;
  options.cluster_nodes = {
      RedisEndpoint{.host = "127.0.0.1", .port = (*plain)->port()}};
  EXPECT_THAT(ClusterPool::Connect(options),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cluster support disabled")));
  ASSERT_THAT((*plain)->Stop(), IsOk());
  EXPECT_THAT(RedisPool::Connect(options),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(RedisClusterTest, TlsAndAnAclUserWorkInClusterMode) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir =
      std::string(tmp != nullptr && *tmp ? tmp : "/tmp") + "/ttads-pki-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  auto pki = ttads::testing::MakeTestPki(dir);
  ASSERT_THAT(pki, IsOk());
  RedisClusterFixture::Options options;
  options.node.tls_cert_file = pki->server_cert_file;
  options.node.tls_key_file = pki->server_key_file;
  options.node.tls_ca_file = pki->ca_file;
  options.node.args = {"--user",   "app", "on",    ">app-pw",
                       "~ttads:*", "&*",  "+@all", "-@dangerous"};
  options.bus_client_cert_file = pki->client_cert_file;
  options.bus_client_key_file = pki->client_key_file;
  StartCluster(options);

  RedisOptions tls = PoolOptions();
  tls.cluster_nodes = cluster_->Seeds(/*tls=*/true);
  tls.tls.enabled = true;
  tls.tls.ca_file = pki->ca_file;
  tls.username = "app";
  tls.password = "app-pw";
  auto pool = Connect(tls);
  ASSERT_NE(pool, nullptr);
  // The map names the TLS ports (tls-cluster yes), so every node is
  // reached over TLS as the ACL user.
  const std::string key = TeamKey("secure", "k");
  EXPECT_EQ(
      pool->MasterOf(HashSlot(key)),
      absl::StrCat("127.0.0.1:", cluster_->node(OwnerOf(key)).tls_port()));
  for (int t = 0; t < 30; ++t) {
    const std::string k = TeamKey(absl::StrCat("s", t), "k");
    ASSERT_THAT(pool->Command({"SET", k, "v"}), IsOk());
  }
  auto whoami = pool->Command({"ACL", "WHOAMI"});
  ASSERT_THAT(whoami, IsOk());
  EXPECT_EQ(whoami->str, "app");
  EXPECT_THAT(pool->Command({"SET", "outside", "v"}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("NOPERM")));

  // MOVED over TLS points at the TLS port too.
  ASSERT_THAT(pool->Command({"SET", key, "v"}), IsOk());
  const int slot = HashSlot(key);
  const int from = OwnerOf(key);
  const int to = (from + 1) % 3;
  ASSERT_THAT(cluster_->BeginMigration(slot, from, to), IsOk());
  ASSERT_THAT(pool->Command({"SET", TeamKey("secure", "new"), "v"}), IsOk());
  EXPECT_EQ(pool->stats().ask, 1);
  ASSERT_THAT(cluster_->MigrateKeys(slot, from, to, 10, nullptr), IsOk());
  ASSERT_THAT(cluster_->FinishMigration(slot, to), IsOk());
  auto got = pool->Command({"GET", key});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, "v");
  EXPECT_EQ(pool->stats().moved, 1);
  EXPECT_EQ(pool->MasterOf(slot),
            absl::StrCat("127.0.0.1:", cluster_->node(to).tls_port()));

  // Wrong password on a cluster: refused at Connect, not retried.
  RedisOptions wrong = tls;
  wrong.password = "nope";
  EXPECT_THAT(ClusterPool::Connect(wrong),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("WRONGPASS")));
  cluster_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

// The scenario: writers run while the slot holding their keys
// migrates to another master (SETSLOT IMPORTING/MIGRATING, MIGRATE in
// batches, SETSLOT NODE). Every write the pool acknowledged must be on the
// new owner afterwards; writers see nothing worse than UNAVAILABLE.
TEST_F(RedisClusterTest, SlotMigratesMidLoadWithNothingAcknowledgedLost) {
  StartCluster();
  auto pool = Connect(PoolOptions());
  ASSERT_NE(pool, nullptr);
  const std::string team = "migrating";
  const int slot = HashSlot(TeamKey(team, "x"));
  const int from = OwnerOf(TeamKey(team, "x"));
  const int to = (from + 1) % 3;
  // A multi-key script over one tag: a per-writer set and a new key.
  static const Script kAdd(
      "redis.call('SET', KEYS[2], ARGV[1]); return redis.call('SADD', "
      "KEYS[1], ARGV[1])");

  std::mutex mu;
  std::vector<std::string> keys;  // acknowledged SET/script keys; by mu
  std::vector<std::pair<std::string, std::string>> members;  // set, member
  std::atomic<int> acked{0};
  std::atomic<int> retries{0};
  std::atomic<int> other_errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      const std::string set = TeamKey(team, absl::StrCat("set:", w));
      for (int i = 0; !stop.load(); ++i) {
        const std::string key = TeamKey(team, absl::StrCat("k:", w, ":", i));
        while (!stop.load()) {  // the same write until acknowledged
          absl::StatusOr<RedisReply> reply =
              i % 2 == 0 ? pool->Command({"SET", key, key})
                         : kAdd.Run(*pool, {set, key}, {key});
          if (reply.ok()) {
            std::lock_guard<std::mutex> lock(mu);
            keys.push_back(key);
            if (i % 2 == 1) members.emplace_back(set, key);
            ++acked;
            break;
          }
          if (reply.status().code() == absl::StatusCode::kUnavailable) {
            ++retries;
            continue;
          }
          ADD_FAILURE() << reply.status();
          ++other_errors;
          return;
        }
      }
    });
  }
  ASSERT_TRUE(
      WaitFor([&] { return acked.load() >= 300; }, std::chrono::seconds(30)));
  const int before = acked.load();
  ASSERT_THAT(cluster_->BeginMigration(slot, from, to), IsOk());
  auto moved_keys = cluster_->MigrateKeys(slot, from, to, 25, [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  });
  ASSERT_THAT(moved_keys, IsOk());
  // Writers create new keys, which the source no longer holds: ASK.
  EXPECT_TRUE(
      WaitFor([&] { return pool->stats().ask > 0; }, std::chrono::seconds(10)));
  // Keys written on the source during the first pass (before their
  // writers were ASKed away) go too.
  auto rest = cluster_->MigrateKeys(slot, from, to, 25, nullptr);
  ASSERT_THAT(rest, IsOk());
  ASSERT_THAT(cluster_->FinishMigration(slot, to), IsOk());
  const int at_finish = acked.load();
  const bool resumed = WaitFor([&] { return acked.load() >= at_finish + 300; },
                               std::chrono::seconds(30));
  stop = true;
  for (std::thread& t : writers) t.join();
  ASSERT_TRUE(resumed) << "writes did not resume after the migration";
  EXPECT_EQ(other_errors.load(), 0);

  const ClusterPool::Stats stats = pool->stats();
  EXPECT_GT(stats.moved, 0) << "writers should meet the finished move";
  EXPECT_GT(stats.ask, 0);
  EXPECT_EQ(pool->MasterOf(slot), cluster_->node(to).address());
  EXPECT_EQ(KeysInSlot(from, slot), 0);

  // Every acknowledged write is on the new owner.
  int missing = 0;
  std::vector<std::vector<std::string>> checks;
  for (const std::string& key : keys) checks.push_back({"GET", key});
  for (const auto& [set, member] : members) {
    checks.push_back({"SISMEMBER", set, member});
  }
  for (size_t from_i = 0; from_i < checks.size(); from_i += 500) {
    std::vector<std::vector<std::string>> batch(
        checks.begin() + from_i,
        checks.begin() + std::min(checks.size(), from_i + 500));
    auto replies = pool->Pipeline(batch);
    ASSERT_THAT(replies, IsOk());
    for (size_t i = 0; i < batch.size(); ++i) {
      const RedisReply& r = (*replies)[i];
      const bool present =
          batch[i][0] == "GET" ? r.str == batch[i][1] : r.integer == 1;
      if (!present) ++missing;
    }
  }
  EXPECT_EQ(missing, 0) << "of " << keys.size() << " acknowledged writes";
  // The new owner holds the acknowledged keys and the 4 sets, plus at most
  // one key per writer whose last attempt ran but was cut by the stop.
  const int64_t held = KeysInSlot(to, slot);
  EXPECT_GE(held, static_cast<int64_t>(keys.size()) + 4);
  EXPECT_LE(held, static_cast<int64_t>(keys.size()) + 8);
  RecordProperty("acknowledged_writes", static_cast<int>(keys.size()));
  RecordProperty("acknowledged_before_migration", before);
  RecordProperty("keys_migrated", *moved_keys + *rest);
  RecordProperty("moved", static_cast<int>(stats.moved));
  RecordProperty("ask", static_cast<int>(stats.ask));
  RecordProperty("try_again", static_cast<int>(stats.try_again));
  RecordProperty("caller_retries", retries.load());
  std::cout << "acknowledged=" << keys.size() << " before=" << before
            << " migrated=" << (*moved_keys + *rest) << " moved=" << stats.moved
            << " ask=" << stats.ask << " try_again=" << stats.try_again
            << " caller_retries=" << retries.load() << "\n";
}

}  // namespace
}  // namespace ttads::store
