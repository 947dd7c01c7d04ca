#include "services/gateway/route_table.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "libs/status/status_macros.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

struct Binding {
  std::string method;
  std::string path;
};

absl::StatusOr<Binding> PatternOf(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return Binding{"GET", rule.get()};
    case google::api::HttpRule::kPut:
      return Binding{"PUT", rule.put()};
    case google::api::HttpRule::kPost:
      return Binding{"POST", rule.post()};
    case google::api::HttpRule::kDelete:
      return Binding{"DELETE", rule.delete_()};
    case google::api::HttpRule::kPatch:
      return Binding{"PATCH", rule.patch()};
    case google::api::HttpRule::kCustom:
      return Binding{rule.custom().kind(), rule.custom().path()};
    default:
      return absl::InvalidArgumentError("HttpRule without a pattern");
  }
}

absl::Status AddRule(const MethodDescriptor* method,
                     const google::api::HttpRule& rule,
                     std::vector<std::unique_ptr<Route>>* routes) {
  auto binding = PatternOf(rule);
  if (!binding.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", binding.status().message()));
  }
  auto path = PathTemplate::Parse(binding->path);
  if (!path.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", path.status().message()));
  }
  const Descriptor* input = method->input_type();
  if (!rule.body().empty() && rule.body() != "*" &&
      input->FindFieldByName(rule.body()) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": body field \"", rule.body(),
                     "\" is not a field of ", input->full_name()));
  }
  if (!rule.response_body().empty() &&
      method->output_type()->FindFieldByName(rule.response_body()) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        method->full_name(), ": response_body field \"", rule.response_body(),
        "\" is not a field of ", method->output_type()->full_name()));
  }
  for (const auto& existing : *routes) {
    if (existing->http_method == binding->method &&
        existing->path.text() == path->text()) {
      return absl::AlreadyExistsError(absl::StrCat(
          binding->method, " ", binding->path, " is bound by both ",
          existing->method->full_name(), " and ", method->full_name()));
    }
  }
  auto route = std::make_unique<Route>();
  route->http_method = binding->method;
  route->path = *std::move(path);
  route->body = rule.body();
  route->response_body = rule.response_body();
  route->method = method;
  route->grpc_path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  routes->push_back(std::move(route));
  return absl::OkStatus();
}

// Higher is more specific.
std::tuple<bool, int, bool, size_t> Specificity(const Route& r) {
  return {!r.path.verb().empty(), r.path.literal_count(), !r.path.has_multi(),
          r.path.segments().size()};
}

}  // namespace

std::vector<const ServiceDescriptor*> RouteTable::LinkedServices(
    absl::string_view package_prefix) {
  std::vector<std::string> files;
  DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::sort(files.begin(), files.end());
  std::vector<const ServiceDescriptor*> out;
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  for (const std::string& name : files) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    if (file == nullptr) continue;
    for (int i = 0; i < file->service_count(); ++i) {
      const ServiceDescriptor* s = file->service(i);
      if (absl::StartsWith(s->full_name(), package_prefix)) out.push_back(s);
    }
  }
  std::sort(out.begin(), out.end(),
            [](auto* a, auto* b) { return a->full_name() < b->full_name(); });
  return out;
}

absl::StatusOr<RouteTable> RouteTable::FromLinkedServices(
    absl::string_view package_prefix) {
  return FromServices(LinkedServices(package_prefix));
}

absl::StatusOr<RouteTable> RouteTable::FromServices(
    const std::vector<const ServiceDescriptor*>& services) {
  RouteTable table;
  table.services_ = services;
  for (const ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule =
          method->options().GetExtension(google::api::http);
      TTADS_RETURN_IF_ERROR(AddRule(method, rule, &table.routes_));
      for (const google::api::HttpRule& extra : rule.additional_bindings()) {
        TTADS_RETURN_IF_ERROR(AddRule(method, extra, &table.routes_));
      }
    }
  }
  // Most specific first, so Match() can return the first hit.
  std::stable_sort(table.routes_.begin(), table.routes_.end(),
                   [](const auto& a, const auto& b) {
                     return Specificity(*a) > Specificity(*b);
                   });
  return table;
}

std::optional<RouteMatch> RouteTable::Match(absl::string_view http_method,
                                            absl::string_view raw_path) const {
  for (const auto& route : routes_) {
    if (route->http_method != http_method) continue;
    auto bindings = route->path.Match(raw_path);
    if (bindings.has_value()) {
      return RouteMatch{route.get(), *std::move(bindings)};
    }
  }
  return std::nullopt;
}

std::vector<std::string> RouteTable::AllowedMethods(
    absl::string_view raw_path) const {
  std::set<std::string> methods;
  for (const auto& route : routes_) {
    if (route->path.Match(raw_path).has_value()) {
      methods.insert(route->http_method);
    }
  }
  return {methods.begin(), methods.end()};
}

}  // namespace ttads::gateway
