// Whole-path fuzzing of the four gRPC services (issue 15, docs/reliability.md
// "Whole-path service fuzzing"). One input is one call: the first byte picks
// an RPC among every RPC of identity, preflight, ads and audience (in
// descriptor order), the rest is sent as the serialized request (the one
// message of a client stream). The real servers run in-process, as
// `make up` wires them, against a private redis-server and the in-process
// TikTok simulator (tests/support/suite_fixture.h), over loopback gRPC, with
// the key of a team whose owner is connected to the simulator's advertisers.
//
// Invariants (a violation aborts, which libFuzzer and the standalone driver
// report as a crash):
//  * no crash (the servers share the process);
//  * no hang: every call has a deadline (10 s; 300 ms for the WatchAds
//    stream, which legitimately runs until cancelled) and DEADLINE_EXCEEDED
//    is a failure except on that stream;
//  * no INTERNAL, UNKNOWN, UNIMPLEMENTED or DATA_LOSS answer;
//  * every 64 inputs, each server still answers Health/Check SERVING.
#include "fuzz/service_fuzzer.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "services/ads/ads_server.h"
#include "services/audience/audience_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::fuzz {
namespace {

using ::ttads::testing::AddressOf;
using ::ttads::testing::StartService;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "service_fuzzer: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

template <typename T>
T* Must(absl::StatusOr<std::unique_ptr<T>> started, const char* what) {
  if (!started.ok()) Die(absl::StrCat(what, ": ", started.status().ToString()));
  return started->release();
}

// The suite, started once per process and never stopped (the fuzzer exits).
class Suite {
 public:
  static Suite& Get() {
    static Suite* suite = new Suite;
    return *suite;
  }

  const std::vector<Rpc>& rpcs() const { return rpcs_; }

  grpc::Status Call(const Rpc& rpc, const std::string& bytes) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + key_);
    ctx.set_deadline(absl::ToChronoTime(
        absl::Now() +
        (rpc.server_streaming ? absl::Milliseconds(300) : absl::Seconds(10))));
    return testing::CallRaw(channels_[rpc.server], rpc.path, {bytes}, &ctx);
  }

  void CheckHealth() {
    for (size_t i = 0; i < channels_.size(); ++i) {
      auto stub = grpc::health::v1::Health::NewStub(channels_[i]);
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      grpc::health::v1::HealthCheckResponse resp;
      grpc::Status s = stub->Check(&ctx, {}, &resp);
      if (!s.ok() ||
          resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
        Die(absl::StrCat("server ", i, " does not answer Health/Check: ",
                         s.error_code(), " ", s.error_message()));
      }
    }
  }

 private:
  Suite() {
    auto fixture = testing::SuiteFixture::Start();
    if (!fixture.ok()) Die(fixture.status().ToString());
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    env["TTADS_LOG_LEVEL"] = "error";
    auto* identity = Must(
        StartService<identity::IdentityServer>(identity::IdentitySchema(), env),
        "identity");
    env["TTADS_IDENTITY_ADDRESS"] = AddressOf(*identity);
    auto* preflight = Must(StartService<preflight::PreflightServer>(
                               preflight::PreflightSchema(), env),
                           "preflight");
    env["TTADS_PREFLIGHT_ADDRESS"] = AddressOf(*preflight);
    auto* ads =
        Must(StartService<ads::AdsServer>(ads::AdsSchema(), env), "ads");
    env["TTADS_AUDIENCE_WORKERS"] = "1";
    auto* audience = Must(
        StartService<audience::AudienceServer>(audience::AudienceSchema(), env),
        "audience");
    audience->StartBackground();

    auto team = fixture_->CreateTeam();
    if (!team.ok()) Die(team.status().ToString());
    key_ = team->owner_key;
    auto encryption = crypto::ParseKey(env["TTADS_TOKEN_ENCRYPTION_KEY"]);
    if (!encryption.ok()) Die(encryption.status().ToString());
    connections::RedisConnectionStore conns(&fixture_->redis(), *encryption);
    connections::Connection c;
    c.connection_id = "conn_" + team->team_id;
    c.team_id = team->team_id;
    c.member_id = team->owner_id;
    c.advertisers = {{tiktok_sim::seed::kAdvertiserTtUser, "Demo"},
                     {tiktok_sim::seed::kAdvertiserNoTtUser, "Demo 2"}};
    c.create_time = absl::Now();
    if (absl::Status s =
            conns.Create(c, fixture_->sim().IssueAccessToken(
                                {tiktok_sim::seed::kAdvertiserTtUser,
                                 tiktok_sim::seed::kAdvertiserNoTtUser}));
        !s.ok()) {
      Die(s.ToString());
    }

    const std::vector<std::pair<std::string, std::string>> servers = {
        {AddressOf(*identity), "ttads.identity.v1.IdentityService"},
        {AddressOf(*preflight), "ttads.preflight.v1.PreflightService"},
        {AddressOf(*ads), "ttads.ads.v1.AdsService"},
        {AddressOf(*audience), "ttads.audience.v1.AudienceService"}};
    rpcs_ = AllRpcs();
    for (const auto& [address, name] : servers) {
      channels_.push_back(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    }
  }

  testing::SuiteFixture* fixture_ = nullptr;
  std::string key_;
  std::vector<Rpc> rpcs_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace

std::vector<Rpc> AllRpcs() {
  static constexpr const char* kServices[] = {
      "ttads.identity.v1.IdentityService",
      "ttads.preflight.v1.PreflightService", "ttads.ads.v1.AdsService",
      "ttads.audience.v1.AudienceService"};
  std::vector<Rpc> out;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (int s = 0; s < 4; ++s) {
    const auto* service = pool->FindServiceByName(kServices[s]);
    if (service == nullptr) Die(absl::StrCat("no service ", kServices[s]));
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      out.push_back(
          {s, absl::StrCat("/", service->full_name(), "/", method->name()),
           method, method->server_streaming()});
    }
  }
  return out;
}

void Initialize() { Suite::Get().CheckHealth(); }

grpc::Status RunOne(const uint8_t* data, size_t size) {
  static int runs = 0;
  if (size == 0) return grpc::Status::OK;
  Suite& suite = Suite::Get();
  const Rpc& rpc = suite.rpcs()[data[0] % suite.rpcs().size()];
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const grpc::Status s = suite.Call(rpc, bytes);
  switch (s.error_code()) {
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::DATA_LOSS:
      Die(absl::StrCat(rpc.path, " answered ", s.error_code(), ": ",
                       s.error_message()));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (!rpc.server_streaming) {
        Die(absl::StrCat(rpc.path, " did not answer within its deadline"));
      }
      break;
    default:
      break;
  }
  if (++runs % 64 == 0) suite.CheckHealth();
  return s;
}

}  // namespace ttads::fuzz

#ifndef TTADS_SERVICE_FUZZ_STANDALONE
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ttads::fuzz::Initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)ttads::fuzz::RunOne(data, size);
  return 0;
}
#endif
