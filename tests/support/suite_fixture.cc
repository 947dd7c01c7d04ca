#include "tests/support/suite_fixture.h"

#include <chrono>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/status/status_macros.h"

namespace ttads::testing {

// Runs SuiteFixture::CheckContract() at the end of every test while the
// fixture lives.
class SuiteFixture::ContractListener
    : public ::testing::EmptyTestEventListener {
 public:
  explicit ContractListener(SuiteFixture* fixture) : fixture_(fixture) {}
  void OnTestEnd(const ::testing::TestInfo&) override {
    fixture_->CheckContract();
  }

 private:
  SuiteFixture* fixture_;
};

void SuiteFixture::CheckContract() {
  if (!sim_) return;
  absl::Status st = sim_->CheckViolations();
  if (st.ok()) return;
  ADD_FAILURE() << "The TikTok simulator refused requests that real TikTok "
                   "would refuse too (undeclared contract violations): "
                << st.message();
  sim_->ForgiveViolations();  // Report each violation once.
}

SuiteFixture::~SuiteFixture() {
  if (listener_ != nullptr) {
    delete ::testing::UnitTest::GetInstance()->listeners().Release(listener_);
    listener_ = nullptr;
  }
  CheckContract();
}

absl::StatusOr<std::unique_ptr<SuiteFixture>> SuiteFixture::Start() {
  auto fixture = std::make_unique<SuiteFixture>();
  // The tests' own commands (teams, keys, connections) wait as long as a
  // loaded CI machine needs, not the services' 500 ms default.
  TTADS_ASSIGN_OR_RETURN(
      fixture->redis_,
      PrivateRedis::Start({.timeout = std::chrono::seconds(10)}));
  fixture->teams_ =
      std::make_unique<auth::RedisTeamStore>(*fixture->redis_->pool());
  tiktok_sim::TikTokSim::Options sim_options;
  TTADS_ASSIGN_OR_RETURN(fixture->sim_,
                         tiktok_sim::TikTokSim::Start(sim_options));
  fixture->listener_ = new ContractListener(fixture.get());
  ::testing::UnitTest::GetInstance()->listeners().Append(fixture->listener_);
  return fixture;
}

std::map<std::string, std::string> SuiteFixture::ServiceEnv() const {
  return {
      {"TTADS_LISTEN_ADDRESS", "127.0.0.1:0"},
      {"TTADS_ADMIN_ADDRESS", ""},
      {"TTADS_REDIS_ADDRESS", redis_->server().address()},
      {"TTADS_TIKTOK_BASE_URL", sim_->base_url()},
      {"TTADS_TIKTOK_APP_ID", "ttads-local-app"},
      {"TTADS_TIKTOK_APP_SECRET", "local-sim-secret"},
      {"TTADS_TIKTOK_TIER", "ultimate"},
      {"TTADS_TOKEN_ENCRYPTION_KEY",
       absl::Base64Escape(std::string(32, '\x42'))},
      {"TTADS_DRAIN_SECONDS", "0"},
      {"TTADS_LOG_LEVEL", "warn"},
  };
}

absl::StatusOr<TestTeam> SuiteFixture::CreateTeam(bool subscription_active,
                                                  const std::string& tier) {
  TestTeam t;
  TTADS_ASSIGN_OR_RETURN(
      auth::Team team,
      teams_->CreateTeam("Test team", tier, subscription_active));
  t.team_id = team.id;
  struct Seat {
    const char* name;
    auth::Role role;
    std::string* id;
    std::string* key;
  } seats[] = {
      {"Olivia Owner", auth::Role::kOwner, &t.owner_id, &t.owner_key},
      {"Max Manager", auth::Role::kManager, &t.manager_id, &t.manager_key},
      {"Bea Buyer", auth::Role::kMediaBuyer, &t.mediabuyer_id,
       &t.mediabuyer_key}};
  for (auto& seat : seats) {
    TTADS_ASSIGN_OR_RETURN(auth::Member member,
                           teams_->AddMember(t.team_id, seat.name, seat.role));
    *seat.id = member.id;
    TTADS_ASSIGN_OR_RETURN(auth::IssuedKey key,
                           teams_->IssueApiKey(t.team_id, member.id));
    *seat.key = key.plaintext;
  }
  return t;
}

void Authorize(grpc::ClientContext* context, const std::string& key,
               int deadline_seconds) {
  context->AddMetadata("authorization", "Bearer " + key);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(deadline_seconds));
}

absl::Status SuiteFixture::ConnectOwner(const TestTeam& team,
                                        const std::string& advertiser_id) {
  TTADS_ASSIGN_OR_RETURN(
      crypto::AeadKey key,
      crypto::ParseKey(ServiceEnv().at("TTADS_TOKEN_ENCRYPTION_KEY")));
  connections::RedisConnectionStore connections(redis_->pool(), key);
  connections::Connection connection;
  connection.connection_id = "conn_" + team.team_id;
  connection.team_id = team.team_id;
  connection.member_id = team.owner_id;
  connection.advertisers = {{advertiser_id, "Demo"}};
  connection.create_time = absl::Now();
  return connections.Create(connection,
                            sim_->IssueAccessToken({advertiser_id}));
}

}  // namespace ttads::testing
