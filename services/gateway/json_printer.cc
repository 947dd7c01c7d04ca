#include "services/gateway/json_printer.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/strutil.h"
#include "google/protobuf/util/json_util.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status_macros.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Reflection;

constexpr char kHex[] = "0123456789abcdef";

bool NeedsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

void AppendQuoted(absl::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // Start of the pending run of characters kept as they are.
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!NeedsEscape(c)) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    out->append(google::protobuf::SimpleDtoa(v));
  }
}

void AppendFloat(float v, std::string* out) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    out->append(google::protobuf::SimpleFtoa(v));
  }
}

// ".123", ".123456", ".123456789" or "" for whole seconds.
std::string FormatNanos(int32_t nanos) {
  if (nanos == 0) return "";
  if (nanos % 1000000 == 0) {
    return absl::StrFormat(".%03d", nanos / 1000000);
  }
  if (nanos % 1000 == 0) return absl::StrFormat(".%06d", nanos / 1000);
  return absl::StrFormat(".%09d", nanos);
}

class Printer {
 public:
  Printer(const JsonPrintOptions& options, std::string* out)
      : options_(options), out_(out) {}

  absl::Status Object(const google::protobuf::Message& m) {
    const Descriptor* d = m.GetDescriptor();
    if (d->file()->name().rfind("google/protobuf/", 0) == 0) {
      if (auto handled = WellKnown(m); handled.has_value()) return *handled;
    }
    const Reflection* r = m.GetReflection();
    out_->push_back('{');
    bool first = true;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (!ShouldPrint(m, r, f)) continue;
      if (!first) out_->push_back(',');
      first = false;
      AppendQuoted(
          options_.preserve_proto_field_names ? f->name() : f->json_name(),
          out_);
      out_->push_back(':');
      TTADS_RETURN_IF_ERROR(Field(m, r, f));
    }
    out_->push_back('}');
    return absl::OkStatus();
  }

 private:
  bool ShouldPrint(const google::protobuf::Message& m, const Reflection* r,
                   const FieldDescriptor* f) const {
    if (options_.omit_input_only && IsInputOnly(f)) return false;
    if (f->is_repeated()) {
      return r->FieldSize(m, f) > 0 || options_.always_print_primitive_fields;
    }
    if (f->has_presence()) {
      // An empty Value prints as nothing at all, so protobuf omits it.
      return r->HasField(m, f) && !IsEmptyValue(r, m, f);
    }
    // Singular proto3 scalar without presence.
    return options_.always_print_primitive_fields || r->HasField(m, f);
  }

  absl::Status Field(const google::protobuf::Message& m, const Reflection* r,
                     const FieldDescriptor* f) {
    if (f->is_map()) return Map(m, r, f);
    if (f->is_repeated()) {
      out_->push_back('[');
      const int n = r->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        if (i > 0) out_->push_back(',');
        TTADS_RETURN_IF_ERROR(Value(m, r, f, i));
      }
      out_->push_back(']');
      return absl::OkStatus();
    }
    return Value(m, r, f, -1);
  }

  absl::Status Map(const google::protobuf::Message& m, const Reflection* r,
                   const FieldDescriptor* f) {
    const FieldDescriptor* key = f->message_type()->map_key();
    const FieldDescriptor* value = f->message_type()->map_value();
    out_->push_back('{');
    const int n = r->FieldSize(m, f);
    bool first = true;
    for (int i = 0; i < n; ++i) {
      const google::protobuf::Message& entry = r->GetRepeatedMessage(m, f, i);
      const Reflection* er = entry.GetReflection();
      if (IsEmptyValue(er, entry, value)) continue;  // protobuf drops these.
      if (!first) out_->push_back(',');
      first = false;
      std::string key_text;
      switch (key->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          key_text = er->GetString(entry, key);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          key_text = er->GetBool(entry, key) ? "true" : "false";
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          key_text = absl::StrCat(er->GetInt32(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          key_text = absl::StrCat(er->GetInt64(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          key_text = absl::StrCat(er->GetUInt32(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          key_text = absl::StrCat(er->GetUInt64(entry, key));
          break;
        default:
          return absl::InternalError("unsupported map key type");
      }
      AppendQuoted(key_text, out_);
      out_->push_back(':');
      TTADS_RETURN_IF_ERROR(Value(entry, er, value, -1));
    }
    out_->push_back('}');
    return absl::OkStatus();
  }

  // Whether `f` of `m` is a google.protobuf.Value with no kind set.
  static bool IsEmptyValue(const Reflection* r,
                           const google::protobuf::Message& m,
                           const FieldDescriptor* f) {
    if (f->message_type() == nullptr ||
        f->message_type()->full_name() != "google.protobuf.Value") {
      return false;
    }
    const google::protobuf::Message& v = r->GetMessage(m, f);
    return v.GetReflection()->GetOneofFieldDescriptor(
               v, v.GetDescriptor()->oneof_decl(0)) == nullptr;
  }

  // One value of `f`: element `index` of a repeated field, or the singular
  // value when `index` is -1.
  absl::Status Value(const google::protobuf::Message& m, const Reflection* r,
                     const FieldDescriptor* f, int index) {
    const bool rep = index >= 0;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(
            out_, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(
            out_, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(
            out_, "\"",
            rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f), "\"");
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(
            out_, "\"",
            rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f), "\"");
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        AppendDouble(
            rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out_);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        AppendFloat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f),
                    out_);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                         ? "true"
                         : "false");
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number =
            rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
        if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
          out_->append("null");
          break;
        }
        const auto* value = f->enum_type()->FindValueByNumber(number);
        if (value != nullptr && options_.short_enum_names) {
          AppendQuoted(contracts::ShortName(value), out_);
        } else if (value != nullptr) {
          AppendQuoted(value->name(), out_);
        } else {
          absl::StrAppend(out_, number);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s =
            rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                : r->GetStringReference(m, f, &scratch);
        if (f->type() == FieldDescriptor::TYPE_BYTES) {
          AppendQuoted(absl::Base64Escape(s), out_);
        } else {
          AppendQuoted(s, out_);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return Object(rep ? r->GetRepeatedMessage(m, f, index)
                          : r->GetMessage(m, f));
    }
    return absl::OkStatus();
  }

  // The special JSON forms; nullopt for a google.protobuf message printed
  // as an ordinary message (none today, but descriptor.proto types are).
  std::optional<absl::Status> WellKnown(const google::protobuf::Message& m) {
    const Descriptor* d = m.GetDescriptor();
    const std::string& name = d->full_name();
    const Reflection* r = m.GetReflection();
    auto field = [d](int number) { return d->FindFieldByNumber(number); };
    if (name == "google.protobuf.Timestamp") {
      const int64_t seconds = r->GetInt64(m, field(1));
      const int32_t nanos = r->GetInt32(m, field(2));
      // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z
      if (seconds < -62135596800 || seconds > 253402300799 || nanos < 0 ||
          nanos > 999999999) {
        return Fallback(m);
      }
      out_->push_back('"');
      const absl::CivilSecond t = absl::ToCivilSecond(
          absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
      absl::StrAppendFormat(out_, "%04d-%02d-%02dT%02d:%02d:%02d", t.year(),
                            t.month(), t.day(), t.hour(), t.minute(),
                            t.second());
      out_->append(FormatNanos(nanos));
      out_->append("Z\"");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.Duration") {
      int64_t seconds = r->GetInt64(m, field(1));
      int32_t nanos = r->GetInt32(m, field(2));
      if (seconds < -315576000000 || seconds > 315576000000 ||
          nanos < -999999999 || nanos > 999999999 ||
          (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
        return Fallback(m);
      }
      out_->push_back('"');
      if (seconds < 0 || nanos < 0) {
        out_->push_back('-');
        seconds = -seconds;
        nanos = -nanos;
      }
      absl::StrAppend(out_, seconds, FormatNanos(nanos), "s\"");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.Empty") {
      out_->append("{}");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.Struct") {
      return Map(m, r, field(1));
    }
    if (name == "google.protobuf.ListValue") {
      return Field(m, r, field(1));
    }
    if (name == "google.protobuf.Value") {
      const google::protobuf::OneofDescriptor* kind = d->oneof_decl(0);
      const FieldDescriptor* set = r->GetOneofFieldDescriptor(m, kind);
      if (set == nullptr) return Fallback(m);
      if (set->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        const double v = r->GetDouble(m, set);
        if (!std::isfinite(v)) return Fallback(m);
      }
      return Value(m, r, set, -1);
    }
    if (name == "google.protobuf.DoubleValue" ||
        name == "google.protobuf.FloatValue" ||
        name == "google.protobuf.Int64Value" ||
        name == "google.protobuf.UInt64Value" ||
        name == "google.protobuf.Int32Value" ||
        name == "google.protobuf.UInt32Value" ||
        name == "google.protobuf.BoolValue" ||
        name == "google.protobuf.StringValue" ||
        name == "google.protobuf.BytesValue") {
      return Value(m, r, field(1), -1);
    }
    if (name == "google.protobuf.Any" || name == "google.protobuf.FieldMask") {
      return Fallback(m);
    }
    return std::nullopt;
  }

  // protobuf's own printer for the rare shapes above.
  absl::Status Fallback(const google::protobuf::Message& m) {
    google::protobuf::util::JsonPrintOptions opts;
    opts.always_print_primitive_fields = options_.always_print_primitive_fields;
    opts.preserve_proto_field_names = options_.preserve_proto_field_names;
    std::string text;
    absl::Status s;
    if (options_.short_enum_names) {
      s = contracts::MessageToShortJson(m, opts, &text);
    } else if (auto p =
                   google::protobuf::util::MessageToJsonString(m, &text, opts);
               !p.ok()) {
      s = absl::UnknownError(
          std::string(p.message().data(), p.message().size()));
    }
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat("cannot render ",
                                              m.GetDescriptor()->full_name(),
                                              " as JSON: ", s.message()));
    }
    out_->append(text);
    return absl::OkStatus();
  }

  const JsonPrintOptions& options_;
  std::string* out_;
};

}  // namespace

bool IsInputOnly(const FieldDescriptor* f) {
  const google::protobuf::FieldOptions& options = f->options();
  const int n = options.ExtensionSize(google::api::field_behavior);
  for (int i = 0; i < n; ++i) {
    if (options.GetExtension(google::api::field_behavior, i) ==
        google::api::INPUT_ONLY) {
      return true;
    }
  }
  return false;
}

absl::Status PrintJson(const google::protobuf::Message& message,
                       const JsonPrintOptions& options, std::string* out) {
  return Printer(options, out).Object(message);
}

}  // namespace ttads::gateway
