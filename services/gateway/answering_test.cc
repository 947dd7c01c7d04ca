#include "services/gateway/answering.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/test_client.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "prometheus/registry.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::gateway {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;

// An HTTP server whose handler builds an exchange for `path` and gives it
// to `answer`.
class AnsweringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto routes = RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(routes, IsOk());
    routes_ = std::make_unique<RouteTable>(*std::move(routes));
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [this](http::HttpRequest request, http::HttpResponder responder) {
          auto ex = std::make_shared<Exchange>(std::move(request),
                                               std::move(responder));
          ex->start = absl::Now();
          ex->request_id = "rid-7";
          std::string path = ex->request.path;
          ex->dialect = &Dialects::Products().For(path);
          ex->tool = Dialects::Products().ToolName(ex->request.target);
          auto match = routes_->Match(ex->request.method, ex->request.target);
          if (match.has_value()) ex->route = match->route;
          answer_(ex);
        });
    ASSERT_THAT(server_->Start(), IsOk());
    base_ = absl::StrCat("http://127.0.0.1:", server_->port());
  }
  void TearDown() override { server_->Stop(); }

  prometheus::Registry registry_;
  RequestMetrics metrics_{registry_};
  Answering answering_{metrics_};
  std::unique_ptr<RouteTable> routes_;
  std::function<void(std::shared_ptr<Exchange>)> answer_;
  std::unique_ptr<http::HttpServer> server_;
  std::string base_;
  http::TestClient client_;
};

TEST_F(AnsweringTest, ErrorsCarryTheRequestIdAndQuotaHeaders) {
  answer_ = [this](std::shared_ptr<Exchange> ex) {
    ex->quota = QuotaUsage{4, 0, "enterprise", "2026-05-01", true};
    answering_.Error(*ex, grpc::Status(grpc::StatusCode::NOT_FOUND, "no ad"));
  };
  auto r = client_.Get(base_ + "/v1/advertisers/a/ads/1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["code"], "NOT_FOUND");
  EXPECT_EQ(r.Header("x-request-id"), "rid-7");
  EXPECT_EQ(r.Header("x-quota-used"), "4");
  EXPECT_EQ(r.Header("x-quota-limit"), "unlimited");
}

TEST_F(AnsweringTest, SuccessRendersInTheDialectAndUnparsableIsInternal) {
  answer_ = [this](std::shared_ptr<Exchange> ex) {
    preflight::v1::PublishCheckResponse response;
    response.set_objective("TRAFFIC");
    answering_.Success(*ex, response.SerializeAsString());
  };
  auto r = client_.Get(base_ + "/api/v1/tiktok/publish-check");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["objective"], "TRAFFIC");
  answer_ = [this](std::shared_ptr<Exchange> ex) {
    answering_.Success(*ex, "\xff\xff\xff");
  };
  r = client_.Get(base_ + "/api/v1/tiktok/publish-check");
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.body, HasSubstr("unparsable"));
}

TEST_F(AnsweringTest, BodyErrorsAre413408Or400) {
  absl::Status error;
  answer_ = [this, &error](std::shared_ptr<Exchange> ex) {
    answering_.BodyError(*ex, error);
  };
  for (auto [status, code] :
       {std::pair{absl::ResourceExhaustedError("over"), 413},
        std::pair{absl::DeadlineExceededError("slow"), 408},
        std::pair{absl::InvalidArgumentError("bad"), 400}}) {
    error = status;
    auto r = client_.Get(base_ + "/v1/sync-jobs/j1");
    EXPECT_EQ(r.status, code) << r.body;
    EXPECT_EQ(json::parse(r.body)["details"][0]["fieldViolations"][0]["field"],
              "body");
  }
}

TEST_F(AnsweringTest, StreamsAreNdjsonOrSseWithAFinalErrorLine) {
  answer_ = [this](std::shared_ptr<Exchange> ex) {
    auto stream = std::make_shared<Answering::Stream>(answering_, ex);
    ads::v1::AdEvent event;
    event.set_type(ads::v1::AD_EVENT_TYPE_CREATED);
    EXPECT_TRUE(stream->Message(event.SerializeAsString()));
    stream->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone"));
  };
  auto r = client_.Get(base_ + "/v1/advertisers/a/ads:watch");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "application/x-ndjson");
  EXPECT_THAT(r.body, HasSubstr(R"("type":"AD_EVENT_TYPE_CREATED")"));
  EXPECT_THAT(r.body, HasSubstr(R"({"error":{"code":"UNAVAILABLE")"));
  r = client_.Get(base_ + "/v1/advertisers/a/ads:watch",
                  {"Accept: text/event-stream"});
  EXPECT_EQ(r.Header("content-type"), "text/event-stream");
  EXPECT_THAT(r.body, HasSubstr("data: {"));
  EXPECT_THAT(r.body, HasSubstr("event: error\ndata: "));

  // An error before the first message is an ordinary error answer.
  answer_ = [this](std::shared_ptr<Exchange> ex) {
    Answering::Stream(answering_, ex)
        .Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no advertiser"));
  };
  r = client_.Get(base_ + "/v1/advertisers/a/ads:watch");
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace ttads::gateway
