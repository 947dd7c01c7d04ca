#include "services/gateway/dialect.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/gateway/json_dump.h"
#include "services/gateway/quota_answer.h"

namespace ttads::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using ordered_json = nlohmann::ordered_json;

constexpr absl::string_view kBadRequestType =
    "type.googleapis.com/google.rpc.BadRequest";

// The Adspirer tool envelope; the only place it is built. `code`/`details`
// are null on a quota refusal, `quota` null until the call was counted.
std::string ToolEnvelope(const nlohmann::json& error, absl::string_view tool,
                         const nlohmann::json* code,
                         const nlohmann::json* details,
                         const nlohmann::json* quota) {
  ordered_json body = {{"success", false},
                       {"error", error},
                       {"is_error", true},
                       {"tool", std::string(tool)}};
  if (code != nullptr) body["code"] = *code;
  if (details != nullptr) body["details"] = *details;
  if (quota != nullptr) body["quota"] = *quota;
  return DumpJson(body);
}

std::string ToCamel(absl::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper ? absl::ascii_toupper(c) : c);
      upper = false;
    }
  }
  return out;
}

bool BodyHasKey(absl::string_view body, absl::string_view key) {
  return absl::StrContains(body, absl::StrCat("\"", key, "\""));
}

// CUSTOMIZED_USER chosen anywhere in `message`: an enum field holding a value
// named CUSTOMIZED_USER, or one of the opt-in fields set. Appends the field
// path of each choice to `out`.
void FindCustomizedUser(const Message& message, const std::string& prefix,
                        std::vector<std::pair<std::string, std::string>>* out,
                        int depth) {
  if (depth > 32) return;  // Deeper than any JSON the guard lets through.
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    std::string path =
        prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->is_map()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      bool chosen = false;
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, f); ++i) {
          chosen |= contracts::ShortName(r->GetRepeatedEnum(message, f, i)) ==
                    "CUSTOMIZED_USER";
        }
      } else {
        chosen =
            contracts::ShortName(r->GetEnum(message, f)) == "CUSTOMIZED_USER";
      }
      if (chosen) {
        out->push_back({path,
                        "CUSTOMIZED_USER is not accepted for new ads; leave "
                        "it blank to have the identity resolved"});
      }
    } else if (f->name() == "use_brand_identity" &&
               f->cpp_type() == FieldDescriptor::CPPTYPE_BOOL &&
               !f->is_repeated() && r->GetBool(message, f)) {
      out->push_back({path,
                      "a Brand Identity (CUSTOMIZED_USER) is not "
                      "accepted for new ads"});
    } else if (f->name() == "brand_identity" &&
               f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      out->push_back({path,
                      "a Brand Identity (CUSTOMIZED_USER) is not "
                      "accepted for new ads"});
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !absl::StartsWith(f->message_type()->full_name(),
                                 "google.protobuf.")) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, f); ++i) {
          FindCustomizedUser(r->GetRepeatedMessage(message, f, i),
                             absl::StrCat(path, "[", i, "]"), out, depth + 1);
        }
      } else {
        FindCustomizedUser(r->GetMessage(message, f), path, out, depth + 1);
      }
    }
  }
}

}  // namespace

std::string SpellAsSent(absl::string_view field_path,
                        const http::HttpRequest* request,
                        Dialect::Spelling spelling) {
  if (!absl::StrContains(field_path, '_')) return std::string(field_path);
  if (request != nullptr) {
    // A query parameter names the whole path.
    if (request->query.count(std::string(field_path)) > 0) {
      return std::string(field_path);
    }
    std::string camel = ToCamel(field_path);
    if (request->query.count(camel) > 0) return camel;
  }
  std::string out;
  for (absl::string_view component : absl::StrSplit(field_path, '.')) {
    absl::string_view name = component.substr(0, component.find('['));
    absl::string_view index = component.substr(name.size());
    std::string spelled;
    if (!absl::StrContains(name, '_')) {
      spelled = std::string(name);
    } else if (request != nullptr && BodyHasKey(request->body, name)) {
      spelled = std::string(name);
    } else if (std::string camel = ToCamel(name);
               (request != nullptr && BodyHasKey(request->body, camel)) ||
               spelling == Dialect::Spelling::kCamel) {
      spelled = std::move(camel);
    } else {
      spelled = std::string(name);
    }
    absl::StrAppend(&out, out.empty() ? "" : ".", spelled, index);
  }
  return out;
}

Answer Dialect::Unauthorized() const {
  return {401, R"({"error": "Unauthorized"})", {}};
}

Answer Dialect::Error(const absl::Status& status,
                      const AnswerContext& ctx) const {
  return Render(ErrorFromAbsl(status), ctx);
}

Answer Dialect::Error(const grpc::Status& status,
                      const AnswerContext& ctx) const {
  return Render(ErrorFromGrpc(status), ctx);
}

Answer Dialect::Render(HttpError error, const AnswerContext& ctx) const {
  nlohmann::json& details = error.body["details"];
  for (nlohmann::json& detail : details) {
    if (!detail.is_object() || detail.value("@type", "") != kBadRequestType) {
      continue;
    }
    auto violations = detail.find("fieldViolations");
    if (violations == detail.end() || !violations->is_array()) continue;
    for (nlohmann::json& v : *violations) {
      auto field = v.find("field");
      if (field == v.end() || !field->is_string()) continue;
      *field =
          SpellAsSent(field->get<std::string>(), ctx.request, spec_.spelling);
    }
  }
  Answer out{error.status, "", std::move(error.headers)};
  if (tool()) {
    nlohmann::json quota;
    if (ctx.quota != nullptr) quota = QuotaJson(*ctx.quota, false, "");
    out.body = ToolEnvelope(error.body["error"], ctx.tool, &error.body["code"],
                            &details, ctx.quota != nullptr ? &quota : nullptr);
  } else {
    out.body = DumpJson(error.body);
  }
  return out;
}

Answer Dialect::QuotaRefused(const QuotaUsage& usage, absl::string_view subject,
                             absl::string_view upgrade_url,
                             int64_t retry_after_s,
                             const AnswerContext& ctx) const {
  std::string message =
      LimitReachedMessage(usage, spec_.quota_unit, upgrade_url);
  nlohmann::json quota = QuotaJson(usage, true, upgrade_url);
  Answer out{429, "", {{"Retry-After", absl::StrCat(retry_after_s)}}};
  if (tool()) {
    out.body = ToolEnvelope(message, ctx.tool, nullptr, nullptr, &quota);
  } else {
    HttpError e = ErrorFromAbsl(status::QuotaExceeded(
        message, std::string_view(subject.data(), subject.size()),
        absl::StrCat("monthly ", spec_.quota_unit, " on the ", usage.tier,
                     " tier")));
    e.body["quota"] = std::move(quota);
    out.body = DumpJson(e.body);
  }
  return out;
}

absl::StatusOr<std::string> Dialect::SuccessBody(
    const Message& response, const Route& route,
    const AnswerContext& ctx) const {
  TTADS_ASSIGN_OR_RETURN(std::string body,
                         ToJson(response, spec_.json_style, spec_.enum_names));
  if (!route.response_body.empty()) {
    const FieldDescriptor* f =
        response.GetDescriptor()->FindFieldByName(route.response_body);
    ordered_json all = ordered_json::parse(body, nullptr, false);
    std::string key =
        spec_.json_style == JsonStyle::kTool ? f->name() : f->json_name();
    body = all.contains(key) ? DumpJson(all[key]) : "null";
  }
  if (tool() && ctx.quota != nullptr) {
    ordered_json all = ordered_json::parse(body, nullptr, false);
    if (!all.is_object()) all = ordered_json::object();
    if (!all.contains("data") || !all["data"].is_object()) {
      all["data"] = ordered_json::object();
    }
    all["data"]["quota"] = QuotaJson(*ctx.quota, false, "");
    body = DumpJson(all);
  }
  return body;
}

std::string Dialect::StreamMessage(const Message& message) const {
  absl::StatusOr<std::string> json =
      ToJson(message, JsonStyle::kApi, spec_.enum_names);
  return json.ok() ? *std::move(json) : R"({"error":"unrenderable message"})";
}

std::string Dialect::StreamError(const grpc::Status& status) const {
  return DumpJson(nlohmann::json{{"error", ErrorFromGrpc(status).body}});
}

absl::Status Dialect::CheckRequest(const Message& request) const {
  if (spec_.custom_identity != CustomIdentity::kReject) {
    return absl::OkStatus();
  }
  std::vector<std::pair<std::string, std::string>> violations;
  FindCustomizedUser(request, "", &violations, 0);
  if (violations.empty()) return absl::OkStatus();
  std::vector<status::FieldViolation> fields;
  for (auto& [field, why] : violations) fields.push_back({field, why});
  return status::InvalidArgument(
      "CUSTOMIZED_USER identities are no longer accepted for new ads (TikTok "
      "deprecated them in 2026-04); leave identity_type blank to have a "
      "TT_USER or BC_AUTH_TT identity resolved",
      fields);
}

const Dialects& Dialects::Products() {
  static const Dialects* products = new Dialects();
  return *products;
}

Dialects::Dialects()
    : ttads_({.name = "ttads"}),
      zernio_({.name = "zernio",
               .spelling = Dialect::Spelling::kCamel,
               .enum_names = EnumNames::kShort}),
      wevion_({.name = "wevion",
               .custom_identity = Dialect::CustomIdentity::kAllow,
               .enum_names = EnumNames::kShort}),
      adspirer_({.name = "adspirer",
                 .envelope = Dialect::Envelope::kTool,
                 .json_style = JsonStyle::kTool,
                 .quota_unit = "tool calls",
                 .custom_identity = Dialect::CustomIdentity::kReject,
                 .enum_names = EnumNames::kShort}),
      tool_prefix_("/api/v1/tools/") {
  // A prefix ending in '/' covers what is under it; others name one path.
  prefixes_ = {{tool_prefix_, &adspirer_},
               {"/api/v1/tiktok/", &wevion_},
               {"/v1/connect/", &zernio_},
               {"/v1/ads/create", &zernio_},
               {"/v1/accounts", &zernio_}};
}

const Dialect& Dialects::For(absl::string_view path) const {
  for (const auto& [prefix, dialect] : prefixes_) {
    if (prefix.back() == '/' ? absl::StartsWith(path, prefix)
                             : path == prefix) {
      return *dialect;
    }
  }
  return ttads_;
}

absl::string_view Dialects::ToolName(absl::string_view path) const {
  if (!absl::StartsWith(path, tool_prefix_)) return {};
  absl::string_view rest = path.substr(tool_prefix_.size());
  return rest.substr(0, rest.find('/'));
}

}  // namespace ttads::gateway
