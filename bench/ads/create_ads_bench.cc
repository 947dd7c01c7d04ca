// ttads-ads-bench: N concurrent CreateAd calls through gRPC against the
// in-process simulator with added upstream latency. Starts a private
// redis-server, the simulator, the identity service and the ads service in
// this process, connects TikTok through identity's OAuth flow, then fires all
// calls at once with gRPC's callback API (no client thread per call) and
// reports completion time and the process's peak thread count (sampled from
// /proc/self/status). The ads service's TikTok client has no shared rate
// limiter here, so the figure measures the service, not TikTok's
// /ad/create/ budget. Output: one JSON line.
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/tiktok/client_config.h"
#include "nlohmann/json.hpp"
#include "services/ads/ads_server.h"
#include "services/identity/identity_server.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

ABSL_FLAG(int, calls, 1000, "concurrent CreateAd calls");
ABSL_FLAG(int, latency_ms, 200, "latency added to every simulator API call");
ABSL_FLAG(int, work_threads, 32, "TTADS_ADS_WORK_THREADS of the ads service");
ABSL_FLAG(bool, request_ids, true, "give every call its own request_id");
ABSL_FLAG(int, timeout_s, 120, "per-call deadline");

namespace {

using namespace ttads;  // NOLINT: a benchmark's main.
namespace seed = tiktok_sim::seed;

int Threads() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return 0;
}

int Fail(const std::string& what) {
  std::cerr << "ttads-ads-bench: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto fixture = testing::SuiteFixture::Start();
  if (!fixture.ok()) return Fail(fixture.status().ToString());
  auto& f = **fixture;
  auto env = f.ServiceEnv();
  env["TTADS_LOG_LEVEL"] = "error";
  env["TTADS_OAUTH_CONSENT_URL"] = f.sim().root_url() + "/portal/auth";
  auto identity_config = config::Load(identity::IdentitySchema(), "", env);
  if (!identity_config.ok()) return Fail(identity_config.status().ToString());
  auto identity = identity::IdentityServer::Create(*identity_config);
  if (!identity.ok()) return Fail(identity.status().ToString());
  if (!(*identity)->kit().runner().Start().ok()) return Fail("identity start");
  env["TTADS_IDENTITY_ADDRESS"] =
      absl::StrCat("127.0.0.1:", (*identity)->kit().runner().port());
  env["TTADS_ADS_WORK_THREADS"] =
      std::to_string(absl::GetFlag(FLAGS_work_threads));
  env["TTADS_ADS_PREFLIGHT"] = "false";
  auto ads_config = config::Load(ads::AdsSchema(), "", env);
  if (!ads_config.ok()) return Fail(ads_config.status().ToString());
  auto options = tiktok::ClientOptionsFromConfig(*ads_config, nullptr);
  if (!options.ok()) return Fail(options.status().ToString());
  auto client = tiktok::Client::Create(*options);
  if (!client.ok()) return Fail(client.status().ToString());
  ads::AdsServer::Overrides overrides;
  overrides.tiktok = *std::move(client);
  auto server = ads::AdsServer::Create(*ads_config, std::move(overrides));
  if (!server.ok()) return Fail(server.status().ToString());
  if (!(*server)->kit().runner().Start().ok()) return Fail("ads start");

  auto team = f.CreateTeam();
  if (!team.ok()) return Fail(team.status().ToString());
  auto identity_stub =
      identity::v1::IdentityService::NewStub(grpc::CreateChannel(
          env["TTADS_IDENTITY_ADDRESS"], grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team->owner_key);
    identity::v1::StartConnectionResponse started;
    identity::v1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/cb");
    if (!identity_stub->StartConnection(&ctx, start, &started).ok())
      return Fail("oauth start");
    grpc::ClientContext ctx2;
    testing::Authorize(&ctx2, team->owner_key);
    identity::v1::CompleteConnectionRequest complete;
    complete.set_state(started.state());
    complete.set_auth_code(f.sim().MintAuthCode({seed::kAdvertiserTtUser}));
    identity::v1::Connection connection;
    if (!identity_stub->CompleteConnection(&ctx2, complete, &connection).ok()) {
      return Fail("oauth complete");
    }
  }
  auto channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->kit().runner().port()),
      grpc::InsecureChannelCredentials());
  // Zernio's shape of CreateAd: the creation alone (the core method also
  // reads the created ad back).
  auto stub = compat::v1::ZernioAdsService::NewStub(channel);
  compat::v1::CreateAdRequest base;
  base.set_adgroup_id(seed::AdGroupId(1, 1));
  base.set_ad_text("Benchmark ad");
  base.set_landing_page_url("https://shop.example.com/bench");
  base.set_video_id(seed::kVideoAdv1);
  base.set_call_to_action("LEARN_MORE");
  {
    // Warm-up: connections, identity cache.
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team->owner_key);
    compat::v1::CreateAdResponse out;
    grpc::Status s = stub->CreateAd(&ctx, base, &out);
    if (!s.ok()) return Fail("warm-up CreateAd: " + s.error_message());
  }
  f.sim().AddFault({.path_prefix = "",
                    .mode = tiktok_sim::FaultMode::kLatency,
                    .latency_ms = absl::GetFlag(FLAGS_latency_ms)});

  const int n = absl::GetFlag(FLAGS_calls);
  const size_t ads_before = f.sim().stats().ads;
  const int threads_before = Threads();
  std::atomic<int> peak{threads_before};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling.load()) {
      int t = Threads();
      int p = peak.load();
      while (t > p && !peak.compare_exchange_weak(p, t)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });

  struct Call {
    grpc::ClientContext ctx;
    compat::v1::CreateAdRequest req;
    compat::v1::CreateAdResponse resp;
  };
  std::vector<std::unique_ptr<Call>> calls(n);
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::map<std::string, int> codes;
  const absl::Time start = absl::Now();
  for (int i = 0; i < n; ++i) {
    calls[i] = std::make_unique<Call>();
    Call& c = *calls[i];
    testing::Authorize(&c.ctx, team->owner_key, absl::GetFlag(FLAGS_timeout_s));
    c.req = base;
    if (absl::GetFlag(FLAGS_request_ids))
      c.req.set_request_id(absl::StrCat("bench-", i));
    stub->async()->CreateAd(&c.ctx, &c.req, &c.resp, [&](grpc::Status s) {
      std::lock_guard<std::mutex> lock(mu);
      ++codes[s.ok() ? "OK"
                     : absl::StrCat(s.error_code(), ":",
                                    s.error_message().substr(0, 60))];
      if (++done == n) cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done == n; });
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  sampling = false;
  sampler.join();
  f.sim().ClearFaults();
  nlohmann::json out = {{"calls", n},
                        {"latency_ms", absl::GetFlag(FLAGS_latency_ms)},
                        {"work_threads", absl::GetFlag(FLAGS_work_threads)},
                        {"seconds", seconds},
                        {"threads_before", threads_before},
                        {"peak_threads", peak.load()},
                        {"ads_created", f.sim().stats().ads - ads_before},
                        {"codes", codes}};
  std::cout << out.dump() << std::endl;
  return codes["OK"] == n ? 0 : 2;
}
