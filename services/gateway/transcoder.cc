#include "services/gateway/transcoder.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/text/utf8.h"
#include "libs/validate/validate.h"
#include "nlohmann/json.hpp"
#include "services/gateway/json_dump.h"
#include "services/gateway/json_guard.h"
#include "services/gateway/json_printer.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status FieldError(absl::string_view field,
                        absl::string_view description) {
  return status::InvalidArgument(
      absl::StrCat("invalid value for \"", field, "\": ", description),
      {{std::string(field), std::string(description)}});
}

const FieldDescriptor* FindField(const Descriptor* type,
                                 absl::string_view name) {
  const FieldDescriptor* f = type->FindFieldByName(std::string(name));
  if (f == nullptr) f = type->FindFieldByCamelcaseName(std::string(name));
  if (f == nullptr) {
    for (int i = 0; i < type->field_count(); ++i) {
      if (type->field(i)->json_name() == name) return type->field(i);
    }
  }
  return f;
}

// Walks to the message holding the last component, creating parents.
absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> Resolve(
    Message* message, absl::string_view field_path) {
  std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  Message* current = message;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(current->GetDescriptor(), parts[i]);
    if (f == nullptr) {
      return status::InvalidArgument(
          absl::StrCat("unknown field \"", field_path, "\""),
          {{std::string(field_path), "no such field"}});
    }
    if (i + 1 == parts.size()) return std::make_pair(current, f);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      return status::InvalidArgument(
          absl::StrCat("field \"", field_path, "\" does not lead to a field"),
          {{std::string(field_path), "not a singular message field"}});
    }
    current = current->GetReflection()->MutableMessage(current, f);
  }
  return absl::InternalError("unreachable");
}

absl::Status SetScalar(Message* m, const FieldDescriptor* f,
                       absl::string_view path, absl::string_view v) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  if (!text::IsValidUtf8(std::string_view(v.data(), v.size()))) {
    return FieldError(path, "not valid UTF-8");
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string value(v);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        if (!absl::Base64Unescape(v, &value) &&
            !absl::WebSafeBase64Unescape(v, &value)) {
          return FieldError(path, "expected base64");
        }
      }
      rep ? r->AddString(m, f, value) : r->SetString(m, f, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t x;
      if (!absl::SimpleAtoi(v, &x))
        return FieldError(path, "expected a 32-bit integer");
      rep ? r->AddInt32(m, f, x) : r->SetInt32(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t x;
      if (!absl::SimpleAtoi(v, &x))
        return FieldError(path, "expected an integer");
      rep ? r->AddInt64(m, f, x) : r->SetInt64(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t x;
      if (!absl::SimpleAtoi(v, &x))
        return FieldError(path, "expected an unsigned 32-bit integer");
      rep ? r->AddUInt32(m, f, x) : r->SetUInt32(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t x;
      if (!absl::SimpleAtoi(v, &x))
        return FieldError(path, "expected an unsigned integer");
      rep ? r->AddUInt64(m, f, x) : r->SetUInt64(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double x;
      if (!absl::SimpleAtod(v, &x))
        return FieldError(path, "expected a number");
      rep ? r->AddDouble(m, f, x) : r->SetDouble(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float x;
      if (!absl::SimpleAtof(v, &x))
        return FieldError(path, "expected a number");
      rep ? r->AddFloat(m, f, x) : r->SetFloat(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      // The proto3 JSON literals only: "yes", "1" or "" would be guesses.
      bool x;
      if (v == "true") {
        x = true;
      } else if (v == "false") {
        x = false;
      } else {
        return FieldError(path, "expected true or false");
      }
      rep ? r->AddBool(m, f, x) : r->SetBool(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      // By full or short name (libs/contracts/enum_names.h), in any case.
      const auto* value = contracts::FindValueByAnyName(e, v);
      if (value == nullptr) {
        value = contracts::FindValueByAnyName(e, absl::AsciiStrToUpper(v));
      }
      int number;
      if (value == nullptr && absl::SimpleAtoi(v, &number)) {
        value = e->FindValueByNumber(number);
      }
      if (value == nullptr) {
        std::string names;
        for (int i = 0; i < e->value_count(); ++i) {
          if (i > 0) names += ", ";
          names += contracts::ShortName(e->value(i));
        }
        return FieldError(path, absl::StrCat("expected one of ", names));
      }
      rep ? r->AddEnumValue(m, f, value->number())
          : r->SetEnumValue(m, f, value->number());
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (f->is_map())
        return FieldError(path, "maps cannot be set from a parameter");
      Message* sub = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      // Well-known types accept their JSON form: a string (Timestamp,
      // Duration, FieldMask, StringValue...) or a bare number/bool.
      google::protobuf::util::JsonParseOptions opts;
      // `v` is valid UTF-8 (checked above), so it quotes without throwing.
      std::string quoted = nlohmann::json(std::string(v)).dump();
      if (contracts::JsonToMessage(quoted, sub, opts).ok()) {
        return absl::OkStatus();
      }
      sub->Clear();
      if (CheckRequestJson(v, sub->GetDescriptor(), path).ok() &&
          contracts::JsonToMessage(v, sub, opts).ok()) {
        return absl::OkStatus();
      }
      return FieldError(path, absl::StrCat("cannot parse as ",
                                           f->message_type()->full_name()));
    }
  }
  return FieldError(path, "unsupported field type");
}

}  // namespace

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<Message>(prototype->New());
}

absl::Status ParseJson(absl::string_view json, Message* out,
                       absl::string_view what) {
  TTADS_RETURN_IF_ERROR(CheckRequestJson(json, out->GetDescriptor(), what));
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  // Enum values by full or short name (libs/contracts/enum_names.h).
  absl::Status s = contracts::JsonToMessage(json, out, opts);
  if (s.ok()) return absl::OkStatus();
  std::string message = text::SanitizeUtf8(
      std::string_view(s.message().data(), s.message().size()));
  // The parser names the field as "colour: Cannot find field." or
  // "(display_name): invalid value ..."; otherwise it reports a position.
  std::string field(what);
  if (!message.empty() && message[0] == '(') {
    if (size_t close = message.find(')'); close != std::string::npos) {
      field = message.substr(1, close - 1);
    }
  } else if (size_t at = message.find(": Cannot find field");
             at != std::string::npos) {
    field = message.substr(0, at);
  }
  return status::InvalidArgument(
      absl::StrCat("invalid JSON in ", what, ": ", message), {{field, message}},
      "INVALID_JSON");
}

absl::StatusOr<std::string> ToJson(const Message& message, JsonStyle style,
                                   EnumNames enum_names) {
  JsonPrintOptions opts;
  opts.short_enum_names = enum_names == EnumNames::kShort;
  opts.omit_input_only = true;
  if (style == JsonStyle::kApi) {
    opts.always_print_primitive_fields = true;
  } else {
    opts.preserve_proto_field_names = true;
  }
  std::string out;
  TTADS_RETURN_IF_ERROR(PrintJson(message, opts, &out));
  // Tool envelopes always say whether they succeeded: Adspirer's failure
  // shape is {"success": false, ...}, and false is the default that the
  // tool style would otherwise leave out.
  const auto* success = message.GetDescriptor()->FindFieldByName("success");
  if (style != JsonStyle::kApi && success != nullptr &&
      success->type() == google::protobuf::FieldDescriptor::TYPE_BOOL &&
      !message.GetReflection()->GetBool(message, success)) {
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_object() && !j.contains("success")) {
      j["success"] = false;
      out = DumpJson(j);
    }
  }
  return out;
}

absl::StatusOr<std::string> CanonicalFieldPath(const Descriptor* type,
                                               absl::string_view field_path) {
  std::string out;
  const Descriptor* current = type;
  for (absl::string_view part : absl::StrSplit(field_path, '.')) {
    if (current == nullptr) {
      return status::InvalidArgument(
          absl::StrCat("unknown field \"", field_path, "\""),
          {{std::string(field_path), "no such field"}});
    }
    const FieldDescriptor* f = FindField(current, part);
    if (f == nullptr) {
      return status::InvalidArgument(
          absl::StrCat("unknown field \"", field_path, "\""),
          {{std::string(field_path), "no such field"}});
    }
    if (!out.empty()) out += ".";
    out += f->name();
    current =
        f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated()
            ? f->message_type()
            : nullptr;
  }
  return out;
}

absl::Status SetFieldFromString(Message* message, absl::string_view field_path,
                                absl::string_view value) {
  TTADS_ASSIGN_OR_RETURN(auto target, Resolve(message, field_path));
  return SetScalar(target.first, target.second, field_path, value);
}

absl::Status ApplyBindings(const PathTemplate::Bindings& bindings,
                           Message* message, std::set<std::string>* bound) {
  for (const auto& [path, value] : bindings) {
    TTADS_ASSIGN_OR_RETURN(std::string canonical,
                           CanonicalFieldPath(message->GetDescriptor(), path));
    TTADS_ASSIGN_OR_RETURN(auto target, Resolve(message, path));
    if (!target.second->is_repeated()) {
      target.first->GetReflection()->ClearField(target.first, target.second);
    }
    TTADS_RETURN_IF_ERROR(SetScalar(target.first, target.second, path, value));
    if (bound != nullptr) bound->insert(std::move(canonical));
  }
  return absl::OkStatus();
}

absl::Status ApplyQuery(const http::QueryParams& query,
                        const std::set<std::string>& bound, Message* message) {
  std::set<std::string> singular_seen;
  for (const auto& [name, value] : query) {
    if (!text::IsValidUtf8(name) || !text::IsValidUtf8(value)) {
      std::string shown = text::SanitizeUtf8(name);
      return status::InvalidArgument(
          absl::StrCat("query parameter \"", shown, "\" is not valid UTF-8"),
          {{shown, "not valid UTF-8"}});
    }
    auto canonical = CanonicalFieldPath(message->GetDescriptor(), name);
    if (!canonical.ok()) {
      return status::InvalidArgument(
          absl::StrCat("unknown query parameter \"", name, "\""),
          {{name, "no such field in this request"}});
    }
    for (const std::string& b : bound) {
      if (*canonical == b || absl::StartsWith(*canonical, b + ".") ||
          absl::StartsWith(b, *canonical + ".")) {
        return status::InvalidArgument(
            absl::StrCat("query parameter \"", name,
                         "\" sets a field already given in the ",
                         b == *canonical ? "path" : "path or body"),
            {{name, "already bound"}});
      }
    }
    TTADS_ASSIGN_OR_RETURN(auto target, Resolve(message, name));
    if (!target.second->is_repeated() &&
        !singular_seen.insert(*canonical).second) {
      return status::InvalidArgument(
          absl::StrCat("query parameter \"", name,
                       "\" is given more than once; it takes one value"),
          {{name, "given more than once"}});
    }
    TTADS_RETURN_IF_ERROR(SetScalar(target.first, target.second, name, value));
  }
  return absl::OkStatus();
}

absl::Status BuildRequest(const Route& route,
                          const PathTemplate::Bindings& bindings,
                          const http::QueryParams& query,
                          absl::string_view body, Message* out) {
  std::set<std::string> bound;
  absl::string_view trimmed = absl::StripAsciiWhitespace(body);
  if (route.body == "*") {
    if (!trimmed.empty()) {
      TTADS_RETURN_IF_ERROR(ParseJson(trimmed, out));
    }
  } else if (!route.body.empty()) {
    if (!trimmed.empty()) {
      const FieldDescriptor* f =
          out->GetDescriptor()->FindFieldByName(route.body);
      std::string wrapped = absl::StrCat(
          "{", nlohmann::json(f->json_name()).dump(), ":", trimmed, "}");
      TTADS_RETURN_IF_ERROR(ParseJson(wrapped, out, route.body));
    }
    bound.insert(route.body);
  }
  TTADS_RETURN_IF_ERROR(ApplyBindings(bindings, out, &bound));
  if (route.body == "*") {
    if (!query.empty()) {
      const std::string& name = query.begin()->first;
      return status::InvalidArgument(
          absl::StrCat("unknown query parameter \"", name,
                       "\": this route takes every field from the body"),
          {{name, "not accepted by this route"}});
    }
  } else {
    TTADS_RETURN_IF_ERROR(ApplyQuery(query, bound, out));
  }
  // The contract checks the backends apply too (libs/validate): refused
  // here, a request with e.g. invalid UTF-8 never reaches a backend.
  return validate::Validate(*out);
}

absl::StatusOr<bool> SetRequestId(Message* message, absl::string_view id) {
  auto set_on = [&](Message* m,
                    const FieldDescriptor* f) -> absl::StatusOr<bool> {
    const Reflection* r = m->GetReflection();
    std::string current = r->GetString(*m, f);
    if (current.empty()) {
      r->SetString(m, f, std::string(id));
    } else if (current != id) {
      return status::InvalidArgument(
          "Idempotency-Key differs from the request_id in the body",
          {{"request_id",
            "must equal the Idempotency-Key header when both are given"}});
    }
    return true;
  };
  auto is_id = [](const FieldDescriptor* f) {
    return f != nullptr && f->type() == FieldDescriptor::TYPE_STRING &&
           !f->is_repeated();
  };
  const Descriptor* type = message->GetDescriptor();
  if (const FieldDescriptor* f = type->FindFieldByName("request_id");
      is_id(f)) {
    return set_on(message, f);
  }
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      continue;
    }
    const FieldDescriptor* inner =
        f->message_type()->FindFieldByName("request_id");
    if (!is_id(inner)) continue;
    Message* sub = message->GetReflection()->MutableMessage(message, f);
    return set_on(sub, inner);
  }
  return false;
}

}  // namespace ttads::gateway
