#include "services/gateway/openapi.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "libs/contracts/enum_names.h"
#include "services/gateway/json_printer.h"
#include "services/gateway/openapi_comments.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using json = nlohmann::json;

std::string Ref(const Descriptor* d) {
  return absl::StrCat("#/components/schemas/", d->full_name());
}

// Adds `description` to `schema` when there is one.
void Describe(const std::string& description, json* schema) {
  if (!description.empty()) (*schema)["description"] = description;
}

class SchemaBuilder {
 public:
  explicit SchemaBuilder(const ProtoComments& comments) : comments_(comments) {}

  const ProtoComments& comments() const { return comments_; }

  json FieldSchema(const FieldDescriptor* f) {
    // A map's entry message is not a schema of its own.
    if (f->is_map()) {
      return {{"type", "object"},
              {"additionalProperties",
               SingularSchema(f->message_type()->map_value())}};
    }
    json item = SingularSchema(f);
    if (f->is_repeated()) return {{"type", "array"}, {"items", item}};
    return item;
  }

  json SingularSchema(const FieldDescriptor* f) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::CPPTYPE_UINT32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT64:
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case FieldDescriptor::CPPTYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case FieldDescriptor::CPPTYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::CPPTYPE_STRING:
        if (f->type() == FieldDescriptor::TYPE_BYTES) {
          return {{"type", "string"}, {"format", "byte"}};
        }
        return {{"type", "string"}};
      case FieldDescriptor::CPPTYPE_ENUM: {
        // The proto3 JSON names (ttads' routes), then the short names the
        // seeds' routes answer with; requests may use either.
        json values = json::array();
        const auto* e = f->enum_type();
        for (int i = 0; i < e->value_count(); ++i) {
          values.push_back(e->value(i)->name());
        }
        for (int i = 0; i < e->value_count(); ++i) {
          if (std::string s = contracts::ShortName(e->value(i));
              s != e->value(i)->name()) {
            values.push_back(s);
          }
        }
        return {{"type", "string"}, {"enum", values}};
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return MessageRef(f->message_type());
    }
    return json::object();
  }

  json MessageRef(const Descriptor* d) {
    const std::string& name = d->full_name();
    if (name == "google.protobuf.Timestamp") {
      return {{"type", "string"}, {"format", "date-time"}};
    }
    if (name == "google.protobuf.Duration") {
      return {{"type", "string"}, {"examples", {"1.5s"}}};
    }
    if (name == "google.protobuf.Struct") {
      return {{"type", "object"}, {"additionalProperties", true}};
    }
    if (name == "google.protobuf.Value") return json::object();
    if (name == "google.protobuf.ListValue") {
      return {{"type", "array"}, {"items", json::object()}};
    }
    if (name == "google.protobuf.FieldMask") return {{"type", "string"}};
    Add(d);
    return {{"$ref", Ref(d)}};
  }

  void Add(const Descriptor* d) {
    if (schemas_.contains(d->full_name()) || in_progress_.count(d)) return;
    in_progress_.insert(d);
    json props = json::object();
    for (int i = 0; i < d->field_count(); ++i) {
      json prop = FieldSchema(d->field(i));
      Describe(comments_.Of(d->field(i)->full_name()), &prop);
      // AIP-203 INPUT_ONLY: sent in requests, never in answers (ToJson).
      if (IsInputOnly(d->field(i))) prop["writeOnly"] = true;
      props[d->field(i)->json_name()] = std::move(prop);
    }
    json schema = {{"type", "object"}, {"properties", props}};
    Describe(comments_.Of(d->full_name()), &schema);
    schemas_[d->full_name()] = std::move(schema);
    in_progress_.erase(d);
  }

  json schemas_ = json::object();
  std::set<const Descriptor*> in_progress_;

 private:
  const ProtoComments& comments_;
};

// Query parameters: scalar (and repeated scalar) fields not in `bound`.
void QueryParams(SchemaBuilder& b, const Descriptor* d,
                 const std::string& prefix, const std::set<std::string>& bound,
                 int depth, json* out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string name = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (bound.count(name) || f->is_map()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const std::string& type = f->message_type()->full_name();
      bool wkt_scalar = type == "google.protobuf.Timestamp" ||
                        type == "google.protobuf.Duration" ||
                        type == "google.protobuf.FieldMask";
      if (wkt_scalar && !f->is_repeated()) {
        json param = {{"name", name},
                      {"in", "query"},
                      {"schema", b.MessageRef(f->message_type())}};
        Describe(b.comments().Of(f->full_name()), &param);
        out->push_back(std::move(param));
      } else if (!f->is_repeated() && depth < 3 &&
                 !absl::StartsWith(type, "google.protobuf.")) {
        QueryParams(b, f->message_type(), name, bound, depth + 1, out);
      }
      continue;
    }
    json param = {
        {"name", name}, {"in", "query"}, {"schema", b.FieldSchema(f)}};
    Describe(b.comments().Of(f->full_name()), &param);
    if (f->is_repeated()) {
      param["style"] = "form";
      param["explode"] = true;
    }
    out->push_back(std::move(param));
  }
}

// "CreateAd" → "Create ad", "CallTikTokApi" → "Call TikTok API".
std::string Summary(const std::string& method) {
  std::string out;
  for (size_t i = 0; i < method.size(); ++i) {
    const char c = method[i];
    if (i > 0 && absl::ascii_isupper(c)) out += ' ';
    out += out.empty() ? c : absl::ascii_tolower(c);
  }
  for (auto [from, to] :
       {std::pair<const char*, const char*>{"tik tok", "TikTok"},
        {" api", " API"}}) {
    for (size_t at = out.find(from); at != std::string::npos;
         at = out.find(from, at + std::string(to).size())) {
      out.replace(at, std::string(from).size(), to);
    }
  }
  return out;
}

// The field named request_id on `type`, or on its first singular message
// field that has one: what the Idempotency-Key header fills (transcoder.h).
bool TakesRequestId(const Descriptor* type) {
  auto is_id = [](const FieldDescriptor* f) {
    return f != nullptr && f->type() == FieldDescriptor::TYPE_STRING &&
           !f->is_repeated();
  };
  if (is_id(type->FindFieldByName("request_id"))) return true;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !f->is_repeated() &&
        is_id(f->message_type()->FindFieldByName("request_id"))) {
      return true;
    }
  }
  return false;
}

json Ref(absl::string_view kind, absl::string_view name) {
  return {{"$ref", absl::StrCat("#/components/", kind, "/", name)}};
}

// The answers every routed operation may give besides 200, as HTTP status
// → components/responses entry (docs/gateway.md "Errors"); tool paths
// answer the same statuses in Adspirer's tool envelope.
json ErrorResponses(bool tool) {
  const std::string suffix = tool ? "Tool" : "";
  json out = json::object();
  for (const char* status :
       {"400", "401", "403", "404", "409", "413", "429", "500", "503", "504"}) {
    out[status] = Ref("responses", absl::StrCat("Error", status, suffix));
  }
  // 401 is always exactly {"error": "Unauthorized"}, in every dialect.
  out["401"] = Ref("responses", "Unauthorized");
  return out;
}

json ErrorComponents(json* schemas) {
  (*schemas)["Error"] = {
      {"type", "object"},
      {"description",
       "An error (docs/gateway.md \"Errors\"): the message, the canonical "
       "gRPC code name and the google.rpc details as proto3 JSON."},
      {"required", {"error"}},
      {"properties",
       {{"error", {{"type", "string"}}},
        {"code", {{"type", "string"}, {"examples", {"INVALID_ARGUMENT"}}}},
        {"details",
         {{"type", "array"},
          {"items", {{"type", "object"}, {"additionalProperties", true}}}}},
        {"quota", {{"type", "object"}, {"additionalProperties", true}}}}}};
  (*schemas)["ToolError"] = {
      {"type", "object"},
      {"description",
       "An error on an Adspirer tool path, in the tool envelope."},
      {"required", {"success", "error", "is_error", "tool"}},
      {"properties",
       {{"success", {{"type", "boolean"}, {"enum", {false}}}},
        {"error", {{"type", "string"}}},
        {"is_error", {{"type", "boolean"}, {"enum", {true}}}},
        {"tool", {{"type", "string"}, {"examples", {"add_tiktok_ad"}}}},
        {"code", {{"type", "string"}, {"examples", {"INVALID_ARGUMENT"}}}},
        {"details",
         {{"type", "array"},
          {"items", {{"type", "object"}, {"additionalProperties", true}}}}},
        {"quota", {{"type", "object"}, {"additionalProperties", true}}}}}};
  (*schemas)["Unauthorized"] = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error", {{"type", "string"}, {"enum", {"Unauthorized"}}}}}}};
  const std::vector<std::pair<const char*, const char*>> statuses = {
      {"400",
       "INVALID_ARGUMENT, FAILED_PRECONDITION or OUT_OF_RANGE: bad input, "
       "with a google.rpc.BadRequest naming the field"},
      {"403", "PERMISSION_DENIED"},
      {"404", "NOT_FOUND"},
      {"409",
       "ALREADY_EXISTS or ABORTED (e.g. an Idempotency-Key reused "
       "with another request)"},
      {"413", "The body or a field is too large"},
      {"429",
       "RESOURCE_EXHAUSTED: over the monthly quota or throttled; see "
       "Retry-After"},
      {"500", "INTERNAL or UNKNOWN"},
      {"503", "UNAVAILABLE: a backend or TikTok is; retry later"},
      {"504", "DEADLINE_EXCEEDED"}};
  json responses = json::object();
  for (bool tool : {false, true}) {
    for (const auto& [status, description] : statuses) {
      json response = {
          {"description", description},
          {"headers", {{"X-Request-Id", Ref("headers", "X-Request-Id")}}},
          {"content",
           {{"application/json",
             {{"schema", Ref("schemas", tool ? "ToolError" : "Error")}}}}}};
      if (std::string(status) == "429" || std::string(status) == "503") {
        response["headers"]["Retry-After"] = Ref("headers", "Retry-After");
      }
      responses[absl::StrCat("Error", status, tool ? "Tool" : "")] =
          std::move(response);
    }
  }
  responses["Unauthorized"] = {
      {"description", "A missing, malformed, unknown or revoked API key"},
      {"headers", {{"X-Request-Id", Ref("headers", "X-Request-Id")}}},
      {"content",
       {{"application/json", {{"schema", Ref("schemas", "Unauthorized")}}}}}};
  return responses;
}

json HeaderComponents() {
  auto header = [](const char* description, json schema) {
    return json{{"description", description}, {"schema", std::move(schema)}};
  };
  json string = {{"type", "string"}};
  return {
      {"X-Request-Id",
       header("The request id: the Idempotency-Key or X-Request-Id sent, or "
              "one the gateway chose",
              string)},
      {"Retry-After", header("Seconds to wait before retrying",
                             {{"type", "integer"}, {"minimum", 0}})},
      {"X-Quota-Used", header("Calls counted this period", string)},
      {"X-Quota-Limit", header("The period's limit, or `unlimited`", string)},
      {"X-Quota-Tier", header("The team's tier", string)},
      {"X-Quota-Period-End", header("When the period ends (UTC)", string)}};
}

json ParameterComponents() {
  json id = {{"type", "string"},
             {"minLength", 1},
             {"maxLength", 128},
             {"pattern", "^[\\x21-\\x7e]+$"}};
  return {{"Idempotency-Key",
           {{"name", "Idempotency-Key"},
            {"in", "header"},
            {"description",
             "Becomes the request id and fills the request's request_id: the "
             "same key again within 24 h is answered from the first call"},
            {"schema", id}}},
          {"X-Request-Id",
           {{"name", "X-Request-Id"},
            {"in", "header"},
            {"description",
             "The request id when there is no Idempotency-Key; echoed back"},
            {"schema", id}}},
          {"X-Request-Timeout",
           {{"name", "X-Request-Timeout"},
            {"in", "header"},
            {"description",
             "Backend deadline in seconds (e.g. 2.5), capped by the gateway"},
            {"schema", {{"type", "string"}, {"examples", {"2.5"}}}}}}};
}

// The field `path` ("ad.ad_id") names in `type`, or nullptr.
const FieldDescriptor* FieldAt(const Descriptor* type,
                               const std::string& path) {
  const FieldDescriptor* f = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (type == nullptr) return nullptr;
    f = type->FindFieldByName(std::string(part));
    if (f == nullptr) return nullptr;
    type = f->message_type();
  }
  return f;
}

}  // namespace

json BuildOpenApi(const RouteTable& routes) {
  return BuildOpenApi(routes, ProtoComments::Linked());
}

json BuildOpenApi(const RouteTable& routes, const ProtoComments& comments) {
  SchemaBuilder b(comments);
  json paths = json::object();
  json tags = json::array();
  std::set<std::string> tagged;
  std::map<std::string, int> op_ids;
  for (const auto& route : routes.routes()) {
    const auto* method = route->method;
    std::string op_id =
        absl::StrCat(method->service()->name(), "_", method->name());
    if (int n = op_ids[op_id]++; n > 0) absl::StrAppend(&op_id, "_", n + 1);
    const std::string& service = method->service()->full_name();
    if (tagged.insert(service).second) {
      std::string about = comments.Of(service);
      tags.push_back(
          {{"name", service},
           {"description",
            absl::StrCat(about, about.empty() ? "" : "\n\n",
                         "The gRPC service ", service,
                         " over REST (its google.api.http bindings).")}});
    }
    const bool tool =
        absl::StartsWith(route->path.OpenApiPath(), "/api/v1/tools/");
    std::string summary = comments.Summary(method->full_name());
    if (summary.empty()) summary = Summary(method->name());
    std::string about = comments.Of(method->full_name());
    json op = {
        {"operationId", op_id},
        {"summary", summary},
        {"description",
         absl::StrCat(about, about.empty() ? "" : "\n\n", "gRPC ",
                      route->grpc_path,
                      tool ? ". Answers in Adspirer's tool envelope." : ".")},
        {"tags", {service}},
        {"x-grpc-method", route->grpc_path}};
    json params = json::array();
    std::set<std::string> bound;
    const Descriptor* input = method->input_type();
    for (const auto& var : route->path.variables()) {
      json param = {{"name", var.field_path},
                    {"in", "path"},
                    {"required", true},
                    {"schema", {{"type", "string"}}}};
      if (const FieldDescriptor* f = FieldAt(input, var.field_path)) {
        Describe(comments.Of(f->full_name()), &param);
      }
      params.push_back(std::move(param));
      bound.insert(var.field_path);
    }
    if (route->body.empty() || route->body != "*") {
      if (!route->body.empty()) bound.insert(route->body);
      QueryParams(b, input, "", bound, 0, &params);
    }
    if (route->client_streaming()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           // One JSON request message per line.
           {{"application/x-ndjson", {{"schema", b.MessageRef(input)}}},
            {"text/csv", {{"schema", {{"type", "string"}}}}}}}};
    } else if (route->body == "*") {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json", {{"schema", b.MessageRef(input)}}}}}};
    } else if (!route->body.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema",
               b.FieldSchema(input->FindFieldByName(route->body))}}}}}};
    }
    params.push_back(Ref("parameters", "X-Request-Id"));
    params.push_back(Ref("parameters", "X-Request-Timeout"));
    if (route->http_method != "GET" && TakesRequestId(input)) {
      params.push_back(Ref("parameters", "Idempotency-Key"));
    }
    op["parameters"] = params;
    json response_schema =
        route->response_body.empty()
            ? b.MessageRef(method->output_type())
            : b.FieldSchema(
                  method->output_type()->FindFieldByName(route->response_body));
    json content;
    if (route->server_streaming()) {
      content = {{"application/x-ndjson", {{"schema", response_schema}}},
                 {"text/event-stream", {{"schema", response_schema}}}};
    } else {
      content = {{"application/json", {{"schema", response_schema}}}};
    }
    json ok_headers = {{"X-Request-Id", Ref("headers", "X-Request-Id")}};
    for (const char* h : {"X-Quota-Used", "X-Quota-Limit", "X-Quota-Tier",
                          "X-Quota-Period-End"}) {
      ok_headers[h] = Ref("headers", h);
    }
    op["responses"] = ErrorResponses(tool);
    op["responses"]["200"] = {
        {"description", "OK"}, {"headers", ok_headers}, {"content", content}};
    std::string lower = absl::AsciiStrToLower(route->http_method);
    paths[route->path.OpenApiPath()][lower] = std::move(op);
  }
  json responses = ErrorComponents(&b.schemas_);
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "ttads REST gateway"},
            {"version", "v1"},
            {"description",
             "TikTok Ads operations over REST: ttads' own routes and the "
             "seeds' product routes (Zernio, Wevion, Adspirer), transcoded "
             "to the gRPC services (docs/gateway.md)."}}},
          {"servers", {{{"url", "/"}}}},
          {"security", {{{"bearerAuth", json::array()}}}},
          {"tags", tags},
          {"components",
           {{"securitySchemes",
             {{"bearerAuth",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description", "The team member's API key"}}}}},
            {"schemas", b.schemas_},
            {"responses", responses},
            {"headers", HeaderComponents()},
            {"parameters", ParameterComponents()}}},
          {"paths", paths}};
}

}  // namespace ttads::gateway
