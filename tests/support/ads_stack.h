#ifndef TTADS_TESTS_SUPPORT_ADS_STACK_H_
#define TTADS_TESTS_SUPPORT_ADS_STACK_H_

// The ads service with the services it calls, for tests that create ads
// through gRPC against the TikTok simulator: identity, then preflight (its
// result cache off, so each check reads the simulator), then ads, started
// in-process the way their main() does (service_start.h), each pointed at
// the one before. Header-only: a test that includes it links the three
// services' domain libraries itself.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/ads/ads_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::testing {

struct AdsStack {
  std::unique_ptr<identity::IdentityServer> identity;
  std::unique_ptr<preflight::PreflightServer> preflight;
  std::unique_ptr<ads::AdsServer> ads;
  std::unique_ptr<ads::v1::AdsService::Stub> ads_stub;
  std::unique_ptr<identity::v1::IdentityService::Stub> identity_stub;

  // `env`: SuiteFixture::ServiceEnv() plus the test's own TTADS_* values
  // (they apply to all three services). Errors: the first service's that
  // fails to configure or start.
  static absl::StatusOr<std::unique_ptr<AdsStack>> Start(
      std::map<std::string, std::string> env) {
    auto stack = std::make_unique<AdsStack>();
    auto identity =
        StartService<identity::IdentityServer>(identity::IdentitySchema(), env);
    if (!identity.ok()) return identity.status();
    stack->identity = *std::move(identity);
    env["TTADS_IDENTITY_ADDRESS"] = AddressOf(*stack->identity);
    env["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
    auto preflight = StartService<preflight::PreflightServer>(
        preflight::PreflightSchema(), env);
    if (!preflight.ok()) return preflight.status();
    stack->preflight = *std::move(preflight);
    env["TTADS_PREFLIGHT_ADDRESS"] = AddressOf(*stack->preflight);
    auto ads = StartService<ads::AdsServer>(ads::AdsSchema(), env);
    if (!ads.ok()) return ads.status();
    stack->ads = *std::move(ads);
    stack->ads_stub = StubOf<ads::v1::AdsService>(*stack->ads);
    stack->identity_stub =
        StubOf<identity::v1::IdentityService>(*stack->identity);
    return stack;
  }

  // Connects `advertisers` to the team of `key` through the identity
  // service, as a member does: StartConnection, then CompleteConnection
  // with an auth code the simulator mints for them.
  absl::Status Connect(tiktok_sim::TikTokSim& sim, const std::string& key,
                       const std::vector<std::string>& advertisers) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, key);
    identity::v1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/tiktok/callback");
    identity::v1::StartConnectionResponse started;
    grpc::Status s =
        identity_stub->StartConnection(&start_ctx, start, &started);
    if (s.ok()) {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      identity::v1::CompleteConnectionRequest req;
      req.set_state(started.state());
      req.set_auth_code(sim.MintAuthCode(advertisers));
      identity::v1::Connection connection;
      s = identity_stub->CompleteConnection(&ctx, req, &connection);
    }
    return s.ok() ? absl::OkStatus()
                  : absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                                 s.error_message());
  }
};

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_ADS_STACK_H_
