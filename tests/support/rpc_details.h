#ifndef TTADS_TESTS_SUPPORT_RPC_DETAILS_H_
#define TTADS_TESTS_SUPPORT_RPC_DETAILS_H_

#include <set>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

// Reading the google.rpc details of a failed call, as a gRPC client sees
// them (the `grpc-status-details-bin` trailer), for service tests.
namespace ttads::testing {

// Every field named by a BadRequest field violation.
inline std::set<std::string> FieldsOf(const grpc::Status& status) {
  std::set<std::string> out;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return out;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.insert(v.field());
    }
  }
  return out;
}

// The first field violation's field, or "".
inline std::string FieldOf(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return "";
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() > 0) {
      return bad.field_violations(0).field();
    }
  }
  return "";
}

// The ErrorInfo reason (UPPER_SNAKE), or "".
inline std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return "";
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_RPC_DETAILS_H_
