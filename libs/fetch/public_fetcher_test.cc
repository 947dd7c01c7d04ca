#include "libs/fetch/public_fetcher.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/fetch/stalling_server.h"
#include "libs/http/server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::fetch {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;
using http::HttpServer;

// Serves /small (100 bytes), /big (2 MB), /missing (404), /boom (500),
// /redirect?to=URL (302) and /loop (302 to itself).
class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(
        HttpServer::Options{}, [](HttpRequest req, HttpResponder res) {
          HttpResponse r;
          if (req.path == "/small") {
            r.body = std::string(100, 'x');
          } else if (req.path == "/big") {
            r.body = std::string(2 * 1024 * 1024, 'y');
          } else if (req.path == "/redirect") {
            r.status = 302;
            r.headers.Add("Location", req.QueryParam("to").value_or("/"));
          } else if (req.path == "/loop") {
            r.status = 302;
            r.headers.Add("Location", "/loop");
          } else if (req.path == "/boom") {
            r.status = 500;
          } else {
            r.status = 404;
            r.body = "no such thing";
          }
          res.Send(std::move(r));
        });
    ASSERT_THAT(server_->Start(), IsOk());
    base_ = absl::StrCat("http://127.0.0.1:", server_->port());
  }

  FetchOptions LocalOptions() {
    FetchOptions o;
    o.private_allowlist = {absl::StrCat("127.0.0.1:", server_->port())};
    o.max_bytes = 1024 * 1024;
    return o;
  }

  std::unique_ptr<HttpServer> server_;
  std::string base_;
};

TEST_F(FetchTest, FetchesAllowlistedTarget) {
  auto body = FetchToString(base_ + "/small", LocalOptions());
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(body->size(), 100u);
}

TEST_F(FetchTest, RefusesLoopbackByDefault) {
  FetchOptions o;
  o.require_https = false;
  auto body = FetchToString(base_ + "/small", o);
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(FetchTest, RefusesPlainHttpForPublicTargets) {
  auto body = FetchToString("http://8.8.8.8/x.png", FetchOptions{});
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(FetchTest, StopsAtSizeLimit) {
  auto body = FetchToString(base_ + "/big", LocalOptions());
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(FetchTest, MapsHttpErrors) {
  EXPECT_THAT(FetchToString(base_ + "/missing", LocalOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FetchToString(base_ + "/boom", LocalOptions()),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(FetchTest, ClientErrorsAreAnswersWhenAsked) {
  FetchOptions o = LocalOptions();
  o.client_errors_are_answers = true;
  FetchInfo info;
  auto body = FetchToString(base_ + "/missing", o, &info);
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(info.http_status, 404);
  EXPECT_EQ(*body, "no such thing");
  // 5xx stays an error.
  EXPECT_THAT(FetchToString(base_ + "/boom", o),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(FetchToString(base_ + "/small", o, &info), IsOk());
  EXPECT_EQ(info.http_status, 200);
}

TEST_F(FetchTest, FollowsRedirectAndRechecksEveryHop) {
  auto ok = FetchToString(base_ + "/redirect?to=/small", LocalOptions());
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->size(), 100u);
  // A redirect to a private address that is not allowlisted is refused.
  for (const char* target :
       {"http://localhost:1/x", "http://169.254.169.254/latest",
        "http://2130706433:1/", "http://[::1]:1/"}) {
    auto bad = FetchToString(absl::StrCat(base_, "/redirect?to=", target),
                             LocalOptions());
    EXPECT_THAT(bad, StatusIs(absl::StatusCode::kPermissionDenied)) << target;
  }
}

TEST_F(FetchTest, RedirectLoopEnds) {
  EXPECT_THAT(FetchToString(base_ + "/loop", LocalOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("too many redirects")));
}

// The caller's deadline, not the fetcher's own 20 s cap, ends a download
// from a server that never finishes its answer: DEADLINE_EXCEEDED, and the
// server sees the connection closed.
TEST(FetchDeadlineTest, DeadlineCutsAStalledDownloadShort) {
  testing::StallingServer slow;
  FetchOptions o;
  o.private_allowlist = {absl::StrCat("127.0.0.1:", slow.port())};
  o.timeout = absl::Seconds(20);
  o.deadline = absl::Now() + absl::Milliseconds(300);
  auto body = FetchToString(slow.Url("/logo.png"), o);
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(slow.requests(), 1);
  // Generous bound: only reached if the client kept the connection open.
  EXPECT_TRUE(slow.WaitClosedByClient(1, absl::Seconds(10)));
}

TEST(FetchDeadlineTest, PassedDeadlineRequestsNothing) {
  testing::StallingServer slow;
  FetchOptions o;
  o.private_allowlist = {absl::StrCat("127.0.0.1:", slow.port())};
  o.deadline = absl::Now() - absl::Seconds(1);
  auto body = FetchToString(slow.Url("/logo.png"), o);
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(slow.requests(), 0);
}

TEST(FetchDeadlineTest, OwnCapStillAppliesAndIsUnavailable) {
  testing::StallingServer slow;
  FetchOptions o;
  o.private_allowlist = {absl::StrCat("127.0.0.1:", slow.port())};
  o.timeout = absl::Milliseconds(200);
  o.deadline = absl::Now() + absl::Seconds(30);
  auto body = FetchToString(slow.Url("/logo.png"), o);
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(slow.WaitClosedByClient(1, absl::Seconds(10)));
}

}  // namespace
}  // namespace ttads::fetch
