// Security properties of the suite, checked end to end against the real
// identity and preflight servers in-process (private redis-server, the
// TikTok simulator):
// - secrets at rest: after a full OAuth flow no Redis value and no byte of
//   the append-only file holds an API key or a TikTok access token;
// - secrets in logs: no log line of that flow (debug level, every access
//   line) holds them;
// - tenant isolation: every identity RPC and PublishCheck, and every ads
//   and audience RPC (real servers in-process), called with team B's keys
//   on team A's objects answers NOT_FOUND / PERMISSION_DENIED / empty /
//   no token, returns nothing of A's, changes nothing of A's at TikTok,
//   and never makes a TikTok call with team A's token (the simulator counts
//   calls per token);
// - role rules: a manager falls back to a teammate's connection, a
//   mediabuyer never does;
// - revocation: a revoked key is refused by the next call.
#include <dirent.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/log/log.h"
#include "libs/store/reply.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_input.h"
#include "services/ads/ads_server.h"
#include "services/audience/audience_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/rpc_details.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.grpc.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::security {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::AddressOf;
using ::ttads::testing::Authorize;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StartService;
using ::ttads::testing::StubOf;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace sim = ::ttads::tiktok_sim::seed;
namespace idv1 = ::ttads::identity::v1;
namespace pfv1 = ::ttads::preflight::v1;
namespace adsv1 = ::ttads::ads::v1;
namespace compatv1 = ::ttads::compat::v1;
namespace audv1 = ::ttads::audience::v1;

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

// What one matrix row's call gave team B.
struct Verdict {
  grpc::Status status;
  // The answer as text, searched for team A's secrets.
  std::string text;
  // An OK answer that refuses in its body (an empty list, the tool shape's
  // success=false).
  bool refused_in_body = false;
};

// Team B on team A's objects may get NOT_FOUND, PERMISSION_DENIED
// (ADVERTISER_NOT_REACHABLE), FAILED_PRECONDITION NO_TOKEN (no connection
// of their own), or an OK answer that holds nothing.
::testing::AssertionResult IsRefusal(const Verdict& v) {
  const grpc::Status& s = v.status;
  if (s.ok() && v.refused_in_body) return ::testing::AssertionSuccess();
  if (s.error_code() == grpc::StatusCode::NOT_FOUND ||
      s.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return ::testing::AssertionSuccess();
  }
  if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
      ::ttads::testing::ReasonOf(s) == "NO_TOKEN") {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "code " << s.error_code() << " (" << s.error_message()
         << "), answer: " << v.text;
}

// One RPC of the matrix: `call(key, advertiser_id)`; `secrets` are extra
// strings of team A's this answer must not hold.
struct Row {
  std::string rpc;
  std::function<Verdict(const std::string&, const std::string&)> call;
  std::vector<std::string> secrets;
};

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log::SetSinkForTesting([](std::string_view line) { logs_->Add(line); });
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    env["TTADS_LOG_LEVEL"] = "debug";
    env["TTADS_OAUTH_CONSENT_URL"] =
        fixture_->sim().root_url() + "/portal/auth";
    auto identity =
        StartService<identity::IdentityServer>(identity::IdentitySchema(), env);
    ASSERT_THAT(identity, IsOk());
    identity_ = identity->release();
    const std::string identity_address = AddressOf(*identity_);
    identity_stub_ = StubOf<idv1::IdentityService>(*identity_);

    env["TTADS_IDENTITY_ADDRESS"] = identity_address;
    env["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
    auto preflight = StartService<preflight::PreflightServer>(
        preflight::PreflightSchema(), env);
    ASSERT_THAT(preflight, IsOk());
    preflight_ = preflight->release();
    preflight_stub_ = StubOf<pfv1::PreflightService>(*preflight_);

    env["TTADS_PREFLIGHT_ADDRESS"] = AddressOf(*preflight_);
    env["TTADS_ADS_WATCH_INTERVAL_MS"] = "100";
    auto ads = StartService<ads::AdsServer>(ads::AdsSchema(), env);
    ASSERT_THAT(ads, IsOk());
    ads_ = ads->release();
    ads_stub_ = StubOf<adsv1::AdsService>(*ads_);

    env["TTADS_AUDIENCE_WORKERS"] = "1";
    env["TTADS_AUDIENCE_MAX_FILE_BYTES"] = "65000";
    env["TTADS_AUDIENCE_CHUNK_DIGESTS"] = "1000";
    env["TTADS_AUDIENCE_CLAIM_IDLE_MS"] = "500";
    env["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto audience =
        StartService<audience::AudienceServer>(audience::AudienceSchema(), env);
    ASSERT_THAT(audience, IsOk());
    audience_ = audience->release();
    audience_->StartBackground();
    audience_stub_ = StubOf<audv1::AudienceService>(*audience_);
    encryption_key_ = env["TTADS_TOKEN_ENCRYPTION_KEY"];
  }

  void SetUp() override {
    auto a = fixture_->CreateTeam();
    ASSERT_THAT(a, IsOk());
    a_ = *a;
    auto b = fixture_->CreateTeam();
    ASSERT_THAT(b, IsOk());
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
    EXPECT_THAT(identity_stub_->StartConnection(&start_ctx, start, &started),
                GrpcIsOk());
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    idv1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(fixture_->sim().MintAuthCode(advertisers));
    idv1::Connection connection;
    grpc::Status s = identity_stub_->CompleteConnection(&ctx, req, &connection);
    EXPECT_THAT(s, GrpcIsOk());
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
    EXPECT_THAT(s, GrpcIsOk());
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

  // Stores a TikTok connection of `member` reaching `advertisers`, as the
  // identity service would (token encrypted), and returns its token.
  std::string StoreConnection(const TestTeam& team, const std::string& member,
                              std::vector<std::string> advertisers) {
    auto key = crypto::ParseKey(encryption_key_);
    EXPECT_THAT(key, IsOk());
    connections::RedisConnectionStore store(&fixture_->redis(), *key);
    connections::Connection c;
    c.connection_id = absl::StrCat("conn_", member);
    c.team_id = team.team_id;
    c.member_id = member;
    for (const auto& a : advertisers) c.advertisers.push_back({a, ""});
    c.create_time = absl::Now();
    const std::string token = fixture_->sim().IssueAccessToken(advertisers);
    EXPECT_THAT(store.Create(c, token), IsOk());
    return token;
  }

  // Requests that reached the simulator carrying `token`.
  uint64_t TokenCalls(const std::string& token) {
    return fixture_->sim().WithState(
        [&](tiktok_sim::SimState& s) { return s.tokens[token].calls; });
  }

  // Everything the simulator holds for team A's advertisers.
  std::string SimStateOfA() {
    return fixture_->sim().DumpAdvertiser(sim::kAdvertiserTtUser).dump() +
           fixture_->sim().DumpAdvertiser(sim::kAdvertiserNoTtUser).dump();
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
    EXPECT_THAT(keys, IsOk());
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
  static ads::AdsServer* ads_;
  static audience::AudienceServer* audience_;
  static std::unique_ptr<adsv1::AdsService::Stub> ads_stub_;
  static std::unique_ptr<audv1::AudienceService::Stub> audience_stub_;
  static std::string encryption_key_;
  TestTeam a_, b_;
};

SuiteFixture* SecurityTest::fixture_ = nullptr;
LogCapture* SecurityTest::logs_ = new LogCapture();
identity::IdentityServer* SecurityTest::identity_ = nullptr;
preflight::PreflightServer* SecurityTest::preflight_ = nullptr;
std::unique_ptr<idv1::IdentityService::Stub> SecurityTest::identity_stub_;
std::unique_ptr<pfv1::PreflightService::Stub> SecurityTest::preflight_stub_;
ads::AdsServer* SecurityTest::ads_ = nullptr;
audience::AudienceServer* SecurityTest::audience_ = nullptr;
std::unique_ptr<adsv1::AdsService::Stub> SecurityTest::ads_stub_;
std::unique_ptr<audv1::AudienceService::Stub> SecurityTest::audience_stub_;
std::string SecurityTest::encryption_key_;

TEST_F(SecurityTest, SecretsAreNeitherStoredInClearNorLogged) {
  Connect(a_.owner_key);
  ConnectAccount(a_.owner_key, sim::kAdvertiserNoTtUser);
  idv1::CheckIdentityResponse check;
  ASSERT_THAT(Check(a_.owner_key, sim::kAdvertiserTtUser, &check), GrpcIsOk());
  EXPECT_TRUE(check.has_identity());
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.manager_key);
    pfv1::PublishCheckRequest req;
    req.set_objective("TRAFFIC");
    pfv1::PublishCheckResponse resp;
    grpc::Status s = preflight_stub_->PublishCheck(&ctx, req, &resp);
    EXPECT_THAT(s, GrpcIsOk());
  }
  // A bad key is logged as a failure, never as the key.
  {
    idv1::CheckIdentityResponse out;
    EXPECT_THAT(Check(a_.owner_key + "x", sim::kAdvertiserTtUser, &out),
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  }

  const std::vector<std::string> tokens = SimTokens();
  ASSERT_FALSE(tokens.empty());
  const std::vector<std::string> keys = {a_.owner_key, a_.manager_key,
                                         a_.mediabuyer_key, b_.owner_key,
                                         a_.owner_key + "x"};
  // At rest: live values and the append-only file on disk.
  // Best effort: Redis refuses a rewrite while one is already running.
  fixture_->redis().Command({"BGREWRITEAOF"}).status().IgnoreError();
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
      ASSERT_THAT(identity_stub_->ListConnections(&ctx, {}, &resp), GrpcIsOk());
      EXPECT_EQ(resp.connections_size(), 0);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::RevokeConnectionRequest req;
      req.set_connection_id(connection.connection_id());
      idv1::Connection out;
      EXPECT_THAT(identity_stub_->RevokeConnection(&ctx, req, &out),
                  GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ListAccountsResponse resp;
      ASSERT_THAT(identity_stub_->ListAccounts(&ctx, {}, &resp), GrpcIsOk());
      EXPECT_EQ(resp.accounts_size(), 0);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::GetBrandIdentityRequest req;
      req.set_account_id(account);
      idv1::BrandIdentity out;
      EXPECT_THAT(identity_stub_->GetBrandIdentity(&ctx, req, &out),
                  GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
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
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
    }
    {
      idv1::CheckIdentityResponse out;
      ASSERT_THAT(Check(key, sim::kAdvertiserTtUser, &out), GrpcIsOk());
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
      // B has no TikTok connection of its own (a mediabuyer may not use
      // a teammate's either).
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                                  HasSubstr("no active TikTok connection")));
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::CreateIdentityRequest req;
      req.set_advertiser_id(sim::kAdvertiserTtUser);
      req.set_display_name("Hijack");
      req.set_image_uri("7107000000000000001");
      ttads::common::v1::Identity out;
      EXPECT_THAT(identity_stub_->CreateIdentity(&ctx, req, &out),
                  GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                               HasSubstr("no active TikTok connection")));
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, key);
      idv1::ResolveIdentityRequest req;
      req.set_account_id(account);
      idv1::ResolveIdentityResponse out;
      grpc::Status s = identity_stub_->ResolveIdentity(&ctx, req, &out);
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
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
  ASSERT_THAT(identity_stub_->ListAccounts(&ctx, {}, &mine), GrpcIsOk());
  EXPECT_EQ(mine.accounts_size(), 1);
}

TEST_F(SecurityTest, ManagerFallsBackToTeammateConnectionMediabuyerDoesNot) {
  Connect(a_.owner_key, {sim::kAdvertiserTtUser});
  idv1::CheckIdentityResponse manager;
  ASSERT_THAT(Check(a_.manager_key, sim::kAdvertiserTtUser, &manager),
              GrpcIsOk());
  EXPECT_TRUE(manager.has_identity());
  EXPECT_EQ(manager.identity_id(), sim::kIdentityTtUser);

  idv1::CheckIdentityResponse buyer;
  ASSERT_THAT(Check(a_.mediabuyer_key, sim::kAdvertiserTtUser, &buyer),
              GrpcIsOk());
  EXPECT_FALSE(buyer.has_identity());
  EXPECT_EQ(buyer.reason(), "no_token");

  // With a connection of their own, the mediabuyer uses it.
  Connect(a_.mediabuyer_key, {sim::kAdvertiserTtUser});
  ASSERT_THAT(Check(a_.mediabuyer_key, sim::kAdvertiserTtUser, &buyer),
              GrpcIsOk());
  EXPECT_TRUE(buyer.has_identity());
}

// Services cache key answers (auth::CachingTeamStore); a revocation made
// anywhere reaches them over Redis pub/sub, so the key is refused as soon as
// that message is delivered (well under a millisecond on one Redis) — the
// test allows up to one second for a loaded machine, then insists.
TEST_F(SecurityTest, RevokedKeyIsRefusedByTheNextCall) {
  auto issued = fixture_->teams().IssueApiKey(a_.team_id, a_.manager_id);
  ASSERT_THAT(issued, IsOk());
  idv1::CheckIdentityResponse out;
  ASSERT_THAT(Check(issued->plaintext, sim::kAdvertiserTtUser, &out),
              GrpcIsOk());
  ASSERT_THAT(fixture_->teams().RevokeApiKey(issued->key_id), IsOk());
  grpc::Status s;
  for (int i = 0; i < 100; ++i) {
    s = Check(issued->plaintext, sim::kAdvertiserTtUser, &out);
    if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  grpc::ClientContext ctx;
  Authorize(&ctx, issued->plaintext);
  idv1::ListConnectionsResponse list;
  EXPECT_THAT(identity_stub_->ListConnections(&ctx, {}, &list),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  // The other keys of the member's team keep working.
  EXPECT_THAT(Check(a_.manager_key, sim::kAdvertiserTtUser, &out), GrpcIsOk());
}

// Runs every row with each of team B's keys, twice: naming team A's
// advertiser (must be refused) and naming none (B's owner and manager then
// act on B's own advertiser with B's token and must find nothing of A's;
// any answer is fine there but one holding A's data). Never may an answer
// hold `secrets` or the row's own secrets.
void RunMatrix(const std::vector<Row>& rows, const TestTeam& b,
               const std::vector<std::string>& secrets) {
  // What each RPC answered when A's advertiser was named, for the record.
  std::map<std::string, std::set<int>> codes;
  for (const std::string& key :
       {b.owner_key, b.manager_key, b.mediabuyer_key}) {
    const char* role = key == b.owner_key     ? "owner"
                       : key == b.manager_key ? "manager"
                                              : "mediabuyer";
    for (const std::string advertiser : {sim::kAdvertiserTtUser, ""}) {
      for (const Row& row : rows) {
        SCOPED_TRACE(absl::StrCat(row.rpc, " as B's ", role, ", advertiser=\"",
                                  advertiser, "\""));
        const Verdict v = row.call(key, advertiser);
        if (!advertiser.empty()) {
          EXPECT_TRUE(IsRefusal(v));
          codes[row.rpc].insert(v.status.error_code());
        }
        for (const auto* list : {&secrets, &row.secrets}) {
          for (const std::string& secret : *list) {
            EXPECT_FALSE(absl::StrContains(v.text, secret))
                << "team A's " << secret << " in " << v.text;
          }
        }
      }
    }
  }
  for (const auto& [rpc, seen] : codes) {
    std::string list;
    for (int code : seen) absl::StrAppend(&list, list.empty() ? "" : ",", code);
    std::printf("isolation: %s -> codes {%s}\n", rpc.c_str(), list.c_str());
  }
}

TEST_F(SecurityTest, AdsRpcsShowAnotherTeamNothingAndSpendNoTokenOfOurs) {
  const std::string token_a = StoreConnection(
      a_, a_.owner_id, {sim::kAdvertiserTtUser, sim::kAdvertiserNoTtUser});
  const std::string token_b =
      StoreConnection(b_, b_.owner_id, {sim::kAdvertiserBc});
  // Team A's ad.
  adsv1::AdInput mine;
  mine.set_advertiser_id(sim::kAdvertiserTtUser);
  mine.set_adgroup_id(sim::AdGroupId(1, 1));
  mine.set_ad_name("Team A private ad");
  mine.set_ad_text("Team A private text");
  mine.set_landing_page_url("https://a.example.com/private");
  mine.set_video_id(sim::kVideoAdv1);
  mine.set_request_id("team-a-ad-1");
  std::string ad_a;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.owner_key);
    adsv1::Ad out;
    grpc::Status s =
        ads_stub_->CreateAd(&ctx, ::ttads::ads::ToCreateAdRequest(mine), &out);
    ASSERT_THAT(s, GrpcIsOk());
    ASSERT_FALSE(out.ad_id().empty());
    ad_a = out.ad_id();
  }
  const uint64_t calls_a = TokenCalls(token_a);
  const std::string state_a = SimStateOfA();
  ASSERT_TRUE(absl::StrContains(state_a, "Team A private ad"));

  auto unary = [](auto rpc) {
    return [rpc](const std::string& key, const std::string& adv) {
      grpc::ClientContext ctx;
      Authorize(&ctx, key, 10);
      Verdict v;
      rpc(&ctx, adv, &v);
      return v;
    };
  };
  std::vector<Row> rows;
  rows.push_back({"UploadImage", unary([&](grpc::ClientContext* ctx,
                                           const std::string& adv, Verdict* v) {
                    adsv1::UploadImageRequest req;
                    req.set_advertiser_id(adv);
                    req.set_file_id("7107000000000000001");
                    adsv1::Image out;
                    v->status = ads_stub_->UploadImage(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  rows.push_back({"UploadVideo", unary([&](grpc::ClientContext* ctx,
                                           const std::string& adv, Verdict* v) {
                    adsv1::UploadVideoRequest req;
                    req.set_advertiser_id(adv);
                    req.set_video_id(sim::kVideoAdv1);
                    adsv1::Video out;
                    v->status = ads_stub_->UploadVideo(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  // Team A's exact request, request id included: no replay across teams.
  rows.push_back(
      {"CreateAd (A's request_id)",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         adsv1::AdInput req = mine;
         req.set_advertiser_id(adv);
         adsv1::Ad out;
         v->status = ads_stub_->CreateAd(
             ctx, ::ttads::ads::ToCreateAdRequest(req), &out);
         v->text = out.DebugString();
       }),
       {ad_a}});
  rows.push_back(
      {"ExecuteAddTikTokAd",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         compatv1::ExecuteAddTikTokAdRequest req;
         req.mutable_arguments()->ParseFromString(mine.SerializeAsString());
         req.mutable_arguments()->set_advertiser_id(adv);
         req.mutable_arguments()->set_request_id("team-b-tool");
         compatv1::ExecuteAddTikTokAdResponse out;
         v->status =
             StubOf<compatv1::AdspirerToolsService>(*ads_)->ExecuteAddTikTokAd(
                 ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = !out.success() && out.is_error();
       }),
       {ad_a}});
  rows.push_back({"GetAd", unary([&](grpc::ClientContext* ctx,
                                     const std::string& adv, Verdict* v) {
                    adsv1::GetAdRequest req;
                    req.set_advertiser_id(adv);
                    req.set_ad_id(ad_a);
                    adsv1::Ad out;
                    v->status = ads_stub_->GetAd(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  rows.push_back(
      {"ListAds",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         adsv1::ListAdsRequest req;
         req.set_advertiser_id(adv);
         req.add_adgroup_ids(sim::AdGroupId(1, 1));
         req.set_primary_status("STATUS_ALL");
         adsv1::ListAdsResponse out;
         v->status = ads_stub_->ListAds(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.ads_size() == 0;
       }),
       {ad_a}});
  rows.push_back({"SetAdStatus", unary([&](grpc::ClientContext* ctx,
                                           const std::string& adv, Verdict* v) {
                    adsv1::SetAdStatusRequest req;
                    req.set_advertiser_id(adv);
                    req.add_ad_ids(ad_a);
                    req.set_operation_status(adsv1::AD_OPERATION_DELETE);
                    adsv1::SetAdStatusResponse out;
                    v->status = ads_stub_->SetAdStatus(ctx, req, &out);
                    v->text = out.DebugString();
                    v->refused_in_body = out.updated_ad_ids_size() == 0;
                  })});
  rows.push_back({"UpdateAd", unary([&](grpc::ClientContext* ctx,
                                        const std::string& adv, Verdict* v) {
                    adsv1::UpdateAdRequest req;
                    req.set_advertiser_id(adv);
                    req.set_ad_id(ad_a);
                    req.mutable_ad()->set_ad_name("Hijacked by team B");
                    google::protobuf::util::FieldMaskUtil::FromString(
                        "ad_name", req.mutable_update_mask());
                    adsv1::Ad out;
                    v->status = ads_stub_->UpdateAd(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  rows.push_back(
      {"ListAdReports",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         adsv1::ListAdReportsRequest req;
         req.set_advertiser_id(adv);
         req.add_dimensions("ad_id");
         req.add_metrics("spend");
         req.set_lifetime(true);
         adsv1::ListAdReportsResponse out;
         v->status = ads_stub_->ListAdReports(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.rows_size() == 0;
       }),
       {ad_a}});
  rows.push_back({"WatchAds",
                  [&](const std::string& key, const std::string& adv) {
                    grpc::ClientContext ctx;
                    Authorize(&ctx, key, 2);
                    adsv1::WatchAdsRequest req;
                    req.set_advertiser_id(adv);
                    auto reader = ads_stub_->WatchAds(&ctx, req);
                    Verdict v;
                    adsv1::AdEvent event;
                    while (reader->Read(&event)) v.text += event.DebugString();
                    v.status = reader->Finish();
                    return v;
                  },
                  {ad_a}});
  rows.push_back(
      {"ListIdentityVideos",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         adsv1::ListIdentityVideosRequest req;
         req.set_advertiser_id(adv);
         req.set_identity_id(sim::kIdentityTtUser);
         adsv1::ListIdentityVideosResponse out;
         v->status = ads_stub_->ListIdentityVideos(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.videos_size() == 0;
       }),
       {sim::kItemTtUser1}});
  rows.push_back(
      {"CallTikTokApi",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         adsv1::CallTikTokApiRequest req;
         req.set_advertiser_id(adv);
         req.set_path("/ad/get/");
         req.set_method(adsv1::HTTP_METHOD_GET);
         adsv1::CallTikTokApiResponse out;
         v->status = ads_stub_->CallTikTokApi(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.code() != 0;
       }),
       {ad_a}});
  ASSERT_EQ(rows.size(), 12u) << "one row per AdsService RPC";

  const uint64_t calls_b_before = TokenCalls(token_b);
  RunMatrix(rows, b_, {"Team A private ad", "Team A private text"});

  // Team A's token was never used for team B; nothing of A's changed.
  EXPECT_EQ(TokenCalls(token_a), calls_a);
  EXPECT_EQ(SimStateOfA(), state_a);
  // The matrix did reach TikTok with B's own token (the no-advertiser
  // rows), so the per-token count is not vacuous.
  EXPECT_GT(TokenCalls(token_b), calls_b_before);
  // Team A still sees its ad, unchanged.
  grpc::ClientContext ctx;
  Authorize(&ctx, a_.owner_key);
  adsv1::GetAdRequest get;
  get.set_advertiser_id(sim::kAdvertiserTtUser);
  get.set_ad_id(ad_a);
  adsv1::Ad ad;
  ASSERT_THAT(ads_stub_->GetAd(&ctx, get, &ad), GrpcIsOk());
  EXPECT_EQ(ad.ad_name().rfind("Team A private ad", 0), 0u) << ad.ad_name();
  EXPECT_GT(TokenCalls(token_a), calls_a);
}

TEST_F(SecurityTest, AudienceRpcsShowAnotherTeamNothingAndSpendNoTokenOfOurs) {
  const std::string token_a = StoreConnection(
      a_, a_.owner_id, {sim::kAdvertiserTtUser, sim::kAdvertiserNoTtUser});
  const std::string token_b =
      StoreConnection(b_, b_.owner_id, {sim::kAdvertiserBc});
  auto sync = [&](const std::string& key, const std::string& adv,
                  const std::string& audience, audv1::MemberOperation op, int n,
                  audv1::SyncJob* job) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key, 20);
    auto writer = audience_stub_->SyncMembers(&ctx, job);
    audv1::SyncMembersRequest first;
    first.set_advertiser_id(adv);
    first.set_audience_id(audience);
    first.set_operation(op);
    auto* batch = first.add_batches();
    batch->set_type(audv1::IDENTIFIER_TYPE_EMAIL);
    for (int i = 0; i < n; ++i) {
      batch->add_values(absl::StrCat("team-a-member", i, "@example.com"));
    }
    writer->Write(first);
    writer->WritesDone();
    return writer->Finish();
  };
  // Team A's audience, on TikTok with 1,200 members.
  const std::string name =
      absl::StrCat("team-a-private-audience-", absl::ToUnixNanos(absl::Now()));
  audv1::Audience aud_a;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.owner_key);
    audv1::CreateAudienceRequest req;
    req.set_advertiser_id(sim::kAdvertiserTtUser);
    req.mutable_audience()->set_name(name);
    req.mutable_audience()->add_identifier_types(audv1::IDENTIFIER_TYPE_EMAIL);
    grpc::Status s = audience_stub_->CreateAudience(&ctx, req, &aud_a);
    ASSERT_THAT(s, GrpcIsOk());
  }
  audv1::SyncJob job_a;
  ASSERT_THAT(sync(a_.owner_key, sim::kAdvertiserTtUser, aud_a.audience_id(),
                   audv1::MEMBER_OPERATION_ADD, 1200, &job_a),
              GrpcIsOk());
  auto get_a = [&](audv1::Audience* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.owner_key);
    audv1::GetAudienceRequest req;
    req.set_advertiser_id(sim::kAdvertiserTtUser);
    req.set_audience_id(aud_a.audience_id());
    return audience_stub_->GetAudience(&ctx, req, out);
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  audv1::SyncJob done;
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    Authorize(&ctx, a_.owner_key);
    audv1::GetSyncJobRequest req;
    req.set_job_id(job_a.job_id());
    ASSERT_THAT(audience_stub_->GetSyncJob(&ctx, req, &done), GrpcIsOk());
    if (done.state() == audv1::SYNC_JOB_STATE_SUCCEEDED ||
        done.state() == audv1::SYNC_JOB_STATE_FAILED) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(done.state(), audv1::SYNC_JOB_STATE_SUCCEEDED)
      << done.DebugString();
  audv1::Audience before;
  ASSERT_THAT(get_a(&before), GrpcIsOk());
  const std::string tiktok_a = before.tiktok_audience_id();
  ASSERT_FALSE(tiktok_a.empty());
  const uint64_t calls_a = TokenCalls(token_a);
  const std::string state_a = SimStateOfA();
  ASSERT_TRUE(absl::StrContains(state_a, tiktok_a));

  auto unary = [](auto rpc) {
    return [rpc](const std::string& key, const std::string& adv) {
      grpc::ClientContext ctx;
      Authorize(&ctx, key, 10);
      Verdict v;
      rpc(&ctx, adv, &v);
      return v;
    };
  };
  auto disqualify = [&](grpc::ClientContext* ctx, const std::string& adv,
                        const std::string& audience, Verdict* v) {
    audv1::DisqualifyMembersRequest req;
    req.set_advertiser_id(adv);
    req.set_audience_id(audience);
    auto* batch = req.add_batches();
    batch->set_type(audv1::IDENTIFIER_TYPE_EMAIL);
    batch->add_values("team-a-member1@example.com");
    audv1::DisqualifyMembersResponse out;
    v->status = audience_stub_->DisqualifyMembers(ctx, req, &out);
    v->text = out.DebugString();
    v->refused_in_body = out.audience_ids_size() == 0;
  };
  std::vector<Row> rows;
  rows.push_back(
      {"CreateAudience",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         audv1::CreateAudienceRequest req;
         req.set_advertiser_id(adv);
         req.mutable_audience()->set_name(name);
         req.mutable_audience()->add_identifier_types(
             audv1::IDENTIFIER_TYPE_EMAIL);
         audv1::Audience out;
         v->status = audience_stub_->CreateAudience(ctx, req, &out);
         v->text = out.DebugString();
       })});
  rows.push_back(
      {"ListAudiences",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         audv1::ListAudiencesRequest req;
         req.set_advertiser_id(adv);
         audv1::ListAudiencesResponse out;
         v->status = audience_stub_->ListAudiences(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.audiences_size() == 0;
       }),
       {aud_a.audience_id()}});
  rows.push_back({"GetAudience", unary([&](grpc::ClientContext* ctx,
                                           const std::string& adv, Verdict* v) {
                    audv1::GetAudienceRequest req;
                    req.set_advertiser_id(adv);
                    req.set_audience_id(aud_a.audience_id());
                    audv1::Audience out;
                    v->status = audience_stub_->GetAudience(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  rows.push_back(
      {"DeleteAudience",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         audv1::DeleteAudienceRequest req;
         req.set_advertiser_id(adv);
         req.set_audience_id(aud_a.audience_id());
         audv1::DeleteAudienceResponse out;
         v->status = audience_stub_->DeleteAudience(ctx, req, &out);
       })});
  for (auto op :
       {audv1::MEMBER_OPERATION_ADD, audv1::MEMBER_OPERATION_REMOVE}) {
    rows.push_back({op == audv1::MEMBER_OPERATION_ADD ? "SyncMembers ADD"
                                                      : "SyncMembers REMOVE",
                    [&, op](const std::string& key, const std::string& adv) {
                      Verdict v;
                      audv1::SyncJob out;
                      v.status =
                          sync(key, adv, aud_a.audience_id(), op, 1100, &out);
                      v.text = out.DebugString();
                      return v;
                    }});
  }
  rows.push_back({"GetSyncJob", unary([&](grpc::ClientContext* ctx,
                                          const std::string&, Verdict* v) {
                    audv1::GetSyncJobRequest req;
                    req.set_job_id(job_a.job_id());
                    audv1::SyncJob out;
                    v->status = audience_stub_->GetSyncJob(ctx, req, &out);
                    v->text = out.DebugString();
                  })});
  rows.push_back(
      {"ListSyncJobs (A's audience)",
       unary([&](grpc::ClientContext* ctx, const std::string&, Verdict* v) {
         audv1::ListSyncJobsRequest req;
         req.set_audience_id(aud_a.audience_id());
         audv1::ListSyncJobsResponse out;
         v->status = audience_stub_->ListSyncJobs(ctx, req, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.jobs_size() == 0;
       }),
       {job_a.job_id()}});
  rows.push_back(
      {"ListSyncJobs (all)",
       unary([&](grpc::ClientContext* ctx, const std::string&, Verdict* v) {
         audv1::ListSyncJobsResponse out;
         v->status = audience_stub_->ListSyncJobs(ctx, {}, &out);
         v->text = out.DebugString();
         v->refused_in_body = out.jobs_size() == 0;
       }),
       {job_a.job_id(), aud_a.audience_id()}});
  rows.push_back(
      {"DisqualifyMembers (A's audience)",
       unary([&](grpc::ClientContext* ctx, const std::string& adv, Verdict* v) {
         disqualify(ctx, adv, aud_a.audience_id(), v);
       })});
  rows.push_back({"DisqualifyMembers (every audience of the advertiser)",
                  unary([&](grpc::ClientContext* ctx, const std::string& adv,
                            Verdict* v) { disqualify(ctx, adv, "", v); }),
                  {aud_a.audience_id()}});

  const std::vector<std::string> secrets = {name, tiktok_a};
  RunMatrix(rows, b_, secrets);

  // Team A's token was never used for team B; nothing of A's changed at
  // TikTok, and A's audience, jobs and queued removals are as they were.
  EXPECT_EQ(TokenCalls(token_a), calls_a);
  EXPECT_EQ(SimStateOfA(), state_a);
  audv1::Audience after;
  ASSERT_THAT(get_a(&after), GrpcIsOk());
  EXPECT_EQ(after.size(), 1200);
  EXPECT_EQ(after.pending_removals(), 0);
  EXPECT_EQ(after.history_size(), before.history_size());
  grpc::ClientContext ctx;
  Authorize(&ctx, a_.owner_key);
  audv1::ListSyncJobsResponse jobs;
  ASSERT_THAT(audience_stub_->ListSyncJobs(&ctx, {}, &jobs), GrpcIsOk());
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.jobs(0).job_id(), job_a.job_id());
  (void)token_b;
}

}  // namespace
}  // namespace ttads::security
