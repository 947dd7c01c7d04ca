// ttads-health: asks a gRPC server's grpc.health.v1.Health/Check and exits 0
// when it answers SERVING. Used by `make up` to wait for each process and by
// the container smoke test.
//
//   ttads-health --address=127.0.0.1:50051 [--service=NAME] [--wait=10s]
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/config/flags_help.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051", "host:port to check");
ABSL_FLAG(std::string, service, "", "service name; empty = whole server");
ABSL_FLAG(absl::Duration, wait, absl::ZeroDuration(),
          "keep retrying for this long until SERVING");

int main(int argc, char** argv) {
  if (ttads::config::HelpRequested(argc, argv)) {
    std::cout << "ttads-health: exits 0 when a gRPC server answers SERVING.\n"
              << "\nUsage: " << ttads::config::ProgramName(argc, argv)
              << " [flags]\n"
              << ttads::config::FlagsUsage();
    return 0;
  }
  absl::ParseCommandLine(argc, argv);
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_address),
                                     grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_wait);
  std::string last = "no answer";
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(absl::GetFlag(FLAGS_service));
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      std::cout << "SERVING\n";
      return 0;
    }
    last = status.ok()
               ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                     response.status())
               : status.error_message();
    if (absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  std::cerr << absl::GetFlag(FLAGS_address) << ": " << last << "\n";
  return 1;
}
