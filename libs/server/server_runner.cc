#include "libs/server/server_runner.h"

#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "libs/server/decode_guard.h"
#include "libs/status/status_macros.h"

namespace ttads::server {

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)), metrics_(options_.name) {}

ServerRunner::~ServerRunner() {
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

void ServerRunner::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

absl::Status ServerRunner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  TTADS_ASSIGN_OR_RETURN(const DescriptorSource* descriptors,
                         SuiteDescriptorSource());
  std::vector<std::string> names = {
      "grpc.health.v1.Health",
      grpc::reflection::v1::ServerReflection::service_full_name(),
      grpc::reflection::v1alpha::ServerReflection::service_full_name()};
  for (const auto& [service, name] : services_) names.push_back(name);
  std::sort(names.begin(), names.end());
  reflection_v1_ = std::make_unique<ReflectionV1>(*descriptors, names);
  reflection_v1alpha_ =
      std::make_unique<ReflectionV1Alpha>(*descriptors, std::move(names));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address,
                           grpc::InsecureServerCredentials(), &port_);
  for (auto& [service, name] : services_) builder.RegisterService(service);
  builder.RegisterService(reflection_v1_.get());
  builder.RegisterService(reflection_v1alpha_.get());
  if (options_.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(
                                   options_.max_connection_age)));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(
                                   options_.max_connection_age_grace)));
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<DecodeGuardFactory>());
  // After the guard: the metrics see the status the guard may substitute.
  interceptors.push_back(metrics_.ServerInterceptor());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address));
  }
  auto* health = server_->GetHealthCheckService();
  for (auto& [service, name] : services_) health->SetServingStatus(name, true);
  health->SetServingStatus("", true);
  if (!options_.admin_address.empty()) {
    TTADS_RETURN_IF_ERROR(metrics_.Serve(options_.admin_address));
  }
  return absl::OkStatus();
}

void ServerRunner::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    if (server_) {
      // NOT_SERVING first so load balancers and probes stop sending traffic.
      server_->GetHealthCheckService()->SetServingStatus(false);
      absl::SleepFor(options_.drain);
      server_->Shutdown(
          absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
      server_->Wait();
    }
    std::lock_guard<std::mutex> lock(done_mu_);
    done_ = true;
    done_cv_.notify_all();
  });
}

void ServerRunner::Wait() {
  std::unique_lock<std::mutex> lock(done_mu_);
  done_cv_.wait(lock, [this] { return done_; });
}

void ServerRunner::BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ServerRunner::RunUntilSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  std::cerr << "{\"level\":\"info\",\"msg\":\"draining\",\"service\":\""
            << options_.name << "\",\"signal\":" << signal_number << "}\n";
  Shutdown();
}

}  // namespace ttads::server
