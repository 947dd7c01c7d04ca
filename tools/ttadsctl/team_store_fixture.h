#ifndef TTADS_TOOLS_TTADSCTL_TEAM_STORE_FIXTURE_H_
#define TTADS_TOOLS_TTADSCTL_TEAM_STORE_FIXTURE_H_

#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/store_team_admin.h"

namespace ttads::ttadsctl::testing {

// What the team, member and key commands' tests start from: a team "Acme"
// (free tier) in an in-memory team store, reached through StoreTeamAdmin as
// the commands reach it; with `with_owner`, an owner "Owen" in it. The
// store's clock is the real one until a test sets `now_`.
class AcmeTeamTest : public ::testing::Test {
 protected:
  explicit AcmeTeamTest(bool with_owner) : with_owner_(with_owner) {}

  void SetUp() override {
    auto team = store_.CreateTeam("Acme", "free", false);
    ASSERT_THAT(team, ::ttads::testing::IsOk());
    team_id_ = team->id;
    if (!with_owner_) return;
    auto member = store_.AddMember(team_id_, "Owen", auth::Role::kOwner);
    ASSERT_THAT(member, ::ttads::testing::IsOk());
    member_id_ = member->id;
  }

  std::optional<absl::Time> now_;
  auth::InMemoryTeamStore store_{[this] { return now_.value_or(absl::Now()); }};
  StoreTeamAdmin admin_{&store_};
  std::string team_id_;
  std::string member_id_;  // the owner's, with `with_owner`

 private:
  const bool with_owner_;
};

}  // namespace ttads::ttadsctl::testing

#endif  // TTADS_TOOLS_TTADSCTL_TEAM_STORE_FIXTURE_H_
