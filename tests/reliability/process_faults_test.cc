// A service killed mid-request, at the process level: the real ttads-ads
// and ttads-audience binaries run as child processes (configured by
// environment, as scripts/up.sh does) against a private redis-server (AOF
// on) and the in-process TikTok simulator, and are SIGKILLed at a moment the
// simulator makes deterministic:
// - ads: TikTok has applied a CreateAd but holds its answer
//   (apply_then_timeout) when the ads process dies; the caller retries the
//   same request_id on a second ads process and ends with exactly one ad
//   (the dead owner's idempotency lease runs out, the retry looks the ad up
//   by its name marker before sending anything);
// - audience: two audience processes share the job stream's consumer
//   group; the one holding a 60,000-identifier sync job dies while it
//   uploads file 53 (50 files applied, 2 uploaded but not applied); the
//   other claims the job after the claim-idle time and finishes it: TikTok's
//   audience holds every identifier, each digest was applied exactly once,
//   and the job reports SUCCEEDED with the right counts.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/testing/free_port.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/identity_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"
#include "ttads/compat/v1/zernio_ads_service.grpc.pb.h"

namespace ttads::reliability {
namespace {

using ::ttads::testing::Authorize;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
using ::ttads::tiktok_sim::FaultMode;
namespace sim = ::ttads::tiktok_sim::seed;
namespace adsv1 = ::ttads::ads::v1;
namespace compatv1 = ::ttads::compat::v1;
namespace audv1 = ::ttads::audience::v1;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One service binary running as a child process with `env` as its whole
// environment, stdout/stderr in a log file. It dies with the test process
// (PR_SET_PDEATHSIG) and is SIGKILLed by the destructor.
class ServiceProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, std::map<std::string, std::string> env) {
    auto port = ::ttads::testing::FreePort();
    if (!port.ok()) return port.status();
    env["TTADS_LISTEN_ADDRESS"] = absl::StrCat("127.0.0.1:", *port);
    auto p = std::unique_ptr<ServiceProcess>(new ServiceProcess());
    p->address_ = env["TTADS_LISTEN_ADDRESS"];
    char log_template[] = "/tmp/ttads-process-test-XXXXXX";
    const int log_fd = ::mkstemp(log_template);
    if (log_fd < 0) return absl::InternalError("mkstemp failed");
    p->log_path_ = log_template;
    // Everything the child needs is built before fork: only async-signal-
    // safe calls happen between fork and exec.
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string bin = binary;
    char* argv[] = {bin.data(), nullptr};
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return absl::InternalError("fork failed");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
      ::execve(bin.c_str(), argv, envp.data());
      ::_exit(127);
    }
    ::close(log_fd);
    p->pid_ = pid;
    if (absl::Status s = p->WaitHealthy(absl::Seconds(30)); !s.ok()) {
      return absl::UnavailableError(
          absl::StrCat(binary, " did not become healthy: ", s.message(),
                       "\nlog:\n", p->log()));
    }
    return p;
  }

  ~ServiceProcess() {
    Kill();
    if (!log_path_.empty()) std::remove(log_path_.c_str());
  }

  pid_t pid() const { return pid_; }
  const std::string& address() const { return address_; }
  std::string log() const { return ReadFile(log_path_); }

  // SIGKILL and reap. Idempotent.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  ServiceProcess() = default;

  absl::Status WaitHealthy(absl::Duration timeout) {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    const absl::Time deadline = absl::Now() + timeout;
    std::string last = "no answer";
    while (absl::Now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::InternalError("the process exited");
      }
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(500));
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      grpc::Status s = stub->Check(&ctx, req, &resp);
      if (s.ok() &&
          resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        return absl::OkStatus();
      }
      last = s.error_message();
      absl::SleepFor(absl::Milliseconds(50));
    }
    return absl::DeadlineExceededError(last);
  }

  pid_t pid_ = -1;
  std::string address_;
  std::string log_path_;
};

class ProcessFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    env_ = fixture_->ServiceEnv();
    // Stores the owner's connection as identity would (token encrypted).
    auto key = crypto::ParseKey(env_["TTADS_TOKEN_ENCRYPTION_KEY"]);
    ASSERT_THAT(key, IsOk());
    connections::RedisConnectionStore store(&fixture_->redis(), *key);
    connections::Connection c;
    c.connection_id = "conn_owner";
    c.team_id = team_.team_id;
    c.member_id = team_.owner_id;
    c.advertisers = {{sim::kAdvertiserTtUser, "Demo Brand"}};
    c.create_time = absl::Now();
    ASSERT_THAT(store.Create(c, fixture_->sim().IssueAccessToken(
                                    {sim::kAdvertiserTtUser})),
                IsOk());
  }

  std::unique_ptr<SuiteFixture> fixture_;
  std::map<std::string, std::string> env_;
  TestTeam team_;
};

TEST_F(ProcessFaultsTest, AdsKilledWhileTikTokHoldsTheCreateYieldsOneAd) {
  // Identity (ResolveIdentity) runs in-process; the ads service is the
  // process under test.
  auto identity_env = env_;
  auto identity = testing::StartService<identity::IdentityServer>(
      identity::IdentitySchema(), identity_env);
  ASSERT_THAT(identity, IsOk());
  auto ads_env = env_;
  ads_env["TTADS_IDENTITY_ADDRESS"] = testing::AddressOf(**identity);
  ads_env["TTADS_ADS_PREFLIGHT"] = "false";
  // A dead owner's claim on the request id is taken over after 3 s (the
  // default, 2 min, is longer than any live call holds it).
  ads_env["TTADS_ADS_IDEMPOTENCY_LEASE_MS"] = "3000";

  auto first = ServiceProcess::Start(TTADS_ADS_BINARY, ads_env);
  ASSERT_THAT(first, IsOk());

  // TikTok creates the ad, then holds the answer far beyond the test.
  fixture_->sim().AddFault({.path_prefix = "/ad/create/",
                            .mode = FaultMode::kApplyThenTimeout,
                            .latency_ms = 120000,
                            .count = 1});
  // Zernio's shape, which answers the notes and `replayed`.
  compatv1::CreateAdRequest req;
  req.set_advertiser_id(sim::kAdvertiserTtUser);
  req.set_adgroup_id(sim::AdGroupId(1, 1));
  req.set_ad_name("Killed mid-create");
  req.set_ad_text("One ad whatever happens");
  req.set_landing_page_url("https://shop.example.com/one");
  req.set_video_id(sim::kVideoAdv1);
  req.set_request_id("process-killed-mid-create");
  const size_t ads_before = fixture_->sim().stats().ads;

  auto create = [&](const std::string& address, compatv1::CreateAdResponse* out,
                    int deadline_s) {
    auto stub = compatv1::ZernioAdsService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key, deadline_s);
    return stub->CreateAd(&ctx, req, out);
  };
  grpc::Status in_flight;
  std::thread caller([&] {
    compatv1::CreateAdResponse out;
    in_flight = create((*first)->address(), &out, 30);
  });
  // The create has reached TikTok and was applied; its answer is held.
  const absl::Time wait_until = absl::Now() + absl::Seconds(20);
  while (fixture_->sim().stats().ads == ads_before &&
         absl::Now() < wait_until) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(fixture_->sim().stats().ads, ads_before + 1)
      << "the create never reached the simulator\n"
      << (*first)->log();
  const absl::Time killed_at = absl::Now();
  (*first)->Kill();
  caller.join();
  EXPECT_THAT(in_flight, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));

  // The caller retries the same request on another ads process.
  auto second = ServiceProcess::Start(TTADS_ADS_BINARY, ads_env);
  ASSERT_THAT(second, IsOk());
  compatv1::CreateAdResponse retry;
  grpc::Status s = create((*second)->address(), &retry, 30);
  const absl::Duration recovered = absl::Now() - killed_at;
  ASSERT_THAT(s, GrpcIsOk()) << (*second)->log();
  ASSERT_EQ(retry.ad_ids_size(), 1);
  EXPECT_EQ(fixture_->sim().stats().ads, ads_before + 1);
  bool reconciled = false;
  for (const auto& note : retry.notes()) {
    reconciled |= absl::StrContains(note, "reconciled");
  }
  EXPECT_TRUE(reconciled) << retry.DebugString();
  // The answer names the ad TikTok created under the first process.
  const std::string name =
      fixture_->sim().WithState([&](tiktok_sim::SimState& st) -> std::string {
        auto it = st.ads.find(retry.ad_ids(0));
        return it == st.ads.end() ? "" : it->second.value("ad_name", "");
      });
  EXPECT_TRUE(absl::StartsWith(name, "Killed mid-create")) << name;
  // Further retries replay it.
  compatv1::CreateAdResponse again;
  ASSERT_THAT(create((*second)->address(), &again, 20), GrpcIsOk());
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.ad_ids(0), retry.ad_ids(0));
  EXPECT_EQ(fixture_->sim().stats().ads, ads_before + 1);
  EXPECT_EQ(fixture_->sim().stats().calls["/ad/create/"].total, 1);
  std::printf(
      "ads killed mid-create: one ad; retry answered %.0f ms after the kill "
      "(lease 3 s, includes starting the second process)\n",
      absl::ToDoubleMilliseconds(recovered));
  (*identity)->kit().runner().Shutdown();
}

TEST_F(ProcessFaultsTest, AudienceWorkerKilledMidJobIsFinishedByTheOther) {
  constexpr int kMembers = 60000;
  auto audience_env = env_;
  audience_env["TTADS_AUDIENCE_WORKERS"] = "1";
  audience_env["TTADS_AUDIENCE_MAX_FILE_BYTES"] = "65000";  // 999 a file
  audience_env["TTADS_AUDIENCE_CHUNK_DIGESTS"] = "10000";
  audience_env["TTADS_AUDIENCE_CLAIM_IDLE_MS"] = "2000";
  // Uploads 1-52 pass (50 applied as one group, 2 uploaded); upload 53 is
  // held for two minutes: the worker is inside it when it is killed.
  const std::string upload = "/dmp/custom_audience/file/upload/";
  fixture_->sim().AddFault({.path_prefix = upload,
                            .mode = FaultMode::kLatency,
                            .latency_ms = 1,
                            .count = 52});
  const int hold = fixture_->sim().AddFault({.path_prefix = upload,
                                             .mode = FaultMode::kLatency,
                                             .latency_ms = 120000,
                                             .count = 1});
  std::vector<std::unique_ptr<ServiceProcess>> workers;
  for (int i = 0; i < 2; ++i) {
    auto w = ServiceProcess::Start(TTADS_AUDIENCE_BINARY, audience_env);
    ASSERT_THAT(w, IsOk());
    workers.push_back(*std::move(w));
  }
  auto stub_of = [](const ServiceProcess& p) {
    return audv1::AudienceService::NewStub(
        grpc::CreateChannel(p.address(), grpc::InsecureChannelCredentials()));
  };
  auto receiver = stub_of(*workers[0]);

  audv1::Audience audience;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::CreateAudienceRequest req;
    req.set_advertiser_id(sim::kAdvertiserTtUser);
    req.mutable_audience()->set_name(
        absl::StrCat("killed-worker-", absl::ToUnixNanos(absl::Now())));
    req.mutable_audience()->add_identifier_types(audv1::IDENTIFIER_TYPE_EMAIL);
    grpc::Status s = receiver->CreateAudience(&ctx, req, &audience);
    ASSERT_THAT(s, GrpcIsOk());
  }
  audv1::SyncJob job;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key, 60);
    auto writer = receiver->SyncMembers(&ctx, &job);
    audv1::SyncMembersRequest first;
    first.set_advertiser_id(sim::kAdvertiserTtUser);
    first.set_audience_id(audience.audience_id());
    first.set_operation(audv1::MEMBER_OPERATION_ADD);
    ASSERT_TRUE(writer->Write(first));
    for (int i = 0; i < kMembers; i += 1000) {
      audv1::SyncMembersRequest req;
      auto* batch = req.add_batches();
      batch->set_type(audv1::IDENTIFIER_TYPE_EMAIL);
      for (int k = i; k < i + 1000; ++k) {
        batch->add_values(absl::StrCat("member", k, "@example.com"));
      }
      ASSERT_TRUE(writer->Write(req));
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_THAT(s, GrpcIsOk());
  }
  ASSERT_EQ(job.received(), kMembers);

  // Wait until the worker holding the job is inside upload 53.
  auto fired = [&] {
    for (const auto& rule : fixture_->sim().Faults()) {
      if (rule["id"] == hold) return rule["fired"].get<long long>();
    }
    return -1LL;
  };
  const absl::Time hold_deadline = absl::Now() + absl::Seconds(40);
  while (fired() < 1 && absl::Now() < hold_deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(fired(), 1) << "upload 53 was never reached\n"
                        << workers[0]->log() << workers[1]->log();
  // The holder is the consumer with the pending stream entry.
  auto pending = fixture_->redis().Command(
      {"XPENDING", "ttads:audience:jobs", "audience-workers", "-", "+", "10"});
  ASSERT_THAT(pending, IsOk());
  ASSERT_EQ(pending->elements.size(), 1u);
  const std::string consumer = pending->elements[0].elements[1].str;
  std::vector<std::string> parts = absl::StrSplit(consumer, '-');
  ASSERT_GE(parts.size(), 3u) << consumer;
  int holder_pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(parts[parts.size() - 2], &holder_pid))
      << consumer;
  int holder = -1;
  for (int i = 0; i < 2; ++i) {
    if (workers[i]->pid() == holder_pid) holder = i;
  }
  ASSERT_NE(holder, -1) << consumer;
  const auto progress = [&](audv1::AudienceService::Stub* stub) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key, 10);
    audv1::GetSyncJobRequest req;
    req.set_job_id(job.job_id());
    audv1::SyncJob out;
    grpc::Status s = stub->GetSyncJob(&ctx, req, &out);
    EXPECT_THAT(s, GrpcIsOk());
    return out;
  };
  auto survivor = stub_of(*workers[1 - holder]);
  const audv1::SyncJob at_kill = progress(survivor.get());
  EXPECT_EQ(at_kill.files_uploaded(), 50) << at_kill.DebugString();
  EXPECT_EQ(at_kill.state(), audv1::SYNC_JOB_STATE_RUNNING);

  const absl::Time killed_at = absl::Now();
  workers[holder]->Kill();

  audv1::SyncJob done;
  const absl::Time deadline = absl::Now() + absl::Seconds(45);
  while (absl::Now() < deadline) {
    done = progress(survivor.get());
    if (done.state() == audv1::SYNC_JOB_STATE_SUCCEEDED ||
        done.state() == audv1::SYNC_JOB_STATE_FAILED) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  const absl::Duration finished = absl::Now() - killed_at;
  ASSERT_EQ(done.state(), audv1::SYNC_JOB_STATE_SUCCEEDED)
      << done.DebugString() << "\n"
      << workers[1 - holder]->log();
  // 60,000 identifiers in 61 files of at most 999: every one applied once.
  EXPECT_EQ(done.received(), kMembers);
  EXPECT_EQ(done.duplicates(), 0);
  EXPECT_EQ(done.uploaded().at("EMAIL"), kMembers);
  EXPECT_EQ(done.files_uploaded(), 61);
  EXPECT_TRUE(done.error_code().empty()) << done.DebugString();

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  audv1::GetAudienceRequest get;
  get.set_advertiser_id(sim::kAdvertiserTtUser);
  get.set_audience_id(audience.audience_id());
  audv1::Audience got;
  ASSERT_THAT(survivor->GetAudience(&ctx, get, &got), GrpcIsOk());
  EXPECT_EQ(got.size(), kMembers);
  EXPECT_EQ(got.history_size(), 61);
  const auto stats = fixture_->sim().stats();
  ASSERT_EQ(stats.audiences, 1u);
  const auto& remote = stats.audience.at(got.tiktok_audience_id());
  EXPECT_EQ(remote.members, static_cast<size_t>(kMembers));
  // No file applied twice: TikTok received each digest exactly once.
  EXPECT_EQ(remote.digests_received, static_cast<uint64_t>(kMembers));
  // Nothing left pending in the consumer group.
  auto left = fixture_->redis().Command(
      {"XPENDING", "ttads:audience:jobs", "audience-workers"});
  ASSERT_THAT(left, IsOk());
  EXPECT_EQ(left->elements[0].integer, 0);
  std::printf(
      "audience worker killed at file 53 of 61 (60,000 ids): the other "
      "process finished the job %.0f ms after the kill (claim idle 2 s); "
      "%zu members, %llu digests received\n",
      absl::ToDoubleMilliseconds(finished), remote.members,
      static_cast<unsigned long long>(remote.digests_received));
}

}  // namespace
}  // namespace ttads::reliability
