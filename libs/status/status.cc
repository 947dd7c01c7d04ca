#include "libs/status/status.h"

#include "google/rpc/error_details.pb.h"

namespace ttads::status {

void AttachDetail(absl::Status& status,
                  const google::protobuf::Message& detail) {
  if (status.ok()) return;
  status.SetPayload(std::string(kTypeUrlPrefix) +
                        detail.GetDescriptor()->full_name(),
                    absl::Cord(detail.SerializeAsString()));
}

absl::Status InvalidArgument(std::string_view message,
                             std::vector<FieldViolation> violations,
                             std::string_view reason) {
  absl::Status status = WithFieldViolations(
      absl::InvalidArgumentError(std::string(message)), std::move(violations));
  return WithErrorInfo(std::move(status), reason);
}

absl::Status WithFieldViolations(absl::Status status,
                                 std::vector<FieldViolation> violations) {
  google::rpc::BadRequest bad_request;
  for (auto& v : violations) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(std::move(v.field));
    fv->set_description(std::move(v.description));
  }
  AttachDetail(status, bad_request);
  return status;
}

absl::Status WithErrorInfo(
    absl::Status status, std::string_view reason,
    std::vector<std::pair<std::string, std::string>> metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  GetDetail(status, &info);  // keep metadata already attached
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kDomain));
  for (auto& [k, v] : metadata) (*info.mutable_metadata())[k] = v;
  AttachDetail(status, info);
  return status;
}

absl::Status WithRetryInfo(absl::Status status, absl::Duration retry_delay) {
  if (status.ok()) return status;
  google::rpc::RetryInfo retry;
  int64_t nanos = absl::ToInt64Nanoseconds(retry_delay);
  retry.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  AttachDetail(status, retry);
  return status;
}

absl::Status QuotaExceeded(std::string_view message, std::string_view subject,
                           std::string_view description) {
  absl::Status status = absl::ResourceExhaustedError(std::string(message));
  google::rpc::QuotaFailure quota;
  auto* v = quota.add_violations();
  v->set_subject(std::string(subject));
  v->set_description(std::string(description));
  AttachDetail(status, quota);
  return WithErrorInfo(std::move(status), "QUOTA_EXCEEDED");
}

absl::Status PreconditionFailed(std::string_view message, std::string_view type,
                                std::string_view subject,
                                std::string_view description) {
  absl::Status status = absl::FailedPreconditionError(std::string(message));
  google::rpc::PreconditionFailure failure;
  auto* v = failure.add_violations();
  v->set_type(std::string(type));
  v->set_subject(std::string(subject));
  v->set_description(std::string(description));
  AttachDetail(status, failure);
  return status;
}

}  // namespace ttads::status
