// Following a long audience sync over REST, as a client of the gateway does
// (docs/audience.md "Sync jobs", docs/gateway.md "Streaming"): create an
// audience, upload members as NDJSON to `…/members:sync`, then follow
// `GET /v1/sync-jobs/{job_id}:watch` to its end. The stream must carry the
// job's progress — `total`, `done`, `percent`, and `eta` while RUNNING —
// never going back, and end with SUCCEEDED at 100 % and done == total.
//
// The audience service runs in-process the way its main() does (workers
// included) against the TikTok simulator, with the real gateway and HTTP
// server in front (tests/support/suite_fixture.h).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/config/config.h"
#include "libs/connections/connection_store.h"
#include "libs/http/server.h"
#include "libs/http/test_client.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/audience/audience_config.h"
#include "services/audience/audience_server.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/gateway.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"
#include "tests/support/suite_fixture.h"

namespace ttads {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;

constexpr char kAdvertiser[] = "7101000000000000001";
constexpr int kMembers = 3000;  // ~1,000 digests a file: three files.

class AudienceWatchE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto env = fixture_->ServiceEnv();
    env["TTADS_AUDIENCE_WORKERS"] = "2";
    env["TTADS_AUDIENCE_MAX_FILE_BYTES"] = "65000";
    env["TTADS_AUDIENCE_CHUNK_DIGESTS"] = "1000";
    env["TTADS_AUDIENCE_CLAIM_IDLE_MS"] = "500";
    env["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto config = config::Load(audience::AudienceSchema(), "", env);
    ASSERT_THAT(config, IsOk());
    auto server = audience::AudienceServer::Create(*config);
    ASSERT_THAT(server, IsOk());
    audience_ = *std::move(server);
    ASSERT_THAT(audience_->kit().runner().Start(), IsOk());
    audience_->StartBackground();
    const std::string backend =
        absl::StrCat("127.0.0.1:", audience_->kit().runner().port());

    std::map<std::string, std::string> addresses;
    for (const auto* s : gateway::RouteTable::LinkedServices("ttads.")) {
      addresses[s->full_name()] = backend;
    }
    backends_ = std::make_unique<gateway::BackendPool>(addresses);
    auto routes = gateway::RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(routes, IsOk());
    routes_ = std::make_unique<gateway::RouteTable>(*std::move(routes));
    gateway::QuotaConfig quota;
    quota.limits = {{"standard", 0}};
    quota.default_tier = "standard";
    quota_ = std::make_unique<gateway::QuotaCounter>(fixture_->redis(), quota);
    gateway_ = std::make_unique<gateway::Gateway>(*routes_, *backends_,
                                                  fixture_->teams(), *quota_,
                                                  gateway::GatewayOptions{});
    http::HttpServer::Options options;
    // Uploads are streamed to the backend, as ttads-gateway's main() does.
    options.stream_body = [this](const http::HttpRequest& head) {
      return gateway_->StreamsBody(head);
    };
    http_ = std::make_unique<http::HttpServer>(
        options, [this](http::HttpRequest req, http::HttpResponder resp) {
          gateway_->Handle(std::move(req), std::move(resp));
        });
    ASSERT_THAT(http_->Start(), IsOk());
    base_ = absl::StrCat("http://127.0.0.1:", http_->port());

    // A team whose owner has a TikTok connection reaching kAdvertiser.
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    auto connected = fixture_->ConnectOwner(team_, kAdvertiser);
    ASSERT_THAT(connected, IsOk());
  }

  void TearDown() override {
    if (http_) http_->Stop();
    if (audience_) {
      audience_->StopBackground();
      audience_->kit().runner().Shutdown();
    }
  }

  std::vector<std::string> Headers(const std::string& content_type = "") {
    std::vector<std::string> h = {"Authorization: Bearer " + team_.owner_key};
    if (!content_type.empty()) h.push_back("Content-Type: " + content_type);
    return h;
  }

  // Creates an audience and uploads kMembers e-mails plus one invalid value
  // through the REST API; the job the upload answers.
  json StartSync() {
    auto created = client_.Request(
        "POST",
        absl::StrCat(base_, "/v1/advertisers/", kAdvertiser, "/audiences"),
        Headers("application/json"),
        json{{"name", absl::StrCat("watch-", absl::ToUnixNanos(absl::Now()))},
             {"identifierTypes", {"IDENTIFIER_TYPE_EMAIL"}}}
            .dump());
    EXPECT_EQ(created.status, 200) << created.body;
    const std::string audience =
        json::parse(created.body).value("audienceId", "");
    EXPECT_FALSE(audience.empty()) << created.body;
    // One NDJSON line per 500 values; the invalid value comes first.
    std::string ndjson =
        json{{"batches", {{{"type", "EMAIL"}, {"values", {"not-an-email"}}}}}}
            .dump() +
        "\n";
    for (int from = 0; from < kMembers; from += 500) {
      json values = json::array();
      for (int i = from; i < from + 500; ++i) {
        values.push_back(absl::StrCat("member", i, "@example.com"));
      }
      ndjson +=
          json{{"batches", {{{"type", "EMAIL"}, {"values", values}}}}}.dump() +
          "\n";
    }
    auto synced = client_.Request(
        "POST",
        absl::StrCat(base_, "/v1/advertisers/", kAdvertiser, "/audiences/",
                     audience, "/members:sync?operation=MEMBER_OPERATION_ADD"),
        Headers("application/x-ndjson"), ndjson, 60000);
    EXPECT_EQ(synced.status, 200) << synced.body;
    return json::parse(synced.body, nullptr, /*allow_exceptions=*/false);
  }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  std::unique_ptr<audience::AudienceServer> audience_;
  std::unique_ptr<gateway::BackendPool> backends_;
  std::unique_ptr<gateway::RouteTable> routes_;
  std::unique_ptr<gateway::QuotaCounter> quota_;
  std::unique_ptr<gateway::Gateway> gateway_;
  std::unique_ptr<http::HttpServer> http_;
  std::string base_;
  testing::TestTeam team_;
  http::TestClient client_;
};

// proto3 JSON prints int64 as a string.
int64_t Int(const json& message, const std::string& field) {
  const json& v = message.value(field, json("0"));
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

TEST_F(AudienceWatchE2eTest, WatchStreamsProgressToCompletion) {
  // Each customer-file upload takes a second at TikTok, so the job runs for
  // at least three and the watch, started as soon as the upload is
  // answered, sees it before it ends.
  fixture_->sim().AddFault({.path_prefix = "/dmp/custom_audience/file/upload/",
                            .mode = tiktok_sim::FaultMode::kLatency,
                            .latency_ms = 1000});
  json job = StartSync();
  ASSERT_TRUE(job.is_object());
  const std::string job_id = job.value("jobId", "");
  ASSERT_FALSE(job_id.empty()) << job.dump();
  EXPECT_EQ(Int(job, "total"), kMembers + 1) << job.dump();

  auto watched = client_.Request(
      "GET", absl::StrCat(base_, "/v1/sync-jobs/", job_id, ":watch"), Headers(),
      "", 120000);
  ASSERT_EQ(watched.curl_code, 0) << watched.curl_error;
  ASSERT_EQ(watched.status, 200) << watched.body;
  EXPECT_THAT(watched.Header("content-type"),
              HasSubstr("application/x-ndjson"));

  std::vector<json> seen;
  for (absl::string_view line :
       absl::StrSplit(watched.body, '\n', absl::SkipEmpty())) {
    json m = json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(m.is_object()) << line;
    ASSERT_FALSE(m.contains("error")) << line;
    seen.push_back(std::move(m));
  }
  ASSERT_GE(seen.size(), 2u) << watched.body;
  EXPECT_NE(seen.front().value("state", ""), "SYNC_JOB_STATE_SUCCEEDED");
  int64_t last_done = -1;
  double last_percent = -1;
  bool saw_eta = false;
  for (const json& m : seen) {
    SCOPED_TRACE(m.dump());
    EXPECT_EQ(m.value("jobId", ""), job_id);
    EXPECT_EQ(Int(m, "total"), kMembers + 1);
    const int64_t done = Int(m, "done");
    const double percent = m.value("percent", 0.0);
    EXPECT_GE(done, last_done);
    EXPECT_GE(percent, last_percent);
    EXPECT_LE(done, kMembers + 1);
    EXPECT_LE(percent, 100.0);
    last_done = done;
    last_percent = percent;
    // An ETA only while the job runs: a Duration string ("1.5s").
    if (m.contains("eta")) {
      EXPECT_EQ(m.value("state", ""), "SYNC_JOB_STATE_RUNNING");
      ASSERT_TRUE(m["eta"].is_string());
      EXPECT_EQ(m["eta"].get<std::string>().back(), 's');
      saw_eta = true;
    }
  }
  // The stream ends right after the final state, which it carries.
  const json& final_job = seen.back();
  EXPECT_EQ(final_job.value("state", ""), "SYNC_JOB_STATE_SUCCEEDED");
  EXPECT_EQ(Int(final_job, "done"), kMembers + 1);
  EXPECT_DOUBLE_EQ(final_job.value("percent", 0.0), 100.0);
  EXPECT_FALSE(final_job.contains("eta"));
  EXPECT_TRUE(final_job.contains("progressTime"));
  for (size_t i = 0; i + 1 < seen.size(); ++i) {
    EXPECT_NE(seen[i].value("state", ""), "SYNC_JOB_STATE_SUCCEEDED");
  }
  // The job settles its files over seconds (one a second) while the hub
  // polls every 200 ms: the RUNNING states between carry an ETA.
  EXPECT_TRUE(saw_eta) << watched.body;

  // GET answers the same final progress; a finished job's watch, as SSE, is
  // one event with it.
  auto got =
      client_.Get(absl::StrCat(base_, "/v1/sync-jobs/", job_id), Headers());
  ASSERT_EQ(got.status, 200) << got.body;
  json polled = json::parse(got.body);
  EXPECT_EQ(Int(polled, "done"), kMembers + 1);
  EXPECT_DOUBLE_EQ(polled.value("percent", 0.0), 100.0);
  std::vector<std::string> sse_headers = Headers();
  sse_headers.push_back("Accept: text/event-stream");
  auto sse = client_.Request(
      "GET", absl::StrCat(base_, "/v1/sync-jobs/", job_id, ":watch"),
      sse_headers, "", 30000);
  ASSERT_EQ(sse.status, 200) << sse.body;
  std::vector<std::string> events;
  for (absl::string_view line : absl::StrSplit(sse.body, '\n')) {
    if (absl::ConsumePrefix(&line, "data: ")) events.emplace_back(line);
  }
  ASSERT_EQ(events.size(), 1u) << sse.body;
  EXPECT_EQ(json::parse(events[0]).value("state", ""),
            "SYNC_JOB_STATE_SUCCEEDED");
}

TEST_F(AudienceWatchE2eTest, WatchOfAnUnknownJobIsNotFound) {
  auto r = client_.Request(
      "GET", absl::StrCat(base_, "/v1/sync-jobs/job_unknown:watch"), Headers(),
      "", 30000);
  EXPECT_EQ(r.status, 404) << r.body;
}

// The served OpenAPI document describes the watch route with the proto
// comment of WatchSyncJob and SyncJob.percent's (docs/gateway.md).
TEST_F(AudienceWatchE2eTest, ServedOpenApiCarriesTheProtoComments) {
  auto r = client_.Get(base_ + "/openapi.json");
  ASSERT_EQ(r.status, 200);
  json doc = json::parse(r.body);
  const json& op = doc["paths"]["/v1/sync-jobs/{job_id}:watch"]["get"];
  // Its first sentence is too long for a summary: the name in words.
  EXPECT_EQ(op.value("summary", ""), "Watch sync job");
  EXPECT_THAT(op.value("description", ""),
              ::testing::StartsWith("Follows a sync job: streams the job as "
                                    "it is now, then again each time"));
  const json& percent =
      doc["components"]["schemas"]["ttads.audience.v1.SyncJob"]["properties"]
         ["percent"];
  EXPECT_THAT(percent.value("description", ""), HasSubstr("done"));
}

}  // namespace
}  // namespace ttads
