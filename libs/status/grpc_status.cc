#include "libs/status/grpc_status.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"

namespace ttads::status {
namespace {

std::string CodeName(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  for (char& c : name) {
    if (c == ' ') c = '_';
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

}  // namespace

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (GetDetail(status, &info) && !info.reason().empty()) return info.reason();
  return CodeName(status.code());
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  if (status.ok()) return rpc;
  // absl leaves payload order unspecified (and randomises it in some
  // builds): emit details in a fixed order so callers and tests see the most
  // actionable detail first.
  static constexpr std::string_view kOrder[] = {
      "google.rpc.BadRequest", "google.rpc.PreconditionFailure",
      "google.rpc.QuotaFailure", "google.rpc.RetryInfo",
      "google.rpc.ErrorInfo"};
  auto rank = [](absl::string_view type_url) {
    for (size_t i = 0; i < std::size(kOrder); ++i) {
      if (absl::EndsWith(type_url, absl::string_view(kOrder[i].data(),
                                                     kOrder[i].size())))
        return i;
    }
    return std::size(kOrder);
  };
  std::vector<std::pair<size_t, google::protobuf::Any>> details;
  bool has_error_info = false;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& value) {
    if (!absl::StartsWith(type_url, absl::string_view(kTypeUrlPrefix.data(), kTypeUrlPrefix.size()))) return;
    google::protobuf::Any any;
    any.set_type_url(std::string(type_url));
    any.set_value(std::string(value));
    if (absl::EndsWith(type_url, "google.rpc.ErrorInfo")) has_error_info = true;
    details.emplace_back(rank(type_url), std::move(any));
  });
  std::stable_sort(details.begin(), details.end(),
                   [](const auto& a, const auto& b) {
                     return a.first != b.first ? a.first < b.first
                                               : a.second.type_url() <
                                                     b.second.type_url();
                   });
  for (auto& [unused, any] : details) *rpc.add_details() = std::move(any);
  if (!has_error_info) {
    google::rpc::ErrorInfo info;
    info.set_reason(CodeName(status.code()));
    info.set_domain(std::string(kDomain));
    rpc.add_details()->PackFrom(info);
  }
  return rpc;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc = ToRpcStatus(status);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()), rpc.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  google::rpc::Status rpc;
  if (!status.error_details().empty() &&
      rpc.ParseFromString(status.error_details())) {
    for (const auto& any : rpc.details()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace ttads::status
