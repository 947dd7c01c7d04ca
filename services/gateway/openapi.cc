#include "services/gateway/openapi.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "libs/contracts/enum_names.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using json = nlohmann::json;

std::string Ref(const Descriptor* d) {
  return absl::StrCat("#/components/schemas/", d->full_name());
}

class SchemaBuilder {
 public:
  json FieldSchema(const FieldDescriptor* f) {
    json item = SingularSchema(f);
    if (f->is_map()) {
      return {{"type", "object"},
              {"additionalProperties",
               SingularSchema(f->message_type()->map_value())}};
    }
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
      return {{"type", "string"}, {"example", "1.5s"}};
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
      props[d->field(i)->json_name()] = FieldSchema(d->field(i));
    }
    schemas_[d->full_name()] = {{"type", "object"}, {"properties", props}};
    in_progress_.erase(d);
  }

  json schemas_ = json::object();
  std::set<const Descriptor*> in_progress_;
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
        out->push_back({{"name", name},
                        {"in", "query"},
                        {"schema", b.MessageRef(f->message_type())}});
      } else if (!f->is_repeated() && depth < 3 &&
                 !absl::StartsWith(type, "google.protobuf.")) {
        QueryParams(b, f->message_type(), name, bound, depth + 1, out);
      }
      continue;
    }
    json param = {
        {"name", name}, {"in", "query"}, {"schema", b.FieldSchema(f)}};
    if (f->is_repeated()) {
      param["style"] = "form";
      param["explode"] = true;
    }
    out->push_back(std::move(param));
  }
}

json ErrorResponse() {
  return {{"description", "Error"},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

json BuildOpenApi(const RouteTable& routes) {
  SchemaBuilder b;
  json paths = json::object();
  std::map<std::string, int> op_ids;
  for (const auto& route : routes.routes()) {
    const auto* method = route->method;
    std::string op_id =
        absl::StrCat(method->service()->name(), "_", method->name());
    if (int n = op_ids[op_id]++; n > 0) absl::StrAppend(&op_id, "_", n + 1);
    json op = {{"operationId", op_id},
               {"tags", {method->service()->full_name()}},
               {"x-grpc-method", route->grpc_path}};
    json params = json::array();
    std::set<std::string> bound;
    for (const auto& var : route->path.variables()) {
      params.push_back({{"name", var.field_path},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      bound.insert(var.field_path);
    }
    const Descriptor* input = method->input_type();
    if (route->body.empty() || route->body != "*") {
      if (!route->body.empty()) bound.insert(route->body);
      QueryParams(b, input, "", bound, 0, &params);
    }
    if (route->client_streaming()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/x-ndjson",
             {{"schema", {{"type", "string"}}},
              {"x-ndjson-item", b.MessageRef(input)}}},
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
    if (!params.empty()) op["parameters"] = params;
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
    op["responses"] = {{"200", {{"description", "OK"}, {"content", content}}},
                       {"default", ErrorResponse()}};
    std::string lower = absl::AsciiStrToLower(route->http_method);
    paths[route->path.OpenApiPath()][lower] = std::move(op);
  }
  b.schemas_["Error"] = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error", {{"type", "string"}}},
        {"code", {{"type", "string"}, {"example", "INVALID_ARGUMENT"}}},
        {"details",
         {{"type", "array"},
          {"items", {{"type", "object"}, {"additionalProperties", true}}}}}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "ttads REST gateway"}, {"version", "v1"}}},
          {"servers", {{{"url", "/"}}}},
          {"security", {{{"bearerAuth", json::array()}}}},
          {"components",
           {{"securitySchemes",
             {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", b.schemas_}}},
          {"paths", paths}};
}

}  // namespace ttads::gateway
