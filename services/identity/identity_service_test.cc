// Wiring tests of ttads-identity: the real server in-process on an ephemeral
// port, a private redis-server and the TikTok simulator. Each RPC is driven
// end to end at least once, with the real TikTok adapter (request shapes the
// simulator checks) and the real image fetcher. The rules themselves are
// unit-tested against fakes in the *_test.cc files of the domain classes.
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/fetch/stalling_server.h"
#include "libs/fetch/test_images.h"
#include "libs/http/server.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/login_api.h"
#include "services/identity/identity_server.h"
#include "tests/support/rpc_details.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::identity {
namespace {

using ::ttads::testing::Authorize;
using ::ttads::testing::FieldOf;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::ReasonOf;

using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace sim = ::ttads::tiktok_sim::seed;
using ::ttads::tiktok_sim::SimState;

// Serves test images for the Brand Identity.
class ImageHost {
 public:
  ImageHost() {
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [](http::HttpRequest req, http::HttpResponder res) {
          http::HttpResponse r;
          if (req.path == "/square.png") {
            r.body = fetch::testing::MakePng(120, 120, 1);
          } else if (req.path == "/square-other.png") {
            r.body = fetch::testing::MakePng(120, 120, 2);
          } else if (req.path == "/wide.png") {
            r.body = fetch::testing::MakePng(200, 120);
          } else if (req.path == "/huge.png") {
            r.body = fetch::testing::MakePng(120, 120) +
                     std::string(6 * 1024 * 1024, '\0');
          } else {
            r.status = 404;
          }
          res.Send(std::move(r));
        });
    EXPECT_THAT(server_->Start(), IsOk());
  }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), path);
  }
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<http::HttpServer> server_;
};

class IdentityServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    images_ = new ImageHost();
    stalling_ = new fetch::testing::StallingServer();
    server_ = StartServer("opt_in").release();
    stub_ = v1::IdentityService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
  }

  static std::unique_ptr<IdentityServer> StartServer(
      const std::string& policy) {
    auto env = fixture_->ServiceEnv();
    env["TTADS_CUSTOM_IDENTITY_POLICY"] = policy;
    env["TTADS_FETCH_PRIVATE_ALLOWLIST"] = absl::StrCat(
        "127.0.0.1:", images_->port(), ",127.0.0.1:", stalling_->port());
    env["TTADS_OAUTH_CONSENT_URL"] =
        fixture_->sim().root_url() + "/portal/auth";
    auto config = config::Load(IdentitySchema(), "", env);
    EXPECT_THAT(config, IsOk());
    auto server = IdentityServer::Create(*config);
    EXPECT_THAT(server, IsOk());
    EXPECT_THAT((*server)->kit().runner().Start(), IsOk());
    return *std::move(server);
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
  }

  // Runs the OAuth flow for `key` against the simulator.
  absl::StatusOr<v1::Connection> Connect(
      const std::string& key,
      std::vector<std::string> advertisers = {sim::kAdvertiserTtUser,
                                              sim::kAdvertiserNoTtUser}) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, key);
    v1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/tiktok/callback");
    v1::StartConnectionResponse started;
    grpc::Status s = stub_->StartConnection(&start_ctx, start, &started);
    if (!s.ok()) return absl::InternalError(s.error_message());
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    v1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(fixture_->sim().MintAuthCode(advertisers));
    v1::Connection connection;
    s = stub_->CompleteConnection(&ctx, req, &connection);
    if (!s.ok()) return absl::InternalError(s.error_message());
    return connection;
  }

  grpc::Status Check(const std::string& key, const std::string& advertiser,
                     v1::CheckIdentityResponse* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    v1::CheckIdentityRequest req;
    req.set_advertiser_id(advertiser);
    return stub_->CheckIdentity(&ctx, req, out);
  }

  int64_t SimCalls(const std::string& path) {
    auto stats = fixture_->sim().stats();
    auto it = stats.calls.find(path);
    return it == stats.calls.end() ? 0 : it->second.total;
  }

  std::string TtUserAccount() {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ConnectAdsAccountRequest req;
    req.set_platform("tiktok");
    req.set_advertiser_id(sim::kAdvertiserNoTtUser);
    v1::ConnectAdsAccountResponse resp;
    EXPECT_THAT(stub_->ConnectAdsAccount(&ctx, req, &resp), GrpcIsOk());
    return resp.account().account_id();
  }

  grpc::Status ConfigureBrand(
      const std::string& key, const std::string& account,
      const std::string& name, const std::string& url,
      v1::ConfigureBrandIdentityResponse* out,
      absl::Duration timeout = absl::InfiniteDuration()) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    if (timeout != absl::InfiniteDuration()) {
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    }
    v1::ConfigureBrandIdentityRequest req;
    req.set_account_id(account);
    req.set_display_name(name);
    req.set_image_url(url);
    return stub_->ConfigureBrandIdentity(&ctx, req, out);
  }

  static SuiteFixture* fixture_;
  static ImageHost* images_;
  static fetch::testing::StallingServer* stalling_;
  static IdentityServer* server_;
  static std::unique_ptr<v1::IdentityService::Stub> stub_;
  TestTeam team_;
};

SuiteFixture* IdentityServiceTest::fixture_ = nullptr;
ImageHost* IdentityServiceTest::images_ = nullptr;
fetch::testing::StallingServer* IdentityServiceTest::stalling_ = nullptr;
IdentityServer* IdentityServiceTest::server_ = nullptr;
std::unique_ptr<v1::IdentityService::Stub> IdentityServiceTest::stub_;

// --- Connections -----------------------------------------------------------

TEST_F(IdentityServiceTest, OAuthFlowStoresConnectionWithoutExposingToken) {
  auto connection = Connect(team_.owner_key);
  ASSERT_THAT(connection, IsOk());
  EXPECT_EQ(connection->state(), v1::CONNECTION_STATE_ACTIVE);
  ASSERT_EQ(connection->advertisers_size(), 2);
  EXPECT_EQ(connection->advertisers(0).advertiser_id(), sim::kAdvertiserTtUser);
  EXPECT_FALSE(connection->advertisers(0).advertiser_name().empty());
  EXPECT_GT(connection->scopes_size(), 0);

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::ListConnectionsResponse list;
  ASSERT_THAT(stub_->ListConnections(&ctx, {}, &list), GrpcIsOk());
  ASSERT_EQ(list.connections_size(), 1);
  EXPECT_EQ(list.connections(0).member_id(), team_.owner_id);
  // The access token is stored encrypted: no raw Redis value holds it.
  auto raw = fixture_->redis().Command(
      {"HGET",
       connections::ConnectionKey(team_.team_id, connection->connection_id()),
       "token"});
  ASSERT_THAT(raw, IsOk());
  EXPECT_FALSE(raw->str.empty());
  EXPECT_FALSE(absl::StrContains(raw->str, "act."));
}

TEST_F(IdentityServiceTest, ReusedAuthCodeIsRefusedAndStoresNothing) {
  const std::string code =
      fixture_->sim().MintAuthCode({sim::kAdvertiserTtUser});
  for (int attempt = 0; attempt < 2; ++attempt) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, team_.owner_key);
    v1::StartConnectionResponse started;
    ASSERT_THAT(stub_->StartConnection(&start_ctx, {}, &started), GrpcIsOk());
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(code);
    v1::Connection out;
    grpc::Status s = stub_->CompleteConnection(&ctx, req, &out);
    if (attempt == 0) {
      ASSERT_THAT(s, GrpcIsOk());
    } else {
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
      EXPECT_EQ(ReasonOf(s), "AUTH_CODE_INVALID");
      EXPECT_EQ(FieldOf(s), "auth_code");
    }
  }
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::ListConnectionsResponse list;
  ASSERT_THAT(stub_->ListConnections(&ctx, {}, &list), GrpcIsOk());
  EXPECT_EQ(list.connections_size(), 1);
}

TEST_F(IdentityServiceTest, RevokeMarksConnectionRevoked) {
  auto connection = Connect(team_.owner_key);
  ASSERT_THAT(connection, IsOk());
  v1::RevokeConnectionRequest req;
  req.set_connection_id(connection->connection_id());
  v1::Connection out;

  auto revoked_at_tiktok = [] {
    return fixture_->sim().WithState([](SimState& state) {
      int n = 0;
      for (const auto& [token, record] : state.tokens) n += record.revoked;
      return n;
    });
  };
  const int revoked_before = revoked_at_tiktok();
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  ASSERT_THAT(stub_->RevokeConnection(&ctx, req, &out), GrpcIsOk());
  EXPECT_EQ(out.state(), v1::CONNECTION_STATE_REVOKED);
  // The token is dead at TikTok too, not only marked here: the simulator
  // revokes only when the call carries the token as Access-Token.
  EXPECT_EQ(revoked_at_tiktok(), revoked_before + 1);
  v1::CheckIdentityResponse check;
  ASSERT_THAT(Check(team_.owner_key, sim::kAdvertiserTtUser, &check),
              GrpcIsOk());
  EXPECT_FALSE(check.has_identity());
  EXPECT_EQ(check.reason(), "no_token");
}

// --- Identities --------------------------------------------------------------

TEST_F(IdentityServiceTest, CheckReportsTtUserOrWhyNot) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  v1::CheckIdentityResponse yes;
  ASSERT_THAT(Check(team_.owner_key, sim::kAdvertiserTtUser, &yes), GrpcIsOk());
  EXPECT_TRUE(yes.has_identity());
  EXPECT_EQ(yes.identity_id(), sim::kIdentityTtUser);
  EXPECT_FALSE(yes.display_name().empty());
  v1::CheckIdentityResponse no;
  ASSERT_THAT(Check(team_.owner_key, sim::kAdvertiserNoTtUser, &no),
              GrpcIsOk());
  EXPECT_FALSE(no.has_identity());
  EXPECT_EQ(no.reason(), "no_tt_user");
}

// TikTok's page_info is reliable only when identity_type is given (the
// simulator's untyped page_info counts CUSTOMIZED_USER only): an advertiser
// with more identities than one page still gets every one of them.
TEST_F(IdentityServiceTest, ListPagesPerTypeAndFindsEveryIdentity) {
  const std::string adv = "7101000000000000777";
  const std::string bc_a = "7109000000000000771";
  const std::string bc_b = "7109000000000000772";
  constexpr int kTtUsers = 130, kCustom = 3, kBcA = 2, kBcB = 1;
  fixture_->sim().WithState([&](SimState& state) {
    state.advertisers[adv] = {{"advertiser_id", adv},
                              {"advertiser_name", "Many identities"}};
    auto add = [&](const std::string& type, const std::string& bc) {
      std::string id = state.NewId();
      state.identities[id] = {{"identity_id", id},
                              {"identity_type", type},
                              {"advertiser_id", adv},
                              {"display_name", type + " " + id},
                              {"profile_image", "https://sim.local/a.png"},
                              {"available_status", "AVAILABLE"},
                              {"can_pull_video", true},
                              {"can_push_video", true}};
      if (!bc.empty()) state.identities[id]["identity_authorized_bc_id"] = bc;
    };
    for (int i = 0; i < kCustom; ++i) add("CUSTOMIZED_USER", "");
    for (int i = 0; i < kTtUsers; ++i) add("TT_USER", "");
    // Created last: on the untyped listing's second page.
    for (int i = 0; i < kBcA; ++i) add("BC_AUTH_TT", bc_a);
    for (int i = 0; i < kBcB; ++i) add("BC_AUTH_TT", bc_b);
    return 0;
  });
  ASSERT_THAT(Connect(team_.owner_key, {adv}), IsOk());
  std::map<common::v1::IdentityType, int> by_type;
  std::map<std::string, int> by_bc;
  std::set<std::string> ids;
  v1::ListIdentitiesRequest req;
  req.set_advertiser_id(adv);
  do {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ListIdentitiesResponse resp;
    grpc::Status s = stub_->ListIdentities(&ctx, req, &resp);
    ASSERT_THAT(s, GrpcIsOk());
    for (const auto& identity : resp.identities()) {
      ids.insert(identity.identity_id());
      ++by_type[identity.identity_type()];
      if (!identity.identity_authorized_bc_id().empty()) {
        ++by_bc[identity.identity_authorized_bc_id()];
      }
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kTtUsers + kCustom + kBcA + kBcB));
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_TT_USER], kTtUsers);
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_CUSTOMIZED_USER], kCustom);
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_BC_AUTH_TT], kBcA + kBcB);
  EXPECT_EQ(by_bc[bc_a], kBcA);
  EXPECT_EQ(by_bc[bc_b], kBcB);
}

TEST_F(IdentityServiceTest, CreateTruncatesToFortyCharactersAndInvalidates) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  // Warm the cache.
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ListIdentitiesRequest req;
    req.set_advertiser_id(sim::kAdvertiserNoTtUser);
    v1::ListIdentitiesResponse resp;
    ASSERT_THAT(stub_->ListIdentities(&ctx, req, &resp), GrpcIsOk());
  }
  std::string name;
  for (int i = 0; i < 41; ++i) name += "\xC3\xA9";  // 41 × "é"
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::CreateIdentityRequest req;
  req.set_advertiser_id(sim::kAdvertiserNoTtUser);
  req.set_display_name(name);
  common::v1::Identity created;
  ASSERT_THAT(stub_->CreateIdentity(&ctx, req, &created), GrpcIsOk());
  EXPECT_EQ(created.display_name().size(), 80u);  // 40 × 2 bytes
  EXPECT_EQ(created.identity_type(), common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);

  grpc::ClientContext list_ctx;
  Authorize(&list_ctx, team_.owner_key);
  v1::ListIdentitiesRequest list_req;
  list_req.set_advertiser_id(sim::kAdvertiserNoTtUser);
  v1::ListIdentitiesResponse list;
  ASSERT_THAT(stub_->ListIdentities(&list_ctx, list_req, &list), GrpcIsOk());
  bool found = false;
  for (const auto& identity : list.identities()) {
    found |= identity.identity_id() == created.identity_id();
  }
  EXPECT_TRUE(found) << "the cache was not invalidated by create";
}

// --- Ads accounts
// --------------------------------------------------------------

TEST_F(IdentityServiceTest, AdsAccountLinkedOrAdsOnlyAndAlreadyConnected) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  grpc::ClientContext posting_ctx;
  Authorize(&posting_ctx, team_.owner_key);
  v1::CreateAccountRequest posting_req;
  posting_req.set_display_name("@demobrand");
  posting_req.set_tt_user_identity_id(sim::kIdentityTtUser);
  posting_req.set_advertiser_id(sim::kAdvertiserTtUser);
  v1::Account posting;
  ASSERT_THAT(stub_->CreateAccount(&posting_ctx, posting_req, &posting),
              GrpcIsOk());

  auto connect = [&](const std::string& account_id, const std::string& adv) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ConnectAdsAccountRequest req;
    req.set_platform("tiktok");
    req.set_account_id(account_id);
    req.set_advertiser_id(adv);
    v1::ConnectAdsAccountResponse resp;
    EXPECT_THAT(stub_->ConnectAdsAccount(&ctx, req, &resp), GrpcIsOk());
    return resp;
  };
  auto linked = connect(posting.account_id(), "");
  EXPECT_EQ(linked.account().mode(), v1::ADS_ACCOUNT_MODE_LINKED);
  EXPECT_EQ(linked.account().parent_account_id(), posting.account_id());
  EXPECT_TRUE(linked.account().spark_ads_available());
  EXPECT_FALSE(linked.already_connected());
  auto again = connect(posting.account_id(), "");
  EXPECT_TRUE(again.already_connected());
  EXPECT_EQ(again.account().account_id(), linked.account().account_id());

  auto ads_only = connect("", sim::kAdvertiserNoTtUser);
  EXPECT_EQ(ads_only.account().mode(), v1::ADS_ACCOUNT_MODE_ADS_ONLY);
  EXPECT_TRUE(ads_only.account().parent_account_id().empty());
  EXPECT_FALSE(ads_only.account().spark_ads_available());

  grpc::ClientContext list_ctx;
  Authorize(&list_ctx, team_.owner_key);
  v1::ListAccountsResponse list;
  ASSERT_THAT(stub_->ListAccounts(&list_ctx, {}, &list), GrpcIsOk());
  EXPECT_EQ(list.accounts_size(), 3);
}

// --- Brand Identity
// --------------------------------------------------------------

TEST_F(IdentityServiceTest, BrandIdentityImageRulesOfTheRealFetcher) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  const std::string account = TtUserAccount();
  const size_t identities_before = fixture_->sim().stats().identities;
  // The production image source: the size cap, and only the allow-listed
  // private host:port (not the same port under another name, not the
  // metadata address).
  for (const std::string& url :
       {images_->Url("/huge.png"), images_->Url("/wide.png"),
        absl::StrCat("http://localhost:", images_->port(), "/square.png"),
        std::string("http://169.254.169.254/latest/meta-data")}) {
    v1::ConfigureBrandIdentityResponse out;
    grpc::Status s =
        ConfigureBrand(team_.owner_key, account, "Brand", url, &out);
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT))
        << url << " " << s.error_message();
    EXPECT_EQ(FieldOf(s), "image_url") << url;
  }
  EXPECT_EQ(fixture_->sim().stats().identities, identities_before);
}

TEST_F(IdentityServiceTest, BrandIdentityResaveCreatesNothingChangeCreatesOne) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  const std::string account = TtUserAccount();
  const int64_t creates_before = SimCalls("/identity/create/");
  v1::ConfigureBrandIdentityResponse first;
  ASSERT_THAT(ConfigureBrand(team_.owner_key, account, "Acme",
                             images_->Url("/square.png"), &first),
              GrpcIsOk());
  EXPECT_TRUE(first.success());
  EXPECT_TRUE(first.created());
  EXPECT_EQ(first.display_name(), "Acme");
  EXPECT_EQ(SimCalls("/identity/create/") - creates_before, 1);

  v1::ConfigureBrandIdentityResponse same;
  ASSERT_THAT(ConfigureBrand(team_.owner_key, account, "Acme",
                             images_->Url("/square.png"), &same),
              GrpcIsOk());
  EXPECT_FALSE(same.created());
  EXPECT_EQ(same.identity_id(), first.identity_id());
  EXPECT_EQ(SimCalls("/identity/create/") - creates_before, 1);

  v1::ConfigureBrandIdentityResponse changed;
  ASSERT_THAT(ConfigureBrand(team_.owner_key, account, "Acme",
                             images_->Url("/square-other.png"), &changed),
              GrpcIsOk());
  EXPECT_TRUE(changed.created());
  EXPECT_NE(changed.identity_id(), first.identity_id());
  EXPECT_EQ(SimCalls("/identity/create/") - creates_before, 2);

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::GetBrandIdentityRequest get;
  get.set_account_id(account);
  v1::BrandIdentity brand;
  ASSERT_THAT(stub_->GetBrandIdentity(&ctx, get, &brand), GrpcIsOk());
  EXPECT_EQ(brand.identity_id(), changed.identity_id());
  ASSERT_EQ(brand.previous_identity_ids_size(), 1);
  EXPECT_EQ(brand.previous_identity_ids(0), first.identity_id());
}

// The image download runs inside the caller's deadline, not to the
// fetcher's own 20 s cap: the stalled download is abandoned (the image
// server sees the connection closed) long before that cap.
TEST_F(IdentityServiceTest, BrandIdentityImageFetchHonoursTheCallDeadline) {
  ASSERT_THAT(Connect(team_.owner_key), IsOk());
  const std::string account = TtUserAccount();
  const int closed_before = stalling_->closed_by_client();
  v1::ConfigureBrandIdentityResponse out;
  grpc::Status s =
      ConfigureBrand(team_.owner_key, account, "Acme",
                     stalling_->Url("/slow-logo.png"), &out, absl::Seconds(1));
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_TRUE(
      stalling_->WaitClosedByClient(closed_before + 1, absl::Seconds(10)));
}

TEST_F(IdentityServiceTest, MissingOrBadKeyIsUnauthenticated) {
  grpc::ClientContext ctx;
  v1::ListConnectionsResponse out;
  EXPECT_THAT(stub_->ListConnections(&ctx, {}, &out),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  grpc::ClientContext bad;
  Authorize(&bad, "ttads_not-a-real-key");
  EXPECT_THAT(stub_->ListConnections(&bad, {}, &out),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

// --- Resolution
// ------------------------------------------------------------------

grpc::Status Resolve(v1::IdentityService::Stub* stub, const std::string& key,
                     v1::ResolveIdentityRequest req,
                     v1::ResolveIdentityResponse* out) {
  grpc::ClientContext ctx;
  Authorize(&ctx, key);
  return stub->ResolveIdentity(&ctx, req, out);
}

TEST_F(IdentityServiceTest, ResolvePrefersTtUserAndHonoursExplicitIdentity) {
  ASSERT_THAT(
      Connect(team_.owner_key, {sim::kAdvertiserTtUser,
                                sim::kAdvertiserNoTtUser, sim::kAdvertiserBc}),
      IsOk());
  v1::ResolveIdentityRequest req;
  req.set_advertiser_id(sim::kAdvertiserTtUser);
  v1::ResolveIdentityResponse out;
  ASSERT_THAT(Resolve(stub_.get(), team_.owner_key, req, &out), GrpcIsOk());
  EXPECT_EQ(out.identity().identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_EQ(out.source(), v1::RESOLUTION_SOURCE_TT_USER);

  req.set_advertiser_id(sim::kAdvertiserBc);
  ASSERT_THAT(Resolve(stub_.get(), team_.owner_key, req, &out), GrpcIsOk());
  EXPECT_EQ(out.identity().identity_type(),
            common::v1::IDENTITY_TYPE_BC_AUTH_TT);

  req.set_advertiser_id(sim::kAdvertiserTtUser);
  req.set_identity_id(sim::kIdentityCustom1);
  ASSERT_THAT(Resolve(stub_.get(), team_.owner_key, req, &out), GrpcIsOk());
  EXPECT_EQ(out.source(), v1::RESOLUTION_SOURCE_EXPLICIT);

  req.set_identity_id(sim::kIdentityBcAuthTt);  // another advertiser's
  grpc::Status s = Resolve(stub_.get(), team_.owner_key, req, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(s), "identity_id");
}

TEST_F(IdentityServiceTest, RejectAndAllowPolicies) {
  auto reject = StartServer("reject");
  auto allow = StartServer("allow");
  ASSERT_THAT(Connect(team_.owner_key,
                      {sim::kAdvertiserNoTtUser, sim::kAdvertiserTtUser}),
              IsOk());
  auto stub_for = [](IdentityServer* server) {
    return v1::IdentityService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
  };
  auto reject_stub = stub_for(reject.get());
  auto allow_stub = stub_for(allow.get());

  v1::ResolveIdentityRequest req;
  req.set_advertiser_id(sim::kAdvertiserNoTtUser);
  req.set_allow_customized_user(true);
  v1::ResolveIdentityResponse out;
  EXPECT_THAT(Resolve(reject_stub.get(), team_.owner_key, req, &out),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  v1::ResolveIdentityRequest explicit_req;
  explicit_req.set_advertiser_id(sim::kAdvertiserTtUser);
  explicit_req.set_identity_id(sim::kIdentityCustom1);
  grpc::Status s =
      Resolve(reject_stub.get(), team_.owner_key, explicit_req, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(ReasonOf(s), "CUSTOM_IDENTITY_REJECTED");

  v1::ResolveIdentityRequest fallback;
  fallback.set_advertiser_id(sim::kAdvertiserNoTtUser);
  ASSERT_THAT(Resolve(allow_stub.get(), team_.owner_key, fallback, &out),
              GrpcIsOk());
  EXPECT_EQ(out.identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
}

// --- Background refresh of TikTok account connections --------------------

// The server starts its refresher with StartBackground, which refreshes a
// due connection at the simulator, and stops and joins it with
// StopBackground and again (a no-op) when destroyed.
TEST_F(IdentityServiceTest, BackgroundRefresherRunsAndStopsWithTheServer) {
  auto env = fixture_->ServiceEnv();
  env["TTADS_TIKTOK_OPEN_BASE_URL"] = fixture_->sim().root_url() + "/";
  auto config = config::Load(IdentitySchema(), "", env);
  ASSERT_THAT(config, IsOk());
  auto server = IdentityServer::Create(*config);
  ASSERT_THAT(server, IsOk());

  // A real grant at the simulator, stored with 30 min left of its token.
  fixture_->sim().WithState([](tiktok_sim::SimState& s) {
    s.open.codes["bg-code"] = {
        sim::kTikTokUserDemo,
        {"video.list"},
        "https://app.example/cb",
        std::chrono::system_clock::now() + std::chrono::minutes(5),
        false};
    return 0;
  });
  tiktok_open::HttpLoginApi login(tiktok_open::LoginApiOptions{
      fixture_->sim().root_url(), "ttads-local-app", "local-sim-secret"});
  auto granted = login.ExchangeCode("bg-code", "https://app.example/cb",
                                    absl::Now() + absl::Seconds(10));
  ASSERT_THAT(granted, IsOk());
  auto key = crypto::AeadKey::FromBytes(std::string(32, '\x42'));
  ASSERT_THAT(key, IsOk());
  connections::RedisTikTokAccountStore store(&fixture_->redis(), *key);
  connections::TikTokAccount account;
  account.connection_id = "tta_bg";
  account.team_id = team_.team_id;
  account.member_id = team_.owner_id;
  account.open_id = granted->open_id;
  ASSERT_THAT(
      store.Create(account, {granted->access_token, granted->refresh_token,
                             absl::Now() + absl::Minutes(30),
                             granted->refresh_expire_time}),
      IsOk());

  EXPECT_FALSE((*server)->refresher().running());
  (*server)->StartBackground();
  EXPECT_TRUE((*server)->refresher().running());
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (fixture_->sim().user_token_refreshes() == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  (*server)->StopBackground();
  EXPECT_FALSE((*server)->refresher().running());
  EXPECT_EQ(fixture_->sim().user_token_refreshes(), 1u);
  auto stored = store.Get(team_.team_id, "tta_bg");
  ASSERT_THAT(stored, IsOk());
  EXPECT_GT(stored->access_expire_time, absl::Now() + absl::Hours(23));
  // Started again, then destroyed while running: the destructor joins.
  (*server)->StartBackground();
  server->reset();
}

}  // namespace
}  // namespace ttads::identity
