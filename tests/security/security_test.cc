// Security properties of the suite, checked end to end against the real
// identity and preflight servers in-process (private redis-server, the
// TikTok simulator):
// - secrets at rest: after a full OAuth flow no Redis value and no byte of
//   the append-only file holds an API key or a TikTok access token;
// - secrets in logs: no log line of that flow (debug level, every access
//   line) holds them;
// - tenant isolation: every identity RPC and PublishCheck called with team
//   B's keys on team A's objects answers NOT_FOUND / empty / no_token, and
//   never makes a TikTok call with team A's token;
// - role rules: a manager falls back to a teammate's connection, a
//   mediabuyer never does;
// - revocation: a revoked key is refused by the next call.
#include <dirent.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/log/log.h"
#include "libs/store/reply.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::security {
namespace {

using ::ttads::testing::Authorize;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace sim = ::ttads::tiktok_sim::seed;
namespace idv1 = ::ttads::identity::v1;
namespace pfv1 = ::ttads::preflight::v1;

// Every log line written while the suite runs.
class LogCapture {
 public:
  void Add(std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.emplace_back(line);
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file under `dir` (the AOF lives in appendonlydir/), concatenated.
std::string ReadTree(const std::string& dir) {
  std::string out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    if (e->d_type == DT_DIR) {
      out += ReadTree(path);
    } else {
      out += ReadFile(path);
    }
  }
  closedir(d);
  return out;
}

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log::SetSinkForTesting([](std::string_view line) { logs_->Add(line); });
    auto fixture = SuiteFixture::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    env["TTADS_LOG_LEVEL"] = "debug";
    env["TTADS_OAUTH_CONSENT_URL"] =
        fixture_->sim().root_url() + "/portal/auth";
    auto config = config::Load(identity::IdentitySchema(), "", env);
    ASSERT_TRUE(config.ok()) << config.status();
    auto identity = identity::IdentityServer::Create(*config);
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_ = identity->release();
    ASSERT_TRUE(identity_->kit().runner().Start().ok());
    const std::string identity_address =
        absl::StrCat("127.0.0.1:", identity_->kit().runner().port());
    identity_stub_ = idv1::IdentityService::NewStub(grpc::CreateChannel(
        identity_address, grpc::InsecureChannelCredentials()));

    env["TTADS_IDENTITY_ADDRESS"] = identity_address;
    env["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
    auto pf_config = config::Load(preflight::PreflightSchema(), "", env);
    ASSERT_TRUE(pf_config.ok()) << pf_config.status();
    auto preflight = preflight::PreflightServer::Create(*pf_config);
    ASSERT_TRUE(preflight.ok()) << preflight.status();
    preflight_ = preflight->release();
    ASSERT_TRUE(preflight_->kit().runner().Start().ok());
    preflight_stub_ = pfv1::PreflightService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", preflight_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
  }

  void SetUp() override {
    auto a = fixture_->CreateTeam();
    ASSERT_TRUE(a.ok()) << a.status();
    a_ = *a;
    auto b = fixture_->CreateTeam();
    ASSERT_TRUE(b.ok()) << b.status();
    b_ = *b;
  }

  // The OAuth flow through identity for `key`.
  idv1::Connection Connect(const std::string& key,
                           std::vector<std::string> advertisers = {
                               sim::kAdvertiserTtUser,
                               sim::kAdvertiserNoTtUser}) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, key);
    idv1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/tiktok/callback");
    idv1::StartConnectionResponse started;
    EXPECT_TRUE(
        identity_stub_->StartConnection(&start_ctx, start, &started).ok());
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    idv1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(fixture_->sim().MintAuthCode(advertisers));
    idv1::Connection connection;
    grpc::Status s = identity_stub_->CompleteConnection(&ctx, req, &connection);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return connection;
  }

  std::string ConnectAccount(const std::string& key,
                             const std::string& advertiser) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    idv1::ConnectAdsAccountRequest req;
    req.set_platform("tiktok");
    req.set_advertiser_id(advertiser);
    idv1::ConnectAdsAccountResponse resp;
    grpc::Status s = identity_stub_->ConnectAdsAccount(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.account().account_id();
  }

  grpc::Status Check(const std::string& key, const std::string& advertiser,
                     idv1::CheckIdentityResponse* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    idv1::CheckIdentityRequest req;
    req.set_advertiser_id(advertiser);
    return identity_stub_->CheckIdentity(&ctx, req, out);
  }

  // Every access token the simulator has issued so far.
  std::vector<std::string> SimTokens() {
    return fixture_->sim().WithState([](tiktok_sim::SimState& s) {
      std::vector<std::string> out;
      for (const auto& [token, unused] : s.tokens) out.push_back(token);
      return out;
    });
  }

  int64_t SimCallsTotal() {
    int64_t n = 0;
    for (const auto& [path, c] : fixture_->sim().stats().calls) n += c.total;
    return n;
  }

  // Every value in Redis, by type, as text.
  std::string AllRedisValues() {
    std::string out;
    auto keys = store::ScanKeys(fixture_->redis(), "*");
    EXPECT_TRUE(keys.ok());
    for (const std::string& key : *keys) {
      out += key + "\n";
      auto type = fixture_->redis().Command({"TYPE", key});
      if (!type.ok()) continue;
      std::vector<std::string> cmd;
      if (type->str == "string") cmd = {"GET", key};
      if (type->str == "hash") cmd = {"HGETALL", key};
      if (type->str == "zset") cmd = {"ZRANGE", key, "0", "-1"};
      if (type->str == "set") cmd = {"SMEMBERS", key};
      if (type->str == "list") cmd = {"LRANGE", key, "0", "-1"};
      if (type->str == "stream") cmd = {"XRANGE", key, "-", "+"};
      if (cmd.empty()) continue;
      auto v = fixture_->redis().Command(cmd);
      if (!v.ok()) continue;
      std::function<void(const store::RedisReply&)> add =
          [&](const store::RedisReply& r) {
            out += r.str + "\n";
            for (const auto& e : r.elements) add(e);
          };
      add(*v);
    }
    return out;
  }

  static SuiteFixture* fixture_;
  static LogCapture* logs_;
  static identity::IdentityServer* identity_;
  static preflight::PreflightServer* preflight_;
  static std::unique_ptr<idv1::IdentityService::Stub> identity_stub_;
  static std::unique_ptr<pfv1::PreflightService::Stub> preflight_stub_;
  TestTeam a_, b_;
};

SuiteFixture* SecurityTest::fixture_ = nullptr;
LogCapture* SecurityTest::logs_ = new LogCapture();
identity::IdentityServer* SecurityTest::identity_ = nullptr;
preflight::PreflightServer* SecurityTest::preflight_ = nullptr;
std::unique_ptr<idv1::IdentityService::Stub> SecurityTest::identity_stub_;
std::unique_ptr<pfv1::PreflightService::Stub> SecurityTest::preflight_stub_;

TEST_F(SecurityTest, SecretsAreNeitherStoredInClearNorLogged) {
  Connect(a_.owner_key);
  ConnectAccount(a_.owner_key, sim::kAdvertiserNoTtUser);
  idv1::CheckIdentityResponse check;
  ASSERT_TRUE(Check(a_.owner_key, sim::kAdvertiserTtUser, &check).ok());
  EXPECT_TRUE(check.has_identity());
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.manager_key);
    pfv1::PublishCheckRequest req;
    req.set_objective("TRAFFIC");
    pfv1::PublishCheckResponse resp;
    grpc::Status s = preflight_stub_->PublishCheck(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  // A bad key is logged as a failure, never as the key.
  {
    idv1::CheckIdentityResponse out;
    EXPECT_EQ(
        Check(a_.owner_key + "x", sim::kAdvertiserTtUser, &out).error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
  }

  const std::vector<std::string> tokens = SimTokens();
  ASSERT_FALSE(tokens.empty());
  const std::vector<std::string> keys = {a_.owner_key, a_.manager_key,
                                         a_.mediabuyer_key, b_.owner_key,
                                         a_.owner_key + "x"};
  // At rest: live values and the append-only file on disk.
  ASSERT_TRUE(fixture_->redis().Command({"BGREWRITEAOF"}).ok() || true);
  const std::string values = AllRedisValues();
  const std::string disk = ReadTree(fixture_->redis_server().dir());
  EXPECT_GT(values.size(), 100u);
  EXPECT_TRUE(absl::StrContains(disk, "conn")) << "AOF not found or empty";
  // The secret part of a key: "ttads_" + 43 characters.
  for (const std::string& key : keys) {
    const std::string secret = key.substr(6, 20);
    EXPECT_FALSE(absl::StrContains(values, secret)) << "API key in Redis";
    EXPECT_FALSE(absl::StrContains(disk, secret)) << "API key in the AOF";
  }
  for (const std::string& token : tokens) {
    EXPECT_FALSE(absl::StrContains(values, token)) << "token in Redis";
    EXPECT_FALSE(absl::StrContains(disk, token)) << "token in the AOF";
  }
  // Logs of everything so far (all tests of this binary share the sink).
  const std::vector<std::string> lines = logs_->lines();
  EXPECT_FALSE(lines.empty()) << "no log line captured: the check is void";
  for (const std::string& line : lines) {
    for (const std::string& key : keys) {
      EXPECT_FALSE(absl::StrContains(line, key.substr(6, 20))) << line;
    }
    for (const std::string& token : tokens) {
      EXPECT_FALSE(absl::StrContains(line, token)) << line;
    }
  }
}

TEST_F(SecurityTest, AnotherTeamSeesNothingAndSpendsNoTokenOfOurs) {
  const idv1::Connection connection = Connect(a_.owner_key);
  const std::string account =
      ConnectAccount(a_.owner_key, sim::kAdvertiserNoTtUser);
  ASSERT_FALSE(account.empty());
  const int64_t calls_before = SimCallsTotal();

  for (const std::string& key :
       {b_.owner_key, b_.manager_key, b_.mediabuyer_key}) {
    SCOPED_TRACE(key == b_.owner_key     ? "owner"
                 : key == b_.manager_key ? "manager"
                                         : "mediabuyer");
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ListConnectionsResponse resp;
      ASSERT_TRUE(identity_stub_->ListConnections(&ctx, {}, &resp).ok());
      EXPECT_EQ(resp.connections_size(), 0);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::RevokeConnectionRequest req;
      req.set_connection_id(connection.connection_id());
      idv1::Connection out;
      EXPECT_EQ(identity_stub_->RevokeConnection(&ctx, req, &out).error_code(),
                grpc::StatusCode::NOT_FOUND);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ListAccountsResponse resp;
      ASSERT_TRUE(identity_stub_->ListAccounts(&ctx, {}, &resp).ok());
      EXPECT_EQ(resp.accounts_size(), 0);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::GetBrandIdentityRequest req;
      req.set_account_id(account);
      idv1::BrandIdentity out;
      EXPECT_EQ(identity_stub_->GetBrandIdentity(&ctx, req, &out).error_code(),
                grpc::StatusCode::NOT_FOUND);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ConfigureBrandIdentityRequest req;
      req.set_account_id(account);
      req.set_display_name("Hijack");
      req.set_image_url("https://images.example.com/x.png");
      idv1::ConfigureBrandIdentityResponse out;
      grpc::Status s = identity_stub_->ConfigureBrandIdentity(&ctx, req, &out);
      EXPECT_TRUE(s.error_code() == grpc::StatusCode::NOT_FOUND ||
                  s.error_code() == grpc::StatusCode::PERMISSION_DENIED)
          << s.error_code() << " " << s.error_message();
    }
    {
      idv1::CheckIdentityResponse out;
      ASSERT_TRUE(Check(key, sim::kAdvertiserTtUser, &out).ok());
      EXPECT_FALSE(out.has_identity());
      EXPECT_EQ(out.reason(), "no_token");
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ListIdentitiesRequest req;
      req.set_advertiser_id(sim::kAdvertiserTtUser);
      idv1::ListIdentitiesResponse out;
      grpc::Status s = identity_stub_->ListIdentities(&ctx, req, &out);
      EXPECT_EQ(out.identities_size(), 0);
      EXPECT_FALSE(s.ok());
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::CreateIdentityRequest req;
      req.set_advertiser_id(sim::kAdvertiserTtUser);
      req.set_display_name("Hijack");
      req.set_image_uri("7107000000000000001");
      ttads::common::v1::Identity out;
      EXPECT_FALSE(identity_stub_->CreateIdentity(&ctx, req, &out).ok());
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ResolveIdentityRequest req;
      req.set_account_id(account);
      idv1::ResolveIdentityResponse out;
      grpc::Status s = identity_stub_->ResolveIdentity(&ctx, req, &out);
      EXPECT_FALSE(s.ok());
      EXPECT_TRUE(out.identity().identity_id().empty());
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      pfv1::PublishCheckRequest req;
      req.set_objective("TRAFFIC");
      req.set_advertiser_id(sim::kAdvertiserTtUser);
      pfv1::PublishCheckResponse out;
      grpc::Status s = preflight_stub_->PublishCheck(&ctx, req, &out);
      if (s.ok()) {
        EXPECT_FALSE(out.ready());
        ASSERT_GT(out.checks_size(), 0);
        EXPECT_EQ(out.checks(0).reason(), "no_token");
      }
    }
  }
  // Team A's token was never spent on team B's behalf.
  EXPECT_EQ(SimCallsTotal(), calls_before);

  // Team A still sees its own objects.
  grpc::ClientContext ctx;
  Authorize(&ctx, a_.owner_key);
  idv1::ListAccountsResponse mine;
  ASSERT_TRUE(identity_stub_->ListAccounts(&ctx, {}, &mine).ok());
  EXPECT_EQ(mine.accounts_size(), 1);
}

TEST_F(SecurityTest, ManagerFallsBackToTeammateConnectionMediabuyerDoesNot) {
  Connect(a_.owner_key, {sim::kAdvertiserTtUser});
  idv1::CheckIdentityResponse manager;
  ASSERT_TRUE(Check(a_.manager_key, sim::kAdvertiserTtUser, &manager).ok());
  EXPECT_TRUE(manager.has_identity());
  EXPECT_EQ(manager.identity_id(), sim::kIdentityTtUser);

  idv1::CheckIdentityResponse buyer;
  ASSERT_TRUE(Check(a_.mediabuyer_key, sim::kAdvertiserTtUser, &buyer).ok());
  EXPECT_FALSE(buyer.has_identity());
  EXPECT_EQ(buyer.reason(), "no_token");

  // With a connection of their own, the mediabuyer uses it.
  Connect(a_.mediabuyer_key, {sim::kAdvertiserTtUser});
  ASSERT_TRUE(Check(a_.mediabuyer_key, sim::kAdvertiserTtUser, &buyer).ok());
  EXPECT_TRUE(buyer.has_identity());
}

// Services cache key answers (auth::CachingTeamStore); a revocation made
// anywhere reaches them over Redis pub/sub, so the key is refused as soon as
// that message is delivered (well under a millisecond on one Redis) — the
// test allows up to one second for a loaded machine, then insists.
TEST_F(SecurityTest, RevokedKeyIsRefusedByTheNextCall) {
  auto issued = fixture_->teams().IssueApiKey(a_.team_id, a_.manager_id);
  ASSERT_TRUE(issued.ok()) << issued.status();
  idv1::CheckIdentityResponse out;
  ASSERT_TRUE(Check(issued->plaintext, sim::kAdvertiserTtUser, &out).ok());
  ASSERT_TRUE(fixture_->teams().RevokeApiKey(issued->key_id).ok());
  grpc::StatusCode code = grpc::StatusCode::OK;
  for (int i = 0; i < 100 && code != grpc::StatusCode::UNAUTHENTICATED; ++i) {
    code = Check(issued->plaintext, sim::kAdvertiserTtUser, &out).error_code();
    if (code != grpc::StatusCode::UNAUTHENTICATED) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(code, grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext ctx;
  Authorize(&ctx, issued->plaintext);
  idv1::ListConnectionsResponse list;
  EXPECT_EQ(identity_stub_->ListConnections(&ctx, {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The other keys of the member's team keep working.
  EXPECT_TRUE(Check(a_.manager_key, sim::kAdvertiserTtUser, &out).ok());
}

}  // namespace
}  // namespace ttads::security
