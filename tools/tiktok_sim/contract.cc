#include "tools/tiktok_sim/contract.h"

#include <cstdlib>
#include <iostream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "tools/tiktok_sim/api.h"

namespace ttads::tiktok_sim {

// Generated at build time from tools/tiktok_sim/contract/*.json.
const std::vector<std::pair<std::string, std::string>>& EmbeddedContractFiles();

namespace {

using Violation = std::optional<ContractViolation>;

Violation Fail(const std::string& field, const std::string& reason) {
  return ContractViolation{kParamError, field,
                           field.empty() ? reason : field + ": " + reason};
}

bool Present(const Json& obj, const std::string& key) {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

std::string Join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : absl::StrCat(prefix, ".", key);
}

// Renders a value for messages: strings bare, the rest as JSON.
std::string Show(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Equality that tolerates string-encoded scalars ("true" == true).
bool SameValue(const Json& value, const Json& want) {
  if (value == want) return true;
  if (value.is_string() && !want.is_string()) {
    return value.get<std::string>() == want.dump();
  }
  return false;
}

struct Scope {
  const Json& obj;   // The object the rule sits on.
  const Json& root;  // The request's top level.
  Encoding encoding;
};

const Json* Lookup(const Scope& s, const std::string& key,
                   std::string* name_out, Json* scratch) {
  if (key == "$encoding") {
    *scratch = EncodingName(s.encoding);
    *name_out = "encoding";
    return scratch;
  }
  const Json& where = key.rfind("$.", 0) == 0 ? s.root : s.obj;
  std::string k = key.rfind("$.", 0) == 0 ? key.substr(2) : key;
  *name_out = k;
  auto it = where.find(k);
  if (it == where.end() || it->is_null()) return nullptr;
  return &*it;
}

// Whether every condition of `cond` holds; `*text` describes it.
bool Matches(const Scope& s, const Json& cond, std::string* text) {
  std::vector<std::string> parts;
  for (const auto& [key, want] : cond.items()) {
    std::string name;
    Json scratch;
    const Json* v = Lookup(s, key, &name, &scratch);
    if (want.is_object() && want.contains("contains")) {
      bool has = false;
      if (v != nullptr && v->is_array()) {
        for (const auto& item : *v) has |= item == want["contains"];
      }
      if (!has) return false;
      parts.push_back(absl::StrCat(name, " contains ", Show(want["contains"])));
    } else if (want.is_object() && want.contains("not_in")) {
      if (v != nullptr) {
        for (const auto& w : want["not_in"]) {
          if (SameValue(*v, w)) return false;
        }
      }
      parts.push_back(absl::StrCat(name, " is not ", Show(want["not_in"])));
    } else if (want.is_object() && want.contains("present")) {
      bool present = v != nullptr;
      if (present != want["present"].get<bool>()) return false;
      parts.push_back(present ? name + " is set" : name + " is not set");
    } else if (want.is_array()) {
      if (v == nullptr) return false;
      bool any = false;
      for (const auto& w : want) any |= SameValue(*v, w);
      if (!any) return false;
      parts.push_back(absl::StrCat(name, " is ", Show(*v)));
    } else {
      if (v == nullptr || !SameValue(*v, want)) return false;
      parts.push_back(absl::StrCat(name, " is ", Show(want)));
    }
  }
  *text = parts.empty() ? "always" : absl::StrJoin(parts, " and ");
  return true;
}

Violation CheckObject(const Json& spec, const Json& obj,
                      const std::string& prefix, const Json& root,
                      Encoding encoding, bool from_string);

// Turns a string-encoded value into the JSON type `type` names; nullopt
// when it does not parse as one.
std::optional<Json> Decode(const std::string& type, const std::string& s) {
  if (type == "integer") {
    long long v;
    if (absl::SimpleAtoi(s, &v)) return Json(v);
    return std::nullopt;
  }
  if (type == "number") {
    double v;
    if (absl::SimpleAtod(s, &v)) return Json(v);
    return std::nullopt;
  }
  if (type == "boolean") {
    if (s == "true") return Json(true);
    if (s == "false") return Json(false);
    return std::nullopt;
  }
  if (type == "array" || type == "object") {
    Json v = Json::parse(s, nullptr, false);
    if (v.is_discarded()) return std::nullopt;
    return v;
  }
  return Json(s);
}

bool HasType(const std::string& type, const Json& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  return true;  // "any"
}

Violation CheckValue(const Json& spec, const Json& raw, const std::string& path,
                     const Json& root, Encoding encoding, bool from_string) {
  std::string type = spec.value("type", "any");
  Json value = raw;
  if (from_string && raw.is_string() && type != "string" && type != "any") {
    auto decoded = Decode(type, raw.get<std::string>());
    if (!decoded) {
      return Fail(
          path,
          absl::StrCat("must be ", type == "array" ? "a JSON-encoded " : "",
                       type == "object" ? "a JSON-encoded " : "", type,
                       " (got \"", raw.get<std::string>(), "\")"));
    }
    value = *decoded;
  }
  if (!HasType(type, value)) {
    return Fail(path, absl::StrCat("must be of type ", type, ", got ",
                                   value.type_name(), " ", value.dump()));
  }
  if (spec.contains("enum") && value.is_string()) {
    bool known = false;
    for (const auto& e : spec["enum"]) known |= e == value;
    if (!known) {
      std::vector<std::string> names;
      for (const auto& e : spec["enum"]) names.push_back(Show(e));
      return Fail(path,
                  absl::StrCat("unknown enum value \"", Show(value),
                               "\"; allowed: ", absl::StrJoin(names, ", ")));
    }
  }
  if (value.is_number()) {
    if (spec.contains("min") &&
        value.get<double>() < spec["min"].get<double>()) {
      return Fail(path, absl::StrCat("must be at least ", spec["min"].dump()));
    }
    if (spec.contains("max") &&
        value.get<double>() > spec["max"].get<double>()) {
      return Fail(path, absl::StrCat("must be at most ", spec["max"].dump()));
    }
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    size_t len = spec.value("length", "chars") == "tiktok" ? TikTokTextLength(s)
                                                           : CodePointCount(s);
    if (spec.contains("min_len") && len < spec["min_len"].get<size_t>()) {
      return Fail(path, absl::StrCat("at least ", spec["min_len"].get<size_t>(),
                                     " characters"));
    }
    if (spec.contains("max_len") && len > spec["max_len"].get<size_t>()) {
      return Fail(path, absl::StrCat("at most ", spec["max_len"].get<size_t>(),
                                     " characters (got ", len, ")"));
    }
  }
  if (value.is_array()) {
    if (spec.contains("min_items") &&
        value.size() < spec["min_items"].get<size_t>()) {
      return Fail(path,
                  absl::StrCat("at least ", spec["min_items"].get<size_t>(),
                               " item(s)"));
    }
    if (spec.contains("max_items") &&
        value.size() > spec["max_items"].get<size_t>()) {
      return Fail(path,
                  absl::StrCat("at most ", spec["max_items"].get<size_t>(),
                               " items (got ", value.size(), ")"));
    }
    if (spec.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (auto v = CheckValue(spec["items"], value[i],
                                absl::StrCat(path, "[", i, "]"), root, encoding,
                                false)) {
          return v;
        }
      }
    }
    if (spec.contains("max_total_len")) {
      const Json& t = spec["max_total_len"];
      std::string member = t["field"].get<std::string>();
      size_t total = 0;
      for (const auto& item : value) {
        if (item.is_object() && item.contains(member) &&
            item[member].is_string()) {
          total += CodePointCount(item[member].get<std::string>());
        }
      }
      if (total > t["max"].get<size_t>()) {
        return Fail(
            path, absl::StrCat("the ", member, " values together are at most ",
                               t["max"].get<size_t>(), " characters (got ",
                               total, ")"));
      }
    }
  }
  if (value.is_object() &&
      (spec.contains("fields") || spec.contains("rules"))) {
    return CheckObject(spec, value, path, root, encoding, false);
  }
  return std::nullopt;
}

Violation ApplyEffects(const Json& rule, const Scope& scope,
                       const std::string& prefix, const std::string& why);

Violation ApplyRule(const Json& rule, const Scope& scope,
                    const std::string& prefix) {
  std::string when;
  if (!Matches(scope, rule.value("if", Json::object()), &when)) {
    return std::nullopt;
  }
  std::string why = rule.contains("why") ? rule["why"].get<std::string>()
                    : when == "always"   ? "(always)"
                                         : "when " + when;
  auto bad = ApplyEffects(rule, scope, prefix, why);
  if (bad && rule.contains("code")) bad->code = rule["code"].get<int>();
  return bad;
}

Violation ApplyEffects(const Json& rule, const Scope& scope,
                       const std::string& prefix, const std::string& why) {
  if (rule.contains("refuse")) {
    return Fail(Join(prefix, rule["refuse"].get<std::string>()),
                "not accepted " + why);
  }
  if (rule.contains("date_range")) {
    const Json& d = rule["date_range"];
    std::string from = d["from"].get<std::string>();
    std::string to = d["to"].get<std::string>();
    absl::CivilDay a, b;
    if (Present(scope.obj, from) && Present(scope.obj, to) &&
        scope.obj[from].is_string() && scope.obj[to].is_string() &&
        absl::ParseCivilTime(scope.obj[from].get<std::string>(), &a) &&
        absl::ParseCivilTime(scope.obj[to].get<std::string>(), &b)) {
      int64_t days = b - a + 1;
      if (days < 1) return Fail(Join(prefix, to), "before " + from);
      if (days > d["max_days"].get<int64_t>()) {
        return Fail(Join(prefix, to),
                    absl::StrCat(from, "..", to, " spans at most ",
                                 d["max_days"].get<int64_t>(), " day(s) ", why,
                                 " (got ", days, ")"));
      }
    }
  }
  for (const auto& k : rule.value("require", Json::array())) {
    std::string key = k.get<std::string>();
    if (!Present(scope.obj, key)) {
      return Fail(Join(prefix, key), "required " + why);
    }
  }
  for (const auto& group : rule.value("require_one_of", Json::array())) {
    bool any = false;
    std::vector<std::string> names;
    for (const auto& k : group) {
      any |= Present(scope.obj, k.get<std::string>());
      names.push_back(k.get<std::string>());
    }
    if (!any) {
      return Fail(Join(prefix, names[0]),
                  absl::StrCat("one of ", absl::StrJoin(names, ", "),
                               " is required ", why));
    }
  }
  for (const auto& k : rule.value("forbid", Json::array())) {
    std::string key = k.get<std::string>();
    if (Present(scope.obj, key)) {
      return Fail(Join(prefix, key), "not allowed " + why);
    }
  }
  if (rule.contains("only")) {
    std::set<std::string> allowed;
    for (const auto& k : rule["only"]) allowed.insert(k.get<std::string>());
    for (const auto& [key, v] : scope.obj.items()) {
      if (v.is_null() || allowed.count(key)) continue;
      return Fail(Join(prefix, key),
                  absl::StrCat("cannot be sent ", why, " (allowed: ",
                               absl::StrJoin(allowed, ", "), ")"));
    }
  }
  const Json max_items = rule.value("max_items", Json::object());
  for (const auto& [key, n] : max_items.items()) {
    auto it = scope.obj.find(key);
    if (it != scope.obj.end() && it->is_array() &&
        it->size() > n.get<size_t>()) {
      return Fail(Join(prefix, key),
                  absl::StrCat("at most ", n.get<size_t>(), " item(s) ", why,
                               " (got ", it->size(), ")"));
    }
  }
  return std::nullopt;
}

Violation CheckObject(const Json& spec, const Json& obj,
                      const std::string& prefix, const Json& root,
                      Encoding encoding, bool from_string) {
  const Json fields = spec.value("fields", Json::object());
  for (const auto& [key, f] : fields.items()) {
    if (f.value("required", false) && !Present(obj, key)) {
      return Fail(Join(prefix, key), "required");
    }
  }
  bool refuse_unknown = spec.value("unknown_fields", "ignore") == "refuse";
  for (const auto& [key, v] : obj.items()) {
    auto f = fields.find(key);
    if (f == fields.end()) {
      if (refuse_unknown) {
        return Fail(Join(prefix, key), "unknown field");
      }
      continue;
    }
    if (v.is_null()) continue;
    if (auto bad =
            CheckValue(*f, v, Join(prefix, key), root, encoding, from_string)) {
      // A field may name the code TikTok answers for a bad value of it.
      if (f->contains("code")) bad->code = (*f)["code"].get<int>();
      return bad;
    }
  }
  Scope scope{obj, root, encoding};
  // Rules see decoded values (query/multipart strings turned into JSON).
  Json decoded;
  if (from_string) {
    decoded = obj;
    for (const auto& [key, f] : fields.items()) {
      if (!Present(obj, key) || !obj[key].is_string()) continue;
      auto d = Decode(f.value("type", "any"), obj[key].get<std::string>());
      if (d) decoded[key] = *d;
    }
  }
  const Scope& use = from_string ? Scope{decoded, decoded, encoding} : scope;
  for (const auto& rule : spec.value("rules", Json::array())) {
    if (auto bad = ApplyRule(rule, use, prefix)) return bad;
  }
  return std::nullopt;
}

std::string Lower(std::string s) { return absl::AsciiStrToLower(s); }

}  // namespace

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kNone:
      return "none";
    case Encoding::kQuery:
      return "query";
    case Encoding::kJson:
      return "json";
    case Encoding::kMultipart:
      return "multipart";
    case Encoding::kOther:
      return "other";
  }
  return "other";
}

absl::StatusOr<Contract> Contract::FromFiles(
    const std::vector<std::pair<std::string, std::string>>& name_and_text) {
  Contract c;
  for (const auto& [name, text] : name_and_text) {
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("endpoints") ||
        !doc["endpoints"].is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": not a contract file ({\"endpoints\": [...]})"));
    }
    for (const auto& e : doc["endpoints"]) {
      if (!e.is_object() || !e.contains("path") || !e["path"].is_string() ||
          !e.contains("method") || !e["method"].is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": every endpoint needs path and method"));
      }
      std::string path = e["path"].get<std::string>();
      if (c.endpoints_.count(path)) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": ", path, " is defined twice"));
      }
      c.endpoints_[path] = e;
    }
  }
  return c;
}

const Contract& Contract::Embedded() {
  static const Contract* contract = [] {
    auto c = FromFiles(EmbeddedContractFiles());
    if (!c.ok()) {
      std::cerr << "tiktok_sim: bad embedded contract: " << c.status() << "\n";
      std::abort();
    }
    return new Contract(*std::move(c));
  }();
  return *contract;
}

bool Contract::Covers(const std::string& path) const {
  return endpoints_.count(path) > 0;
}

std::optional<std::string> Contract::MethodOf(const std::string& path) const {
  auto it = endpoints_.find(path);
  if (it == endpoints_.end()) return std::nullopt;
  return it->second["method"].get<std::string>();
}

std::vector<std::string> Contract::Paths() const {
  std::vector<std::string> out;
  for (const auto& [p, e] : endpoints_) out.push_back(p);
  return out;
}

std::optional<ContractViolation> Contract::Check(
    const ContractRequest& req) const {
  auto it = endpoints_.find(req.path);
  if (it == endpoints_.end()) return std::nullopt;
  const Json& spec = it->second;
  std::string method = spec["method"].get<std::string>();
  if (req.method != method) {
    return Fail("", absl::StrCat(req.path, " must be called with ", method,
                                 ", not ", req.method));
  }
  for (const auto& h : spec.value("headers", Json::array())) {
    bool found = false;
    for (const auto& have : req.headers) {
      found |= Lower(have) == Lower(h.get<std::string>());
    }
    if (!found) {
      auto bad = Fail(h.get<std::string>(), "required header is missing");
      // TikTok answers an empty or absent token with its own code.
      if (Lower(h.get<std::string>()) == "access-token")
        bad->code = kTokenEmpty;
      return bad;
    }
  }
  std::vector<std::string> allowed;
  for (const auto& e : spec.value("encoding", Json::array({"json"}))) {
    allowed.push_back(e.get<std::string>());
  }
  Encoding enc = req.encoding;
  if (method == "GET") {
    // A GET carries everything in the query string; no body.
    if (enc != Encoding::kQuery && enc != Encoding::kNone) {
      return Fail("", absl::StrCat(req.path,
                                   " takes its parameters in the URL query "
                                   "(JSON-encoded arrays/objects), not a ",
                                   EncodingName(enc), " body"));
    }
    return CheckObject(spec, req.query, "", req.query, Encoding::kQuery, true);
  }
  bool ok_encoding = false;
  for (const auto& a : allowed) ok_encoding |= a == EncodingName(enc);
  if (!ok_encoding) {
    return Fail(
        "", absl::StrCat(req.path, " takes a ", absl::StrJoin(allowed, " or "),
                         " body, got ", EncodingName(enc)));
  }
  for (const auto& [key, v] : req.query.items()) {
    return Fail(key, absl::StrCat("must be sent in the ", EncodingName(enc),
                                  " body, not the URL query"));
  }
  Json params = req.body;
  for (const auto& f : req.file_parts) params[f] = "<file>";
  if (auto bad = CheckObject(spec, params, "", params, enc,
                             enc == Encoding::kMultipart)) {
    return bad;
  }
  // File parts must be files, and only file fields may be files.
  const Json fields = spec.value("fields", Json::object());
  for (const auto& f : req.file_parts) {
    auto fs = fields.find(f);
    if (fs != fields.end() && fs->value("type", "any") != "file") {
      return Fail(f, "must be a form field, not a file part");
    }
  }
  for (const auto& [key, f] : fields.items()) {
    if (f.value("type", "any") != "file" || !req.body.contains(key)) continue;
    return Fail(key, "must be sent as a multipart file part");
  }
  return std::nullopt;
}

}  // namespace ttads::tiktok_sim
