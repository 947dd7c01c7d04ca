#ifndef TTADS_LIBS_STORE_CLUSTER_SLOTS_H_
#define TTADS_LIBS_STORE_CLUSTER_SLOTS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"

// The pieces of the Redis Cluster client protocol that are pure functions of
// the bytes Redis sends (docs/redis.md, "Cluster"): the slot map from
// CLUSTER SLOTS, MOVED/ASK redirect errors, and which slot a command goes
// to. ClusterPool (cluster_pool.h) does the I/O around them.
namespace ttads::store {

inline constexpr int kClusterSlots = 16384;

// Which master serves each of the 16384 hash slots.
class SlotMap {
 public:
  // The master of `slot`, or nullptr when no master serves it (the
  // cluster is incomplete, or the slot is being reassigned).
  const RedisEndpoint* Master(int slot) const;
  // Every distinct master, in the order CLUSTER SLOTS first named them.
  const std::vector<RedisEndpoint>& masters() const { return masters_; }
  // Points `slot` at `master` (after a MOVED), adding it when new.
  void Assign(int slot, const RedisEndpoint& master);
  // Slots that have a master.
  int covered() const;

 private:
  std::vector<RedisEndpoint> masters_;
  std::array<int16_t, kClusterSlots> owner_ = MakeEmpty();
  static std::array<int16_t, kClusterSlots> MakeEmpty();
};

// Parses a CLUSTER SLOTS reply: an array of [start, end, master, replica...]
// where each node is [host, port, id, ...]. An empty host means "the node
// you asked" (`asked`). Ranges naming an unknown endpoint ("?") are left
// without a master. INTERNAL for any other shape (ranges outside
// 0..16383, a port outside 1..65535).
absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply,
                                          const RedisEndpoint& asked);

// A MOVED or ASK error reply: "MOVED <slot> <host>:<port>" (the slot now
// lives there for good) or "ASK <slot> <host>:<port>" (this one command
// goes there, after ASKING, while the slot migrates). An empty host means
// the host of the node that answered (`from`). nullopt for any other
// text.
struct Redirect {
  enum class Kind { kMoved, kAsk };
  Kind kind = Kind::kMoved;
  int slot = 0;
  RedisEndpoint target;
};
std::optional<Redirect> ParseRedirect(std::string_view error,
                                      const RedisEndpoint& from);

// The hash slot a command's keys live in: the slot of its first key, found
// by the command's name (EVAL/EVALSHA/FCALL: after numkeys; XREAD and
// XREADGROUP: after STREAMS; XGROUP/XINFO/OBJECT/MEMORY: after the
// subcommand; ZUNION/ZINTER/ZDIFF/SINTERCARD/LMPOP/ZMPOP: after numkeys;
// BLMPOP/BZMPOP: after timeout and numkeys; most others: the first
// argument). nullopt for a command without keys (PING, PUBLISH, INFO,
// SCRIPT, WAIT, MULTI/EXEC, EVAL with 0 keys, ...), which any node can
// run. Case-insensitive on the name. A command over several slots is the
// caller's bug; Redis refuses it with CROSSSLOT.
std::optional<int> CommandSlot(const std::vector<std::string>& args);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_CLUSTER_SLOTS_H_
