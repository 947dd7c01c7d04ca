#include "tools/ttadsctl/cli_output.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"

namespace ttads::ttadsctl {

int PrintFailure(std::ostream& err, const absl::Status& status) {
  const std::string code = absl::StatusCodeToString(status.code());
  const std::string reason = status::ReasonOf(status);
  err << "ttadsctl: " << status.message() << " (" << code
      << (reason.empty() || reason == code ? "" : ", " + reason) << ")\n";
  google::rpc::BadRequest bad;
  if (status::GetDetail(status, &bad)) {
    for (const auto& v : bad.field_violations()) {
      err << "  " << v.field() << ": " << v.description() << "\n";
    }
  }
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                             : kExitFailed;
}

int PrintOutput(const Console& console, const absl::StatusOr<Output>& result) {
  if (!result.ok()) return PrintFailure(console.err, result.status());
  if (console.json) {
    console.out << result->json.dump(2) << "\n";
  } else {
    console.out << result->text;
  }
  console.err << result->note;
  if (!result->failure.empty()) {
    console.err << "ttadsctl: " << result->failure << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace ttads::ttadsctl
