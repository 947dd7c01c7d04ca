#include "libs/store/cluster_slots.h"

#include <charconv>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/store/key_schema.h"

namespace ttads::store {
namespace {

bool ParsePort(std::string_view text, int& port) {
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 1 &&
         port <= 65535;
}

bool ParseSlot(std::string_view text, int& slot) {
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), slot);
  return ec == std::errc() && end == text.data() + text.size() && slot >= 0 &&
         slot < kClusterSlots;
}

// Parses a numkeys argument; false when it is not a non-negative integer.
bool ParseCount(const std::string& text, size_t& count) {
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), count);
  return ec == std::errc() && end == text.data() + text.size();
}

// The index of the first key of `args` (upper-cased name `name`), or 0
// when the command has no key.
size_t FirstKeyIndex(const std::string& name,
                     const std::vector<std::string>& args) {
  static const absl::flat_hash_set<std::string> kKeyless = {
      "ACL",        "ASKING",   "AUTH",        "BGREWRITEAOF", "BGSAVE",
      "CLIENT",     "CLUSTER",  "COMMAND",     "CONFIG",       "DBSIZE",
      "DEBUG",      "DISCARD",  "ECHO",        "EXEC",         "FLUSHALL",
      "FLUSHDB",    "FUNCTION", "HELLO",       "INFO",         "KEYS",
      "LASTSAVE",   "LATENCY",  "MONITOR",     "MULTI",        "PING",
      "PSUBSCRIBE", "PUBLISH",  "PUBSUB",      "PUNSUBSCRIBE", "QUIT",
      "RANDOMKEY",  "READONLY", "READWRITE",   "RESET",        "ROLE",
      "SAVE",       "SCAN",     "SCRIPT",      "SELECT",       "SHUTDOWN",
      "SLOWLOG",    "SPUBLISH", "SSUBSCRIBE",  "SUBSCRIBE",    "SUNSUBSCRIBE",
      "SWAPDB",     "TIME",     "UNSUBSCRIBE", "UNWATCH",      "WAIT",
      "WAITAOF",    "MIGRATE"};
  if (kKeyless.contains(name)) return 0;
  if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" ||
      name == "EVALSHA_RO" || name == "FCALL" || name == "FCALL_RO") {
    size_t numkeys = 0;
    if (args.size() < 4 || !ParseCount(args[2], numkeys) || numkeys == 0) {
      return 0;
    }
    return 3;
  }
  if (name == "ZUNION" || name == "ZINTER" || name == "ZDIFF" ||
      name == "SINTERCARD" || name == "LMPOP" || name == "ZMPOP") {
    size_t numkeys = 0;
    if (args.size() < 3 || !ParseCount(args[1], numkeys) || numkeys == 0) {
      return 0;
    }
    return 2;
  }
  if (name == "BLMPOP" || name == "BZMPOP") {
    size_t numkeys = 0;
    if (args.size() < 4 || !ParseCount(args[2], numkeys) || numkeys == 0) {
      return 0;
    }
    return 3;
  }
  if (name == "XREAD" || name == "XREADGROUP") {
    for (size_t i = 1; i + 1 < args.size(); ++i) {
      if (absl::AsciiStrToUpper(args[i]) == "STREAMS") return i + 1;
    }
    return 0;
  }
  if (name == "XGROUP" || name == "XINFO" || name == "OBJECT" ||
      name == "MEMORY") {
    return args.size() >= 3 ? 2 : 0;
  }
  return args.size() >= 2 ? 1 : 0;
}

}  // namespace

std::array<int16_t, kClusterSlots> SlotMap::MakeEmpty() {
  std::array<int16_t, kClusterSlots> owner;
  owner.fill(-1);
  return owner;
}

const RedisEndpoint* SlotMap::Master(int slot) const {
  if (slot < 0 || slot >= kClusterSlots || owner_[slot] < 0) return nullptr;
  return &masters_[owner_[slot]];
}

void SlotMap::Assign(int slot, const RedisEndpoint& master) {
  if (slot < 0 || slot >= kClusterSlots) return;
  for (size_t i = 0; i < masters_.size(); ++i) {
    if (masters_[i].host == master.host && masters_[i].port == master.port) {
      owner_[slot] = static_cast<int16_t>(i);
      return;
    }
  }
  masters_.push_back(master);
  owner_[slot] = static_cast<int16_t>(masters_.size() - 1);
}

int SlotMap::covered() const {
  int n = 0;
  for (int16_t o : owner_) n += o >= 0 ? 1 : 0;
  return n;
}

absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply,
                                          const RedisEndpoint& asked) {
  auto bad = [](absl::string_view why) {
    return absl::InternalError(
        absl::StrCat("unexpected CLUSTER SLOTS reply: ", why));
  };
  if (reply.is_error()) return bad(reply.str);
  if (reply.type != RedisReply::Type::kArray) return bad("not an array");
  SlotMap map;
  for (const RedisReply& range : reply.elements) {
    if (range.type != RedisReply::Type::kArray || range.elements.size() < 3 ||
        range.elements[0].type != RedisReply::Type::kInteger ||
        range.elements[1].type != RedisReply::Type::kInteger ||
        range.elements[2].type != RedisReply::Type::kArray ||
        range.elements[2].elements.size() < 2) {
      return bad("a range is not [start, end, [host, port, ...], ...]");
    }
    const int64_t start = range.elements[0].integer;
    const int64_t end = range.elements[1].integer;
    if (start < 0 || end >= kClusterSlots || start > end) {
      return bad(absl::StrCat("slot range ", start, "-", end));
    }
    const RedisReply& host = range.elements[2].elements[0];
    const RedisReply& port = range.elements[2].elements[1];
    if (port.type != RedisReply::Type::kInteger || port.integer < 1 ||
        port.integer > 65535) {
      return bad("a node's port is not 1..65535");
    }
    RedisEndpoint master{.host = host.str,
                         .port = static_cast<int>(port.integer)};
    if (host.is_nil() || master.host.empty()) master.host = asked.host;
    if (master.host == "?") continue;  // the node's endpoint is unknown
    for (int64_t slot = start; slot <= end; ++slot) {
      map.Assign(static_cast<int>(slot), master);
    }
  }
  return map;
}

std::optional<Redirect> ParseRedirect(std::string_view error,
                                      const RedisEndpoint& from) {
  Redirect redirect;
  if (error.rfind("MOVED ", 0) == 0) {
    redirect.kind = Redirect::Kind::kMoved;
    error.remove_prefix(6);
  } else if (error.rfind("ASK ", 0) == 0) {
    redirect.kind = Redirect::Kind::kAsk;
    error.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const size_t space = error.find(' ');
  if (space == std::string_view::npos ||
      !ParseSlot(error.substr(0, space), redirect.slot)) {
    return std::nullopt;
  }
  std::string_view address = error.substr(space + 1);
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos ||
      !ParsePort(address.substr(colon + 1), redirect.target.port)) {
    return std::nullopt;
  }
  std::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  redirect.target.host = host.empty() ? from.host : std::string(host);
  return redirect;
}

std::optional<int> CommandSlot(const std::vector<std::string>& args) {
  if (args.empty()) return std::nullopt;
  const size_t first = FirstKeyIndex(absl::AsciiStrToUpper(args[0]), args);
  if (first == 0 || first >= args.size()) return std::nullopt;
  return HashSlot(args[first]);
}

}  // namespace ttads::store
