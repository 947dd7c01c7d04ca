#ifndef TTADS_LIBS_CONFIG_CONFIG_H_
#define TTADS_LIBS_CONFIG_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

// The configuration loader every ttads binary uses (docs/configuration.md).
//
// A binary declares a Schema: each key's type, default, whether it is
// required and whether it is a secret. Load() then merges, later wins:
//   1. the schema defaults;
//   2. an env-file (`KEY=value` lines, `#` comments, blank lines; an
//      optional `export ` prefix and matching surrounding quotes are
//      stripped) — a key the schema does not declare is an error, which
//      names the closest declared key when the key looks misspelt;
//   3. the process environment, for keys the schema declares. Other
//      TTADS_* variables are ignored when some ttads binary reads them
//      (config::KnownKeys(): a shared environment carries every binary's
//      keys); one that no ttads binary reads gets a warning in
//      Config::warnings() naming it and the closest key this binary
//      declares or any binary reads ("did you mean ...?");
// validates every value, and returns a Config or INVALID_ARGUMENT whose
// message names each bad key (and `path:line` for file errors), e.g.
//   TTADS_REDIS_POOL_SIZE: must be an integer in [1, 256], got "x"
// Secret values never appear in messages or in Describe().
namespace ttads::config {

class Key {
 public:
  enum class Type {
    kString,
    kInt,
    kBool,
    kEnum,
    kHostPort,
    kGrpcTarget,
    kUrl,
    kBase64Key32
  };

  // Any text.
  static Key String(std::string name);
  // A decimal integer within [min, max].
  static Key Int(std::string name, int64_t min, int64_t max);
  // true/false, 1/0, yes/no, on/off (case-insensitive).
  static Key Bool(std::string name);
  // One of `allowed` (exact match).
  static Key Enum(std::string name, std::vector<std::string> allowed);
  // "host:port" or "[v6]:port", port 0-65535 (0: pick an ephemeral port).
  static Key HostPort(std::string name);
  // Where a gRPC client dials: "host:port" (resolved by DNS; every address
  // it resolves to is used in turn), or a gRPC target URI —
  // "dns:///host:port", "ipv4:a.b.c.d:port[,a.b.c.d:port...]",
  // "ipv6:[v6]:port[,...]" or "unix:/path". A Kubernetes headless Service
  // name makes the client balance over every ready pod.
  static Key GrpcTarget(std::string name);
  // An absolute http:// or https:// URL with a host.
  static Key Url(std::string name);
  // Base64 of exactly 32 bytes (an AES-256 key). Always a secret.
  static Key Base64Key32(std::string name);

  Key& Default(std::string value);
  // Must be non-empty after merging all sources.
  Key& Required();
  // Masked in Describe() and never quoted in errors.
  Key& Secret();
  Key& Help(std::string text);

  const std::string& name() const { return name_; }
  Type type() const { return type_; }
  const std::string& default_value() const { return default_; }
  bool required() const { return required_; }
  bool secret() const { return secret_; }
  const std::string& help() const { return help_; }
  // Bounds of an integer key, allowed values of an enum key.
  int64_t min() const { return min_; }
  int64_t max() const { return max_; }
  const std::vector<std::string>& allowed() const { return allowed_; }

  // OK, or a description of what the value must be (without the key name).
  // An empty value is valid for a non-required key.
  std::optional<std::string> Check(std::string_view value) const;

 private:
  Key(std::string name, Type type) : name_(std::move(name)), type_(type) {}

  std::string name_;
  Type type_;
  std::string default_;
  bool required_ = false;
  bool secret_ = false;
  std::string help_;
  int64_t min_ = 0;
  int64_t max_ = 0;
  std::vector<std::string> allowed_;
};

class Schema {
 public:
  // Adds or replaces (by name) a key; returns *this for chaining.
  Schema& Add(Key key);
  const Key* Find(std::string_view name) const;
  const std::vector<Key>& keys() const { return keys_; }

 private:
  std::vector<Key> keys_;
};

// Validated, merged configuration. Getters take a key the schema declares;
// asking for an undeclared key, or a typed getter on a key of another type,
// is a programming error and aborts with a message naming the key.
class Config {
 public:
  enum class Source { kDefault, kFile, kEnvironment };

  const std::string& GetString(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  bool IsSet(std::string_view name) const;     // non-empty value
  bool Declares(std::string_view name) const;  // the schema has the key
  Source source(std::string_view name) const;

  // The effective configuration, one `KEY=value  # source` line per key in
  // schema order, secrets shown as `<redacted>` (or empty when unset).
  std::string Describe() const;

  // The non-empty values of secret keys, e.g. to register them with the
  // logger's scrubber.
  std::vector<std::string> SecretValues() const;

  // What Load() found suspicious but not wrong, one sentence each (e.g. an
  // environment variable no ttads binary reads). Binaries log them.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  friend absl::StatusOr<Config> Load(const Schema&, std::string_view,
                                     const std::map<std::string, std::string>&);
  struct Entry {
    Key key;
    std::string value;
    Source source;
  };
  const Entry& Lookup(std::string_view name) const;

  std::vector<Entry> entries_;  // schema order
  std::vector<std::string> warnings_;
};

// Loads with an explicit environment (tests). `file_path` empty: no file.
absl::StatusOr<Config> Load(
    const Schema& schema, std::string_view file_path,
    const std::map<std::string, std::string>& environment);

// Loads with the process environment.
absl::StatusOr<Config> Load(const Schema& schema, std::string_view file_path);

// The config file a binary should read: `flag_value` when non-empty,
// otherwise $TTADS_CONFIG, otherwise "" (no file).
std::string ResolveConfigPath(std::string_view flag_value);

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_CONFIG_H_
