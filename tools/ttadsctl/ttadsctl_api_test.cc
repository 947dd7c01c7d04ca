// ttadsctl through the admin API: the real identity server in-process
// (private Redis, the simulator; tests/support), the real ttadsctl binary
// as a child process pointed at it with --admin-address or
// TTADS_ADMIN_API_ADDRESS and an admin's key in a file or TTADS_API_KEY.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/team_store.h"
#include "libs/testing/free_port.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/identity/identity_config.h"
#include "services/identity/identity_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/ttadsctl/ttadsctl_runner.h"

namespace ttads::ttadsctl {
namespace {

using testing::CtlResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunTtadsctl;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
using Env = std::map<std::string, std::string>;
using nlohmann::json;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The names of an object's fields, recursively for objects and the first
// element of arrays: the "shape" two outputs must share.
std::set<std::string> Shape(const json& j, const std::string& prefix = "") {
  std::set<std::string> names;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      names.insert(prefix + k);
      for (const std::string& n : Shape(v, prefix + k + ".")) names.insert(n);
    }
  } else if (j.is_array() && !j.empty()) {
    for (const std::string& n : Shape(j[0], prefix + "[].")) names.insert(n);
  }
  return names;
}

class TtadsctlApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = ::ttads::testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto server = ::ttads::testing::StartService<identity::IdentityServer>(
        identity::IdentitySchema(), fixture_->ServiceEnv());
    ASSERT_THAT(server, IsOk());
    identity_ = *std::move(server);
    address_ = ::ttads::testing::AddressOf(*identity_);

    auto customer = fixture_->CreateTeam();
    ASSERT_THAT(customer, IsOk());
    customer_ = *customer;
    auto ops = fixture_->teams().CreateTeam("Operators", "enterprise", true);
    ASSERT_THAT(ops, IsOk());
    auto op = fixture_->teams().AddMember(ops->id, "Ops", auth::Role::kAdmin);
    ASSERT_THAT(op, IsOk());
    auto key = fixture_->teams().IssueApiKey(ops->id, op->id);
    ASSERT_THAT(key, IsOk());
    admin_key_ = key->plaintext;

    dir_ = fixture_->redis_server().dir() + "/ctl";
    std::filesystem::create_directories(dir_);
    key_file_ = dir_ + "/admin.key";
    std::ofstream(key_file_) << admin_key_ << "\n";
  }

  void TearDown() override {
    if (identity_) identity_->kit().runner().Shutdown();
  }

  // ttadsctl --admin-address=<identity> --api-key-file=<admin key> <args>.
  CtlResult Api(std::vector<std::string> args, const Env& env = {}) {
    args.insert(args.begin(),
                {"--admin-address=" + address_, "--api-key-file=" + key_file_});
    return RunTtadsctl(args, env);
  }
  // The same command on Redis directly (the fixture's).
  CtlResult Direct(std::vector<std::string> args) {
    return RunTtadsctl(args, {{"TTADS_REDIS_ADDRESS",
                               fixture_->ServiceEnv()["TTADS_REDIS_ADDRESS"]}});
  }
  json Json(const CtlResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(json::accept(r.out)) << r.out;
    return json::parse(r.out, nullptr, false);
  }

  std::unique_ptr<::ttads::testing::SuiteFixture> fixture_;
  std::unique_ptr<identity::IdentityServer> identity_;
  std::string address_;
  ::ttads::testing::TestTeam customer_;
  std::string admin_key_;
  std::string dir_;
  std::string key_file_;
};

// Every team, member and key command through AdminService: what it makes
// is in the store, keys work, rotation overlaps, revocation refuses.
TEST_F(TtadsctlApiTest, EveryCommandThroughTheApi) {
  CtlResult team = Api({"team", "create", "--name", "Acme", "--tier",
                        "enterprise", "--subscription"});
  ASSERT_EQ(team.exit_code, 0) << team.err;
  const std::string team_id = Trimmed(team.out);
  auto stored = fixture_->teams().GetTeam(team_id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->name, "Acme");
  EXPECT_EQ(stored->tier, "enterprise");
  EXPECT_TRUE(stored->subscription_active);

  CtlResult list = Api({"team", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(team_id + "\tenterprise\tsubscribed\tAcme"));
  EXPECT_THAT(list.out, HasSubstr(customer_.team_id));

  CtlResult member = Api({"member", "add", "--team", team_id, "--name",
                          "Mia Buyer", "--role", "mediabuyer"});
  ASSERT_EQ(member.exit_code, 0) << member.err;
  const std::string member_id = Trimmed(member.out);
  // Admins make admins through the API too.
  CtlResult second_admin = Api({"member", "add", "--team", team_id, "--name",
                                "Ops 2", "--role", "admin"});
  ASSERT_EQ(second_admin.exit_code, 0) << second_admin.err;

  CtlResult show = Api({"team", "show", "--team", team_id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("Mia Buyer"));
  EXPECT_THAT(show.out, HasSubstr("mediabuyer"));
  EXPECT_THAT(show.out, HasSubstr("  admin  Ops 2"));

  CtlResult issued =
      Api({"key", "issue", "--team", team_id, "--member", member_id});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const std::string first_key = Trimmed(issued.out);
  auto principal = fixture_->teams().Authenticate(first_key);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->member_id, member_id);
  EXPECT_EQ(principal->role, auth::Role::kMediaBuyer);
  EXPECT_THAT(issued.err, HasSubstr(principal->key_id));

  // Rotation with an hour's overlap: both keys work.
  CtlResult rotated = Api({"key", "rotate", "--team", team_id, "--key-id",
                           principal->key_id, "--overlap", "1h"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string second_key = Trimmed(rotated.out);
  EXPECT_NE(second_key, first_key);
  auto successor = fixture_->teams().Authenticate(second_key);
  ASSERT_THAT(successor, IsOk());
  EXPECT_EQ(successor->member_id, member_id);
  EXPECT_THAT(fixture_->teams().Authenticate(first_key), IsOk());
  EXPECT_THAT(rotated.err, HasSubstr(principal->key_id + " works until"));

  CtlResult keys = Api({"key", "list", "--team", team_id});
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  EXPECT_THAT(keys.out, HasSubstr(principal->key_id));
  EXPECT_THAT(keys.out, HasSubstr("expiring\tuntil "));
  EXPECT_THAT(keys.out, HasSubstr(successor->key_id));
  EXPECT_THAT(keys.out, Not(HasSubstr(second_key)));

  // Zero overlap: the rotated key is refused from the next call on.
  CtlResult at_once = Api({"key", "rotate", "--team", team_id, "--key-id",
                           successor->key_id, "--overlap", "0s"});
  ASSERT_EQ(at_once.exit_code, 0) << at_once.err;
  EXPECT_THAT(fixture_->teams().Authenticate(second_key),
              StatusIs(absl::StatusCode::kUnauthenticated));
  const std::string third_key = Trimmed(at_once.out);

  auto third = fixture_->teams().Authenticate(third_key);
  ASSERT_THAT(third, IsOk());
  CtlResult revoked =
      Api({"key", "revoke", "--team", team_id, "--key-id", third->key_id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_THAT(fixture_->teams().Authenticate(third_key),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(Api({"key", "list", "--team", team_id}).out,
              HasSubstr(third->key_id + "\t" + member_id));
  // demo composes the same calls.
  CtlResult demo = Api({"demo", "--out-dir", dir_ + "/demo"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  auto owner = fixture_->teams().Authenticate(Trimmed(demo.out));
  ASSERT_THAT(owner, IsOk());
  EXPECT_EQ(owner->role, auth::Role::kOwner);
}

// --output json prints the same fields through the API as on Redis.
TEST_F(TtadsctlApiTest, JsonShapesMatchTheRedisPath) {
  auto both = [&](std::vector<std::string> api_args,
                  std::vector<std::string> direct_args) {
    api_args.insert(api_args.begin(), {"-o", "json"});
    direct_args.insert(direct_args.begin(), {"-o", "json"});
    json a = Json(Api(api_args));
    json d = Json(Direct(direct_args));
    EXPECT_EQ(Shape(a), Shape(d)) << a.dump() << "\n" << d.dump();
    return std::make_pair(a, d);
  };
  auto [team_a, team_d] = both({"team", "create", "--name", "Via API"},
                               {"team", "create", "--name", "Via Redis"});
  const std::string ta = team_a["team"]["id"], td = team_d["team"]["id"];
  EXPECT_EQ(team_a["team"]["tier"], "standard");
  auto [member_a, member_d] =
      both({"member", "add", "--team", ta, "--name", "Ann", "--role", "owner"},
           {"member", "add", "--team", td, "--name", "Ann", "--role", "owner"});
  EXPECT_EQ(member_a["member"]["role"], "owner");
  const std::string ma = member_a["member"]["id"],
                    md = member_d["member"]["id"];
  auto [key_a, key_d] = both({"key", "issue", "--team", ta, "--member", ma},
                             {"key", "issue", "--team", td, "--member", md});
  EXPECT_THAT(fixture_->teams().Authenticate(key_a["key"].get<std::string>()),
              IsOk());
  const std::string ka = key_a["key_id"], kd = key_d["key_id"];
  auto [rot_a, rot_d] =
      both({"key", "rotate", "--team", ta, "--key-id", ka, "--overlap", "2h"},
           {"key", "rotate", "--team", td, "--key-id", kd, "--overlap", "2h"});
  EXPECT_EQ(rot_a["previous_key_id"], ka);
  EXPECT_EQ(rot_a["member_id"], ma);
  auto [keys_a, keys_d] =
      both({"key", "list", "--team", ta}, {"key", "list", "--team", td});
  ASSERT_EQ(keys_a["keys"].size(), 2u);
  EXPECT_EQ(keys_a["keys"][0]["state"], "expiring");
  EXPECT_EQ(keys_a["keys"][0]["successor_key_id"], rot_a["key_id"]);
  EXPECT_EQ(keys_a["keys"][1]["state"], "active");
  both({"key", "revoke", "--team", ta, "--key-id", rot_a["key_id"]},
       {"key", "revoke", "--team", td, "--key-id", rot_d["key_id"]});
  both({"team", "list"}, {"team", "list"});
  // team show: the same, but the admin API serves no TikTok connections.
  json show_a = Json(Api({"-o", "json", "team", "show", "--team", ta}));
  json show_d = Json(Direct({"-o", "json", "team", "show", "--team", td}));
  std::set<std::string> direct_shape = Shape(show_d);
  direct_shape.erase("connections");
  EXPECT_EQ(Shape(show_a), direct_shape);
  EXPECT_EQ(show_a["members"][0]["role"], "owner");
}

// A key that is not an admin's: the server's refusal, exit 1, nothing made.
TEST_F(TtadsctlApiTest, RefusedCallPrintsTheServersError) {
  const std::string owner_file = dir_ + "/owner.key";
  std::ofstream(owner_file) << customer_.owner_key << "\n";
  CtlResult refused =
      RunTtadsctl({"--admin-address", address_, "--api-key-file", owner_file,
                   "team", "create", "--name", "Nope"},
                  {});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("admin role"));
  EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(refused.err, HasSubstr("ADMIN_ROLE_REQUIRED"));
  EXPECT_THAT(refused.err, Not(HasSubstr(customer_.owner_key)));
  EXPECT_EQ(fixture_->teams().ListTeams()->size(), 2u);

  // The same through the variables, with an unknown key: UNAUTHENTICATED.
  CtlResult unknown = RunTtadsctl(
      {"team", "list"},
      {{"TTADS_ADMIN_API_ADDRESS", address_},
       {"TTADS_API_KEY", "ttads_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("UNAUTHENTICATED"));
}

TEST_F(TtadsctlApiTest, UsageAndFailures) {
  // The variables alone select the API.
  CtlResult via_env = RunTtadsctl(
      {"team", "list"},
      {{"TTADS_ADMIN_API_ADDRESS", address_}, {"TTADS_API_KEY", admin_key_}});
  ASSERT_EQ(via_env.exit_code, 0) << via_env.err;
  EXPECT_THAT(via_env.out, HasSubstr("Operators"));

  // No key: a usage error naming both ways to give one; nothing dialled.
  CtlResult no_key =
      RunTtadsctl({"--admin-address", address_, "team", "list"}, {});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_THAT(no_key.err, HasSubstr("--api-key-file"));
  EXPECT_THAT(no_key.err, HasSubstr("TTADS_API_KEY"));
  // No bare key flag exists.
  EXPECT_EQ(RunTtadsctl({"--admin-address", address_, "--api-key", admin_key_,
                         "team", "list"},
                        {})
                .exit_code,
            2);
  // A key file that does not exist.
  EXPECT_EQ(RunTtadsctl({"--admin-address", address_, "--api-key-file",
                         dir_ + "/missing", "team", "list"},
                        {})
                .exit_code,
            2);
  // Bad input the server refuses: INVALID_ARGUMENT, exit 2, the field.
  CtlResult long_name =
      Api({"team", "create", "--name", std::string(101, 'x')});
  EXPECT_EQ(long_name.exit_code, 2);
  EXPECT_THAT(long_name.err, HasSubstr("team.display_name"));
  // revoke/rotate need --team with the API.
  CtlResult no_team = Api({"key", "revoke", "--key-id", "key_abcdefabcdef"});
  EXPECT_EQ(no_team.exit_code, 2);
  EXPECT_THAT(no_team.err, HasSubstr("--team"));
  CtlResult bad_overlap =
      Api({"key", "rotate", "--team", customer_.team_id, "--key-id",
           "key_abcdefabcdef", "--overlap", "soon"});
  EXPECT_EQ(bad_overlap.exit_code, 2);
  EXPECT_THAT(bad_overlap.err, HasSubstr("--overlap"));
  CtlResult too_long =
      Api({"key", "rotate", "--team", customer_.team_id, "--key-id",
           "key_abcdefabcdef", "--overlap", "800h"});
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_THAT(too_long.err, HasSubstr("overlap"));
  // NOT_FOUND: exit 1.
  CtlResult missing = Api({"team", "show", "--team", "tm_abcdefabcdef"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("NOT_FOUND"));
  // A malformed address is a usage error naming the setting; an address
  // nobody serves fails (exit 1) naming it.
  CtlResult bad_address =
      RunTtadsctl({"--admin-address", "not a target", "--api-key-file",
                   key_file_, "team", "list"},
                  {});
  EXPECT_EQ(bad_address.exit_code, 2);
  EXPECT_THAT(bad_address.err, HasSubstr("TTADS_ADMIN_API_ADDRESS"));
  auto port = ::ttads::testing::FreePort();
  ASSERT_THAT(port, IsOk());
  const std::string nobody = "127.0.0.1:" + std::to_string(*port);
  CtlResult down =
      RunTtadsctl({"--admin-address", nobody, "--api-key-file", key_file_,
                   "--api-timeout-ms", "2000", "team", "list"},
                  {});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_THAT(down.err, HasSubstr(nobody));
  EXPECT_EQ(fixture_->teams().ListTeams()->size(), 2u);
}

// Bootstrapping: in a pod whose environment names the admin API, the first
// admin is still made on Redis with --redis-direct (no key needed).
TEST_F(TtadsctlApiTest, RedisDirectMakesTheFirstAdmin) {
  const Env pod = {
      {"TTADS_ADMIN_API_ADDRESS", address_},
      {"TTADS_REDIS_ADDRESS", fixture_->ServiceEnv()["TTADS_REDIS_ADDRESS"]}};
  CtlResult team = RunTtadsctl(
      {"--redis-direct", "team", "create", "--name", "Ops Bootstrap"}, pod);
  ASSERT_EQ(team.exit_code, 0) << team.err;
  const std::string team_id = Trimmed(team.out);
  CtlResult member = RunTtadsctl({"--redis-direct", "member", "add", "--team",
                                  team_id, "--name", "Root", "--role", "admin"},
                                 pod);
  ASSERT_EQ(member.exit_code, 0) << member.err;
  CtlResult key = RunTtadsctl({"--redis-direct", "key", "issue", "--team",
                               team_id, "--member", Trimmed(member.out)},
                              pod);
  ASSERT_EQ(key.exit_code, 0) << key.err;
  // That key now works on the API.
  Env with_key = pod;
  with_key["TTADS_API_KEY"] = Trimmed(key.out);
  CtlResult listed = RunTtadsctl({"team", "list"}, with_key);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Ops Bootstrap"));
  // --redis-direct and --admin-address contradict each other.
  EXPECT_EQ(
      RunTtadsctl(
          {"--redis-direct", "--admin-address", address_, "team", "list"}, pod)
          .exit_code,
      2);
}

}  // namespace
}  // namespace ttads::ttadsctl
