#include "services/gateway/error_mapping.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/status/grpc_status.h"

namespace ttads::gateway {

int HttpStatusFromGrpc(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat(static_cast<int>(code));
  }
}

HttpError ErrorFromGrpc(const grpc::Status& status) {
  HttpError out;
  out.status = HttpStatusFromGrpc(status.error_code());
  nlohmann::json details = nlohmann::json::array();
  bool names_a_field = false;
  google::rpc::Status rpc;
  if (!status.error_details().empty() &&
      rpc.ParseFromString(status.error_details())) {
    google::protobuf::util::JsonPrintOptions opts;
    for (const google::protobuf::Any& any : rpc.details()) {
      std::string json;
      if (google::protobuf::util::MessageToJsonString(any, &json, opts).ok()) {
        details.push_back(nlohmann::json::parse(json, nullptr, false));
      } else {
        details.push_back({{"@type", any.type_url()}});
      }
      if (any.Is<google::rpc::BadRequest>()) names_a_field = true;
      google::rpc::RetryInfo retry;
      if (any.UnpackTo(&retry) && retry.has_retry_delay()) {
        double seconds =
            retry.retry_delay().seconds() + retry.retry_delay().nanos() / 1e9;
        out.headers.emplace_back("Retry-After", absl::StrCat(std::max<int64_t>(
                                                    0, std::ceil(seconds))));
      }
    }
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      out.headers.empty()) {
    // A backend with no replica answering (connection refused, draining):
    // 503 with a short Retry-After (RFC 9110 §10.2.3), so clients and
    // proxies back off briefly instead of hammering or giving up.
    out.headers.emplace_back("Retry-After", "1");
  }
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
      (names_a_field ||
       absl::StrContains(status.error_message(), "message larger than max"))) {
    out.status = 413;  // Too large: the same request never fits.
  }
  out.body = {{"error", status.error_message()},
              {"code", GrpcCodeName(status.error_code())},
              {"details", std::move(details)}};
  return out;
}

HttpError ErrorFromAbsl(const absl::Status& status) {
  return ErrorFromGrpc(status::ToGrpcStatus(status));
}

}  // namespace ttads::gateway
