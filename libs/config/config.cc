#include "libs/config/config.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "libs/config/known_keys.h"
#include "libs/config/suggest.h"

extern char** environ;

namespace ttads::config {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<bool> ParseBool(std::string_view value) {
  const std::string v = Lower(value);
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return std::nullopt;
}

std::optional<int64_t> ParseInt(std::string_view value) {
  int64_t out = 0;
  auto [end, ec] =
      std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() ||
      end != value.data() + value.size()) {
    return std::nullopt;
  }
  return out;
}

bool ValidPort(std::string_view port) {
  std::optional<int64_t> p = ParseInt(port);
  return p.has_value() && *p >= 0 && *p <= 65535 && port.size() <= 5;
}

bool ValidHostPort(std::string_view value) {
  if (!value.empty() && value.front() == '[') {
    size_t close = value.find("]:");
    return close != std::string_view::npos && close > 1 &&
           ValidPort(value.substr(close + 2));
  }
  size_t colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = value.substr(0, colon);
  if (host.find_first_of(": /") != std::string_view::npos) return false;
  return ValidPort(value.substr(colon + 1));
}

// Every element of a comma-separated list is valid by `valid`.
template <typename Valid>
bool ValidList(std::string_view list, Valid valid) {
  while (true) {
    size_t comma = list.find(',');
    if (!valid(list.substr(0, comma))) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

bool ConsumePrefix(std::string_view* value, std::string_view prefix) {
  if (value->substr(0, prefix.size()) != prefix) return false;
  value->remove_prefix(prefix.size());
  return true;
}

bool ValidGrpcTarget(std::string_view value) {
  if (ConsumePrefix(&value, "dns:")) {
    // dns:host:port, dns:///host:port or dns://resolver/host:port.
    if (ConsumePrefix(&value, "//")) {
      size_t slash = value.find('/');
      if (slash == std::string_view::npos) return false;
      value.remove_prefix(slash + 1);
    }
    return ValidHostPort(value);
  }
  if (ConsumePrefix(&value, "ipv4:")) {
    return ValidList(value, [](std::string_view item) {
      return !item.empty() && item.front() != '[' && ValidHostPort(item);
    });
  }
  if (ConsumePrefix(&value, "ipv6:")) {
    return ValidList(value, [](std::string_view item) {
      return !item.empty() && item.front() == '[' && ValidHostPort(item);
    });
  }
  if (ConsumePrefix(&value, "unix:")) {
    return !value.empty() && value.find(',') == std::string_view::npos;
  }
  return ValidHostPort(value);
}

bool ValidUrl(std::string_view value) {
  std::string_view rest;
  if (value.rfind("http://", 0) == 0) {
    rest = value.substr(7);
  } else if (value.rfind("https://", 0) == 0) {
    rest = value.substr(8);
  } else {
    return false;
  }
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  return !host.empty() && host.find(' ') == std::string_view::npos &&
         value.find_first_of(" \t\r\n") == std::string_view::npos;
}

// Error text for a bad value: quotes the value unless the key is secret.
std::string Bad(const Key& key, std::string_view value,
                const std::string& must) {
  std::string out = key.name() + ": " + must;
  if (key.secret()) return out + " (value hidden)";
  return out + ", got \"" + std::string(value) + "\"";
}

std::string SourceName(Config::Source s) {
  switch (s) {
    case Config::Source::kDefault:
      return "default";
    case Config::Source::kFile:
      return "file";
    case Config::Source::kEnvironment:
      return "environment";
  }
  return "";
}

std::vector<std::string> DeclaredNames(const Schema& schema) {
  std::vector<std::string> out;
  for (const Key& k : schema.keys()) out.push_back(k.name());
  return out;
}

// "; did you mean X?" for the candidate closest to a misspelt `name`, or "".
std::string DidYouMean(std::string_view name,
                       const std::vector<std::string>& candidates) {
  const std::string closest = ClosestName(name, candidates);
  if (closest.empty()) return "";
  return "; did you mean " + closest + "?";
}

[[noreturn]] void Die(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "ttads::config: %.*s: %.*s\n",
               static_cast<int>(name.size()), name.data(),
               static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

Key Key::String(std::string name) {
  return Key(std::move(name), Type::kString);
}
Key Key::Int(std::string name, int64_t min, int64_t max) {
  Key k(std::move(name), Type::kInt);
  k.min_ = min;
  k.max_ = max;
  return k;
}
Key Key::Bool(std::string name) { return Key(std::move(name), Type::kBool); }
Key Key::Enum(std::string name, std::vector<std::string> allowed) {
  Key k(std::move(name), Type::kEnum);
  k.allowed_ = std::move(allowed);
  return k;
}
Key Key::HostPort(std::string name) {
  return Key(std::move(name), Type::kHostPort);
}
Key Key::GrpcTarget(std::string name) {
  return Key(std::move(name), Type::kGrpcTarget);
}
Key Key::Url(std::string name) { return Key(std::move(name), Type::kUrl); }
Key Key::Base64Key32(std::string name) {
  Key k(std::move(name), Type::kBase64Key32);
  k.secret_ = true;
  return k;
}

Key& Key::Default(std::string value) {
  default_ = std::move(value);
  return *this;
}
Key& Key::Required() {
  required_ = true;
  return *this;
}
Key& Key::Secret() {
  secret_ = true;
  return *this;
}
Key& Key::Help(std::string text) {
  help_ = std::move(text);
  return *this;
}

std::optional<std::string> Key::Check(std::string_view value) const {
  if (value.empty()) {
    if (required_) return "is required";
    return std::nullopt;
  }
  switch (type_) {
    case Type::kString:
      return std::nullopt;
    case Type::kInt: {
      std::optional<int64_t> v = ParseInt(value);
      if (v && *v >= min_ && *v <= max_) return std::nullopt;
      return "must be an integer in [" + std::to_string(min_) + ", " +
             std::to_string(max_) + "]";
    }
    case Type::kBool:
      if (ParseBool(value)) return std::nullopt;
      return "must be true or false";
    case Type::kEnum:
      for (const std::string& a : allowed_) {
        if (a == value) return std::nullopt;
      }
      return "must be one of " + absl::StrJoin(allowed_, ", ");
    case Type::kHostPort:
      if (ValidHostPort(value)) return std::nullopt;
      return "must be host:port";
    case Type::kGrpcTarget:
      if (ValidGrpcTarget(value)) return std::nullopt;
      return "must be host:port or a gRPC target (dns:///host:port, "
             "ipv4:addr:port[,addr:port], ipv6:[addr]:port, unix:/path)";
    case Type::kUrl:
      if (ValidUrl(value)) return std::nullopt;
      return "must be an http:// or https:// URL";
    case Type::kBase64Key32: {
      std::string raw;
      absl::string_view v(value.data(), value.size());
      if ((absl::Base64Unescape(v, &raw) ||
           absl::WebSafeBase64Unescape(v, &raw)) &&
          raw.size() == 32) {
        return std::nullopt;
      }
      return "must be base64 of exactly 32 bytes";
    }
  }
  return std::nullopt;
}

Schema& Schema::Add(Key key) {
  for (Key& existing : keys_) {
    if (existing.name() == key.name()) {
      existing = std::move(key);
      return *this;
    }
  }
  keys_.push_back(std::move(key));
  return *this;
}

const Key* Schema::Find(std::string_view name) const {
  for (const Key& k : keys_) {
    if (k.name() == name) return &k;
  }
  return nullptr;
}

const Config::Entry& Config::Lookup(std::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.key.name() == name) return e;
  }
  Die("not declared in the schema", name);
}

const std::string& Config::GetString(std::string_view name) const {
  return Lookup(name).value;
}

int64_t Config::GetInt(std::string_view name) const {
  const Entry& e = Lookup(name);
  if (e.key.type() != Key::Type::kInt) Die("not an integer key", name);
  return e.value.empty() ? 0 : *ParseInt(e.value);
}

bool Config::GetBool(std::string_view name) const {
  const Entry& e = Lookup(name);
  if (e.key.type() != Key::Type::kBool) Die("not a bool key", name);
  return e.value.empty() ? false : *ParseBool(e.value);
}

bool Config::IsSet(std::string_view name) const {
  return !Lookup(name).value.empty();
}

bool Config::Declares(std::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.key.name() == name) return true;
  }
  return false;
}

Config::Source Config::source(std::string_view name) const {
  return Lookup(name).source;
}

std::string Config::Describe() const {
  std::string out;
  for (const Entry& e : entries_) {
    out += e.key.name() + "=";
    if (e.key.secret()) {
      out += e.value.empty() ? "" : "<redacted>";
    } else {
      out += e.value;
    }
    out += "  # " + SourceName(e.source) + "\n";
  }
  return out;
}

std::vector<std::string> Config::SecretValues() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    if (e.key.secret() && !e.value.empty()) out.push_back(e.value);
  }
  return out;
}

absl::StatusOr<Config> Load(
    const Schema& schema, std::string_view file_path,
    const std::map<std::string, std::string>& environment) {
  Config config;
  for (const Key& key : schema.keys()) {
    config.entries_.push_back(
        {key, key.default_value(), Config::Source::kDefault});
  }
  auto entry = [&](std::string_view name) -> Config::Entry* {
    for (Config::Entry& e : config.entries_) {
      if (e.key.name() == name) return &e;
    }
    return nullptr;
  };

  std::vector<std::string> errors;
  if (!file_path.empty()) {
    const std::string path(file_path);
    std::ifstream in(path);
    if (!in) {
      return absl::InvalidArgumentError("config file " + path +
                                        ": cannot be opened");
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      const std::string where = path + ":" + std::to_string(number) + ": ";
      std::string_view text = Trim(line);
      if (text.empty() || text.front() == '#') continue;
      if (text.rfind("export ", 0) == 0) text = Trim(text.substr(7));
      size_t eq = text.find('=');
      if (eq == std::string_view::npos) {
        errors.push_back(where + "expected KEY=value");
        continue;
      }
      std::string_view name = Trim(text.substr(0, eq));
      std::string_view value = Trim(text.substr(eq + 1));
      if (value.size() >= 2 &&
          (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      Config::Entry* e = entry(name);
      if (e == nullptr) {
        errors.push_back(where + std::string(name) + ": unknown key" +
                         DidYouMean(name, DeclaredNames(schema)));
        continue;
      }
      if (std::optional<std::string> bad = e->key.Check(value);
          bad && !value.empty()) {
        errors.push_back(where + Bad(e->key, value, *bad));
        continue;
      }
      e->value = std::string(value);
      e->source = Config::Source::kFile;
    }
  }

  for (Config::Entry& e : config.entries_) {
    auto it = environment.find(e.key.name());
    if (it == environment.end()) continue;
    e.value = it->second;
    e.source = Config::Source::kEnvironment;
  }
  for (const auto& [name, value] : environment) {
    if (name.rfind("TTADS_", 0) != 0 || schema.Find(name) != nullptr ||
        IsKnownKey(name)) {
      continue;
    }
    std::vector<std::string> candidates = DeclaredNames(schema);
    candidates.insert(candidates.end(), KnownKeys().begin(), KnownKeys().end());
    config.warnings_.push_back(name +
                               ": set in the environment but no ttads binary "
                               "reads it" +
                               DidYouMean(name, candidates));
  }

  for (const Config::Entry& e : config.entries_) {
    if (std::optional<std::string> bad = e.key.Check(e.value)) {
      if (e.value.empty()) {
        errors.push_back(e.key.name() + ": " + *bad);
      } else if (e.source != Config::Source::kFile) {
        errors.push_back(Bad(e.key, e.value, *bad));
      }
    }
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  }
  return config;
}

absl::StatusOr<Config> Load(const Schema& schema, std::string_view file_path) {
  std::map<std::string, std::string> environment;
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    std::string_view entry(*env);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    environment.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return Load(schema, file_path, environment);
}

std::string ResolveConfigPath(std::string_view flag_value) {
  if (!flag_value.empty()) return std::string(flag_value);
  const char* env = std::getenv("TTADS_CONFIG");
  return env != nullptr ? env : "";
}

}  // namespace ttads::config
