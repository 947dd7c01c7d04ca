#include "libs/validate/validate.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"
#include "libs/contracts/enum_names.h"
#include "re2/re2.h"
#include "ttads/common/v1/field_rules.pb.h"

namespace ttads::validate {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Timestamp bounds (RFC 3339 years 0001..9999), as google/protobuf/
// timestamp.proto documents them; Duration bounds (about 10,000 years) as
// duration.proto documents them.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;
constexpr int64_t kMaxDurationSeconds = 315576000000;
constexpr int32_t kNanosPerSecond = 1000000000;

// What is checked on one field, worked out once per descriptor.
struct FieldRule {
  const FieldDescriptor* field;
  bool required = false;
  bool page_size = false;
  bool page_token = false;
  // A message field of an update request (one with a FieldMask
  // `update_mask`): a patch (AIP-134), in which REQUIRED is not checked.
  bool patch = false;
  std::unique_ptr<RE2> pattern;
};

struct MessageRules {
  enum class Kind { kPlain, kTimestamp, kDuration };
  Kind kind = Kind::kPlain;
  std::vector<FieldRule> fields;
};

bool IsRequired(const FieldDescriptor* f) {
  const auto& options = f->options();
  for (int i = 0; i < options.ExtensionSize(google::api::field_behavior); ++i) {
    if (options.GetExtension(google::api::field_behavior, i) ==
        google::api::REQUIRED) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<MessageRules> BuildRules(const Descriptor* d) {
  auto rules = std::make_unique<MessageRules>();
  if (d->full_name() == "google.protobuf.Timestamp") {
    rules->kind = MessageRules::Kind::kTimestamp;
  } else if (d->full_name() == "google.protobuf.Duration") {
    rules->kind = MessageRules::Kind::kDuration;
  }
  const FieldDescriptor* mask = d->FindFieldByName("update_mask");
  const bool update_request =
      mask != nullptr && !mask->is_repeated() &&
      mask->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      mask->message_type()->full_name() == "google.protobuf.FieldMask";
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    FieldRule rule{f};
    rule.required = IsRequired(f);
    rule.patch = update_request && f != mask &&
                 f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    rule.page_size = !f->is_repeated() && f->name() == "page_size" &&
                     f->cpp_type() == FieldDescriptor::CPPTYPE_INT32;
    rule.page_token = !f->is_repeated() && f->name() == "page_token" &&
                      f->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    const std::string& pattern =
        f->options().GetExtension(ttads::common::v1::pattern);
    if (!pattern.empty() && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
      if (re->ok()) rule.pattern = std::move(re);
    }
    rules->fields.push_back(std::move(rule));
  }
  return rules;
}

// Rules per message type, built on first use and kept for the process.
const MessageRules& RulesFor(const Descriptor* d) {
  static std::shared_mutex mu;
  static auto* cache =
      new std::unordered_map<const Descriptor*, std::unique_ptr<MessageRules>>;
  {
    std::shared_lock lock(mu);
    auto it = cache->find(d);
    if (it != cache->end()) return *it->second;
  }
  auto built = BuildRules(d);
  std::unique_lock lock(mu);
  auto [it, inserted] = cache->emplace(d, std::move(built));
  return *it->second;
}

std::string EnumNames(const google::protobuf::EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) {
    // The short names (TT_USER), accepted everywhere and what the seeds'
    // products document (libs/contracts/enum_names.h).
    if (e->value(i)->number() != 0) {
      names.push_back(contracts::ShortName(e->value(i)));
    }
  }
  return absl::StrJoin(names, ", ");
}

bool IsDecimalToken(const std::string& s) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A field path built only when something needs it (a violation, or a nested
// message to walk), so a valid message costs no allocation for paths.
class LazyPath {
 public:
  explicit LazyPath(std::string built)
      : built_(std::move(built)), done_(true) {}
  LazyPath(const std::string& parent, const FieldDescriptor* f, int index = -1)
      : parent_(&parent), field_(f), index_(index) {}

  const std::string& get() {
    if (!done_) {
      built_ = parent_->empty() ? field_->name()
                                : absl::StrCat(*parent_, ".", field_->name());
      if (index_ >= 0) absl::StrAppend(&built_, "[", index_, "]");
      done_ = true;
    }
    return built_;
  }

 private:
  const std::string* parent_ = nullptr;
  const FieldDescriptor* field_ = nullptr;
  int index_ = -1;
  std::string built_;
  bool done_ = false;
};

// Walks one message depth-first, appending violations until kMaxViolations.
class Walker {
 public:
  explicit Walker(std::vector<status::FieldViolation>* out) : out_(out) {}

  void Walk(const Message& m, const std::string& path) {
    if (Full()) return;
    if (depth_ >= kMaxDepth) return Add(path, "nested too deeply");
    ++depth_;
    WalkFields(m, path);
    --depth_;
  }

 private:
  // protobuf's own parse limit; a message built by hand may go deeper.
  static constexpr int kMaxDepth = 100;

  void WalkFields(const Message& m, const std::string& path) {
    const MessageRules& rules = RulesFor(m.GetDescriptor());
    if (rules.kind == MessageRules::Kind::kTimestamp) {
      return CheckTimestamp(m, path);
    }
    if (rules.kind == MessageRules::Kind::kDuration) {
      return CheckDuration(m, path);
    }
    const Reflection* r = m.GetReflection();
    CheckStringsAtEnums(m, path);
    for (const FieldRule& rule : rules.fields) {
      if (Full()) return;
      const FieldDescriptor* f = rule.field;
      if (!f->is_repeated()) {
        LazyPath field_path(path, f);
        Singular(m, rule, field_path);
        continue;
      }
      const int n = r->FieldSize(m, f);
      if (Required(rule) && n == 0) {
        Add(LazyPath(path, f).get(), "required: give at least one value");
      }
      if (n == 0) continue;
      if (f->is_map()) {
        const std::string field_path = LazyPath(path, f).get();
        for (int i = 0; i < n && !Full(); ++i) {
          MapEntry(r->GetRepeatedMessage(m, f, i), field_path);
        }
        continue;
      }
      for (int i = 0; i < n && !Full(); ++i) {
        LazyPath element(path, f, i);
        Repeated(m, rule, i, element);
      }
    }
  }

  // A client built from a contract in which a field was a string, before it
  // became an enum (AIP-126), still sends the string: protobuf keeps it as
  // an unknown field (wrong wire type) and the enum reads as unset, so the
  // request would silently get the default. Refused, naming the field.
  void CheckStringsAtEnums(const Message& m, const std::string& path) {
    const google::protobuf::UnknownFieldSet& unknown =
        m.GetReflection()->GetUnknownFields(m);
    for (int i = 0; i < unknown.field_count() && !Full(); ++i) {
      const google::protobuf::UnknownField& u = unknown.field(i);
      if (u.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
        continue;
      }
      const FieldDescriptor* f =
          m.GetDescriptor()->FindFieldByNumber(u.number());
      if (f == nullptr || f->is_repeated() ||
          f->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) {
        continue;
      }
      Add(LazyPath(path, f).get(),
          absl::StrCat("a string where the contract has an enum (a client "
                       "built before the field became one); one of ",
                       EnumNames(f->enum_type())));
    }
  }

  bool Required(const FieldRule& rule) const {
    return rule.required && patch_depth_ == 0;
  }
  bool Full() const { return static_cast<int>(out_->size()) >= kMaxViolations; }
  void Add(std::string field, std::string description) {
    if (!Full()) out_->push_back({std::move(field), std::move(description)});
  }

  void CheckString(const FieldRule& rule, const std::string& value,
                   LazyPath& path) {
    if (!google::protobuf::internal::IsStructurallyValidUTF8(value)) {
      return Add(path.get(), "not valid UTF-8");
    }
    if (rule.page_token && !value.empty() && !IsDecimalToken(value)) {
      return Add(path.get(), "not a page_token from a previous response");
    }
    if (rule.pattern && !value.empty() &&
        !RE2::FullMatch(value, *rule.pattern)) {
      return Add(path.get(),
                 absl::StrCat("must match ", rule.pattern->pattern()));
    }
  }

  void CheckEnum(const FieldDescriptor* f, int value, LazyPath& path) {
    if (f->enum_type()->FindValueByNumber(value) == nullptr) {
      Add(path.get(), absl::StrCat("unknown value ", value, "; one of ",
                                   EnumNames(f->enum_type())));
    }
  }

  void Singular(const Message& m, const FieldRule& rule, LazyPath& path) {
    const FieldDescriptor* f = rule.field;
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (!r->HasField(m, f)) {
          if (Required(rule)) Add(path.get(), "required");
          return;
        }
        patch_depth_ += rule.patch;
        Walk(r->GetMessage(m, f), path.get());
        patch_depth_ -= rule.patch;
        return;
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& value = r->GetStringReference(m, f, &scratch);
        if (Required(rule) && value.empty()) return Add(path.get(), "required");
        if (f->type() == FieldDescriptor::TYPE_BYTES) return;
        return CheckString(rule, value, path);
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int value = r->GetEnumValue(m, f);
        if (Required(rule) && value == 0) return Add(path.get(), "required");
        return CheckEnum(f, value, path);
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        const int32_t value = r->GetInt32(m, f);
        if (rule.page_size && (value < 0 || value > kMaxPageSize)) {
          return Add(path.get(),
                     absl::StrCat("must be 0 (the default) to ", kMaxPageSize));
        }
        if (Required(rule) && value == 0) Add(path.get(), "required");
        return;
      }
      default:
        if (Required(rule) && IsZero(m, f)) Add(path.get(), "required");
        return;
    }
  }

  static bool IsZero(const Message& m, const FieldDescriptor* f) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64:
        return r->GetInt64(m, f) == 0;
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->GetUInt32(m, f) == 0;
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->GetUInt64(m, f) == 0;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->GetDouble(m, f) == 0;
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->GetFloat(m, f) == 0;
      case FieldDescriptor::CPPTYPE_BOOL:
        return !r->GetBool(m, f);
      default:
        return false;
    }
  }

  void Repeated(const Message& m, const FieldRule& rule, int i,
                LazyPath& path) {
    const FieldDescriptor* f = rule.field;
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        patch_depth_ += rule.patch;
        Walk(r->GetRepeatedMessage(m, f, i), path.get());
        patch_depth_ -= rule.patch;
        return;
      case FieldDescriptor::CPPTYPE_STRING: {
        if (f->type() == FieldDescriptor::TYPE_BYTES) return;
        std::string scratch;
        return CheckString(
            rule, r->GetRepeatedStringReference(m, f, i, &scratch), path);
      }
      case FieldDescriptor::CPPTYPE_ENUM:
        return CheckEnum(f, r->GetRepeatedEnumValue(m, f, i), path);
      default:
        return;
    }
  }

  // A map entry: the key becomes part of the path of the value.
  void MapEntry(const Message& entry, const std::string& field_path) {
    const Descriptor* d = entry.GetDescriptor();
    const Reflection* r = entry.GetReflection();
    const FieldDescriptor* key = d->map_key();
    std::string path;
    switch (key->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string k = r->GetString(entry, key);
        if (!google::protobuf::internal::IsStructurallyValidUTF8(k)) {
          return Add(field_path, "a key is not valid UTF-8");
        }
        path = absl::StrCat(field_path, "[\"", k, "\"]");
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        path = absl::StrCat(field_path,
                            r->GetBool(entry, key) ? "[true]" : "[false]");
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        path = absl::StrCat(field_path, "[", r->GetInt32(entry, key), "]");
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        path = absl::StrCat(field_path, "[", r->GetInt64(entry, key), "]");
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        path = absl::StrCat(field_path, "[", r->GetUInt32(entry, key), "]");
        break;
      default:
        path = absl::StrCat(field_path, "[", r->GetUInt64(entry, key), "]");
        break;
    }
    const FieldRule value_rule{d->map_value()};
    LazyPath value_path(std::move(path));
    Singular(entry, value_rule, value_path);
  }

  void CheckTimestamp(const Message& m, const std::string& path) {
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    const int64_t seconds = r->GetInt64(m, d->FindFieldByNumber(1));
    const int32_t nanos = r->GetInt32(m, d->FindFieldByNumber(2));
    if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
      Add(path, "seconds outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z");
    } else if (nanos < 0 || nanos >= kNanosPerSecond) {
      Add(path, "nanos must be within 0..999999999");
    }
  }

  void CheckDuration(const Message& m, const std::string& path) {
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    const int64_t seconds = r->GetInt64(m, d->FindFieldByNumber(1));
    const int32_t nanos = r->GetInt32(m, d->FindFieldByNumber(2));
    if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds) {
      Add(path, "seconds outside +-315576000000 (10,000 years)");
    } else if (nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond) {
      Add(path, "nanos must be within -999999999..999999999");
    } else if ((seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
      Add(path, "nanos must have the sign of seconds");
    }
  }

  std::vector<status::FieldViolation>* out_;
  int depth_ = 0;
  // > 0 inside a patch (FieldRule::patch).
  int patch_depth_ = 0;
};

}  // namespace

std::vector<status::FieldViolation> Violations(const Message& message) {
  std::vector<status::FieldViolation> out;
  Walker(&out).Walk(message, "");
  return out;
}

absl::Status Validate(const Message& message) {
  std::vector<status::FieldViolation> violations = Violations(message);
  if (violations.empty()) return absl::OkStatus();
  std::string summary = absl::StrCat("invalid ", violations[0].field, ": ",
                                     violations[0].description);
  if (violations.size() > 1) {
    absl::StrAppend(&summary, " (and ", violations.size() - 1, " more)");
  }
  return status::InvalidArgument(summary, std::move(violations));
}

bool IsWellFormedPageToken(const std::string& page_token) {
  return page_token.empty() || IsDecimalToken(page_token);
}

}  // namespace ttads::validate
