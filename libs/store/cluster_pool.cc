#include "libs/store/cluster_pool.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/status_macros.h"
#include "libs/store/connection_pool.h"
#include "libs/store/redis_metrics.h"

namespace ttads::store {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kMinRefreshInterval{100};

bool IsTransientClusterError(const std::string& error) {
  return absl::StartsWith(error, "TRYAGAIN") ||
         absl::StartsWith(error, "CLUSTERDOWN");
}

std::string Upper(const std::string& name) {
  return absl::AsciiStrToUpper(name);
}

}  // namespace

// A run of commands that goes to one node as one piece: a single command,
// or a MULTI ... EXEC block.
struct ClusterPool::Unit {
  size_t begin = 0;
  size_t end = 0;  // exclusive
  std::optional<int> slot;
  std::optional<RedisEndpoint> ask;  // send ASKING first, to this node
  int redirects = 0;
  int tries = 0;
};

ClusterPool::ClusterPool(RedisOptions options,
                         std::shared_ptr<RedisDialer> dialer)
    : options_(std::move(options)), dialer_(std::move(dialer)) {}

absl::StatusOr<std::unique_ptr<ClusterPool>> ClusterPool::Connect(
    const RedisOptions& options) {
  if (options.cluster_nodes.empty()) {
    return absl::InvalidArgumentError("redis cluster: no seed nodes");
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("redis pool_size must be at least 1");
  }
  if (options.timeout.count() <= 0) {
    return absl::InvalidArgumentError("redis timeout must be positive");
  }
  TTADS_ASSIGN_OR_RETURN(std::shared_ptr<RedisDialer> dialer,
                         RedisDialer::Create(options));
  std::unique_ptr<ClusterPool> pool(new ClusterPool(options, dialer));
  TTADS_RETURN_IF_ERROR(pool->Refresh(/*force=*/true));
  TTADS_RETURN_IF_ERROR(pool->Command({"PING"}).status());
  return pool;
}

void ClusterPool::Count(std::atomic<int64_t>& counter, std::string_view kind) {
  ++counter;
  if (options_.metrics != nullptr) options_.metrics->CountError(kind);
}

ClusterPool::Stats ClusterPool::stats() const {
  return Stats{.moved = moved_.load(),
               .ask = ask_.load(),
               .try_again = try_again_.load(),
               .refreshes = refreshes_.load(),
               .exhausted = exhausted_.load()};
}

std::string ClusterPool::MasterOf(int slot) const {
  const RedisEndpoint* master = Map()->Master(slot);
  return master == nullptr ? "" : master->ToString();
}

std::shared_ptr<const SlotMap> ClusterPool::Map() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_;
}

void ClusterPool::Assign(int slot, const RedisEndpoint& master) {
  std::lock_guard<std::mutex> lock(mu_);
  auto updated = std::make_shared<SlotMap>(*map_);
  updated->Assign(slot, master);
  map_ = std::move(updated);
}

std::shared_ptr<RedisPool> ClusterPool::NodePool(const RedisEndpoint& node) {
  const std::string name = node.ToString();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(name);
  if (it != nodes_.end()) return it->second;
  std::shared_ptr<RedisPool> pool = NewConnectionPool(
      options_, [dialer = dialer_, node] { return dialer->OpenNode(node); });
  nodes_.emplace(name, pool);
  return pool;
}

absl::Status ClusterPool::Refresh(bool force) {
  std::unique_lock<std::mutex> refresh_lock(refresh_mu_, std::defer_lock);
  if (force) {
    refresh_lock.lock();
  } else if (!refresh_lock.try_lock()) {
    return absl::OkStatus();  // another caller is reading it right now
  }
  const Clock::time_point now = Clock::now();
  if (!force && now - last_refresh_ < kMinRefreshInterval) {
    stale_ = true;  // read it on a call after the interval
    return absl::OkStatus();
  }
  last_refresh_ = now;
  stale_ = false;
  // The masters we know answer for the live cluster; the seeds are the
  // fallback (at start, or when every known master moved).
  std::vector<RedisEndpoint> candidates;
  if (std::shared_ptr<const SlotMap> map = Map(); map != nullptr) {
    candidates = map->masters();
  }
  for (const RedisEndpoint& seed : options_.cluster_nodes) {
    if (std::none_of(candidates.begin(), candidates.end(),
                     [&](const RedisEndpoint& c) {
                       return c.host == seed.host && c.port == seed.port;
                     })) {
      candidates.push_back(seed);
    }
  }
  std::vector<std::string> errors;
  absl::StatusCode code = absl::StatusCode::kUnavailable;
  for (const RedisEndpoint& node : candidates) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> conn =
        dialer_->OpenNode(node);
    if (!conn.ok()) {
      if (conn.status().code() != absl::StatusCode::kUnavailable) {
        code = conn.status().code();  // AUTH or TLS refused
      }
      errors.push_back(std::string(conn.status().message()));
      continue;
    }
    absl::StatusOr<std::vector<RedisReply>> reply =
        (*conn)->Execute({{"CLUSTER", "SLOTS"}});
    if (!reply.ok()) {
      errors.push_back(std::string(reply.status().message()));
      continue;
    }
    const RedisReply& slots = reply->front();
    if (slots.is_error()) {
      if (absl::StrContains(slots.str, "cluster support disabled")) {
        code = absl::StatusCode::kFailedPrecondition;
      }
      errors.push_back(absl::StrCat(node.ToString(), ": ", slots.str));
      continue;
    }
    absl::StatusOr<SlotMap> map = ParseClusterSlots(slots, node);
    if (!map.ok()) {
      errors.push_back(
          absl::StrCat(node.ToString(), ": ", map.status().message()));
      continue;
    }
    if (map->covered() == 0) {
      errors.push_back(absl::StrCat(node.ToString(), ": no slot assigned"));
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    map_ = std::make_shared<const SlotMap>(*std::move(map));
    // Forget pools of nodes that are no longer masters (callers holding
    // one finish with it).
    for (auto it = nodes_.begin(); it != nodes_.end();) {
      const bool master = std::any_of(
          map_->masters().begin(), map_->masters().end(),
          [&](const RedisEndpoint& m) { return m.ToString() == it->first; });
      if (master) {
        ++it;
      } else {
        nodes_.erase(it++);
      }
    }
    ++refreshes_;
    return absl::OkStatus();
  }
  stale_ = true;
  return absl::Status(
      code, absl::StrCat("redis cluster: no node answered CLUSTER SLOTS: ",
                         absl::StrJoin(errors, "; ")));
}

absl::StatusOr<RedisReply> ClusterPool::Command(
    const std::vector<std::string>& args) {
  TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, Pipeline({args}));
  RedisReply& reply = replies.front();
  if (reply.is_error()) return ErrorReplyStatus(reply);
  return std::move(reply);
}

absl::StatusOr<std::vector<RedisReply>> ClusterPool::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  for (const std::vector<std::string>& args : commands) {
    if (args.empty()) return absl::InvalidArgumentError("empty redis command");
  }
  // Split into units: single commands and MULTI ... EXEC/DISCARD blocks.
  std::vector<Unit> units;
  for (size_t i = 0; i < commands.size();) {
    Unit unit{.begin = i};
    if (Upper(commands[i][0]) == "MULTI") {
      size_t j = i + 1;
      while (j < commands.size() && Upper(commands[j][0]) != "EXEC" &&
             Upper(commands[j][0]) != "DISCARD") {
        if (!unit.slot.has_value()) unit.slot = CommandSlot(commands[j]);
        ++j;
      }
      unit.end = std::min(j + 1, commands.size());
    } else {
      unit.slot = CommandSlot(commands[i]);
      unit.end = i + 1;
    }
    i = unit.end;
    units.push_back(std::move(unit));
  }

  if (stale_.load()) Refresh(/*force=*/false).IgnoreError();

  std::vector<RedisReply> results(commands.size());
  std::vector<Unit*> pending;
  for (Unit& unit : units) pending.push_back(&unit);
  while (!pending.empty()) {
    // Group the pending units by the node they go to, in first-use order.
    std::shared_ptr<const SlotMap> map = Map();
    std::vector<std::pair<RedisEndpoint, std::vector<Unit*>>> groups;
    for (Unit* unit : pending) {
      RedisEndpoint target;
      if (unit->ask.has_value()) {
        target = *unit->ask;
      } else if (unit->slot.has_value()) {
        const RedisEndpoint* master = map->Master(*unit->slot);
        if (master == nullptr) {
          Refresh(/*force=*/false).IgnoreError();
          map = Map();
          master = map->Master(*unit->slot);
        }
        if (master == nullptr) {
          Count(exhausted_, "redirects_exhausted");
          return absl::UnavailableError(absl::StrCat(
              "redis cluster: no master serves slot ", *unit->slot));
        }
        target = *master;
      } else {
        target = map->masters().front();
      }
      auto group = std::find_if(groups.begin(), groups.end(), [&](auto& g) {
        return g.first.host == target.host && g.first.port == target.port;
      });
      if (group == groups.end()) {
        groups.push_back({target, {}});
        group = groups.end() - 1;
      }
      group->second.push_back(unit);
    }

    std::vector<Unit*> again;
    bool refresh = false;
    int backoff_tries = 0;
    for (auto& [node, group_units] : groups) {
      std::vector<std::vector<std::string>> batch;
      for (const Unit* unit : group_units) {
        if (unit->ask.has_value()) batch.push_back({"ASKING"});
        batch.insert(batch.end(), commands.begin() + unit->begin,
                     commands.begin() + unit->end);
      }
      absl::StatusOr<std::vector<RedisReply>> replies =
          NodePool(node)->Pipeline(batch);
      if (!replies.ok()) {
        // The node may have failed over: read the map again for the next
        // caller. This call's commands may or may not have run.
        Refresh(/*force=*/false).IgnoreError();
        return replies.status();
      }
      size_t at = 0;
      for (Unit* unit : group_units) {
        std::optional<RedisEndpoint> asked = std::move(unit->ask);
        unit->ask.reset();
        if (asked.has_value()) ++at;  // ASKING's +OK
        const size_t size = unit->end - unit->begin;
        std::optional<Redirect> redirect;
        std::string transient;
        for (size_t k = 0; k < size; ++k) {
          const RedisReply& r = (*replies)[at + k];
          if (!r.is_error()) continue;
          if (std::optional<Redirect> parsed = ParseRedirect(r.str, node)) {
            redirect = parsed;
            transient = r.str;
            break;
          }
          if (IsTransientClusterError(r.str)) transient = r.str;
        }
        if (redirect.has_value()) {
          if (++unit->redirects > kMaxRedirects) {
            Count(exhausted_, "redirects_exhausted");
            return absl::UnavailableError(absl::StrCat(
                "redis cluster: too many redirects (", kMaxRedirects,
                ") for slot ", redirect->slot, "; last: ", transient));
          }
          if (redirect->kind == Redirect::Kind::kMoved) {
            Count(moved_, "moved");
            Assign(redirect->slot, redirect->target);
            refresh = true;
          } else {
            Count(ask_, "ask");
            unit->ask = redirect->target;
          }
          again.push_back(unit);
        } else if (!transient.empty()) {
          Count(try_again_, "tryagain");
          if (++unit->tries >= kMaxTryAgain) {
            Count(exhausted_, "redirects_exhausted");
            return absl::UnavailableError(
                absl::StrCat("redis cluster: still ", transient, " after ",
                             kMaxTryAgain, " attempts"));
          }
          backoff_tries = std::max(backoff_tries, unit->tries);
          // TRYAGAIN from the node we were ASKed to (a multi-key command
          // whose keys are split mid-migration): ask it again, not the
          // old owner, so waiting for the migration costs no redirects.
          unit->ask = std::move(asked);
          again.push_back(unit);
        } else {
          std::move(replies->begin() + at, replies->begin() + at + size,
                    results.begin() + unit->begin);
        }
        at += size;
      }
    }
    if (refresh) Refresh(/*force=*/false).IgnoreError();
    if (backoff_tries > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::min(100, 10 << std::min(backoff_tries - 1, 4))));
    }
    // Keep the callers' order among the units sent again.
    std::sort(again.begin(), again.end(),
              [](const Unit* a, const Unit* b) { return a->begin < b->begin; });
    pending = std::move(again);
  }
  return results;
}

}  // namespace ttads::store
