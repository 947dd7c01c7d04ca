#include "tools/tiktok_sim/request_log.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using Json = nlohmann::json;

http::HttpRequest Request(std::string method, std::string path) {
  http::HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

std::vector<Json> ParseLines(const std::string& text) {
  std::vector<Json> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    out.push_back(Json::parse(line));
  }
  return out;
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".jsonl"))
      .string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(RequestRecordTest, GetKeepsQueryWithRepeatedNamesAndTokenPresence) {
  auto r = Request("GET", "/open_api/v1.3/ad/get/");
  r.query.emplace("advertiser_id", "7101000000000000001");
  r.query.emplace("fields", "[\"ad_id\"]");
  r.query.emplace("x", "1");
  r.query.emplace("x", "2");
  r.headers.Add("Access-Token", "secret-token");
  Json rec = RequestRecord(r);
  EXPECT_EQ(rec["method"], "GET");
  EXPECT_EQ(rec["path"], "/open_api/v1.3/ad/get/");
  EXPECT_EQ(rec["query"]["advertiser_id"], "7101000000000000001");
  EXPECT_EQ(rec["query"]["fields"], "[\"ad_id\"]");
  EXPECT_EQ(rec["query"]["x"], Json::array({"1", "2"}));
  EXPECT_EQ(rec["access_token"], true);
  EXPECT_EQ(rec.dump().find("secret-token"), std::string::npos);
  EXPECT_FALSE(rec.contains("body"));
}

TEST(RequestRecordTest, KeepsTheTraceparentWhenSent) {
  auto r = Request("GET", "/open_api/v1.3/ad/get/");
  EXPECT_FALSE(RequestRecord(r).contains("traceparent"));
  r.headers.Add("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(RequestRecord(r)["traceparent"],
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST(RequestRecordTest, KeepsCustomAndLanguageHeadersOnly) {
  auto r = Request("GET", "/open_api/v1.3/ad/get/");
  EXPECT_FALSE(RequestRecord(r).contains("headers"));
  r.headers.Add("Access-Token", "secret-token");
  r.headers.Add("X-Debug-Id", "42");
  r.headers.Add("Accept-Language", "de-DE");
  r.headers.Add("User-Agent", "curl");
  Json rec = RequestRecord(r);
  EXPECT_EQ(rec["headers"],
            Json({{"X-Debug-Id", "42"}, {"Accept-Language", "de-DE"}}));
  EXPECT_EQ(rec.dump().find("secret-token"), std::string::npos);
}

TEST(RequestRecordTest, JsonBodyIsKeptAsJson) {
  auto r = Request("POST", "/open_api/v1.3/ad/create/");
  r.headers.Add("Content-Type", "application/json");
  r.body = R"({"advertiser_id":"1","creatives":[{"ad_text":"hi"}]})";
  Json rec = RequestRecord(r);
  EXPECT_EQ(rec["content_type"], "application/json");
  EXPECT_EQ(rec["access_token"], false);
  EXPECT_EQ(rec["body"]["creatives"][0]["ad_text"], "hi");
}

TEST(RequestRecordTest, MultipartKeepsFieldsAndFileSizesNotContent) {
  auto r = Request("POST", "/open_api/v1.3/file/image/ad/upload/");
  r.headers.Add("Content-Type", "multipart/form-data; boundary=XyZ");
  r.body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"advertiser_id\"\r\n\r\n"
      "7101\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"image_file\"; "
      "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n"
      "--XyZ--\r\n";
  Json rec = RequestRecord(r);
  EXPECT_EQ(rec["form"], Json({{"advertiser_id", "7101"}}));
  EXPECT_EQ(rec["files"]["image_file"]["filename"], "a.png");
  EXPECT_EQ(rec["files"]["image_file"]["content_type"], "image/png");
  EXPECT_EQ(rec["files"]["image_file"]["bytes"], 7);
  EXPECT_EQ(rec.dump().find("PNGDATA"), std::string::npos);
}

TEST(RequestRecordTest, OtherBodiesAreKeptAsTruncatedText) {
  auto r = Request("POST", "/open_api/v1.3/ad/create/");
  r.headers.Add("Content-Type", "application/json");
  r.body = std::string(10000, 'a');
  Json rec = RequestRecord(r);
  EXPECT_EQ(rec["body_text"].get<std::string>().size(), 4096u);
}

TEST(RequestLogTest, MemoryKeepsTheLastRecordsOnly) {
  RequestLog log(2, "");
  for (const char* p : {"/a/", "/b/", "/c/"}) log.Record(Request("GET", p));
  auto lines = ParseLines(log.JsonLines());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["path"], "/b/");
  EXPECT_EQ(lines[1]["path"], "/c/");
  log.Clear();
  EXPECT_EQ(log.size(), 0u);
}

TEST(RequestLogTest, InvalidUtf8IsWrittenAsValidJson) {
  std::string path = TempPath("request-log-utf8");
  std::filesystem::remove(path);
  {
    RequestLog log(1, path);
    auto r = Request("POST", "/x/");
    r.body = "\xff\xfe not json";
    log.Record(r);
    EXPECT_EQ(ParseLines(log.JsonLines()).size(), 1u);
  }
  EXPECT_EQ(ParseLines(ReadFile(path)).size(), 1u);
  std::filesystem::remove(path);
}

TEST(RequestLogTest, TwoLogsAppendWholeLinesToOneFile) {
  std::string path = TempPath("request-log-shared");
  std::filesystem::remove(path);
  {
    RequestLog a(0, path), b(0, path);
    for (int i = 0; i < 50; ++i) {
      a.Record(Request("GET", "/a/"));
      b.Record(Request("GET", "/b/"));
    }
    EXPECT_EQ(a.size(), 0u);  // Capacity 0: nothing kept in memory.
  }
  auto lines = ParseLines(ReadFile(path));
  ASSERT_EQ(lines.size(), 100u);
  EXPECT_EQ(lines[0]["path"], "/a/");
  EXPECT_EQ(lines[1]["path"], "/b/");
  std::filesystem::remove(path);
}

TEST(RequestLogTest, DefaultFileComesFromTheEnvironment) {
  std::string path = TempPath("request-log-env");
  std::filesystem::remove(path);
  ::setenv("TTADS_SIM_RECORD", path.c_str(), 1);
  {
    RequestLog log;
    log.Record(Request("GET", "/env/"));
  }
  ::unsetenv("TTADS_SIM_RECORD");
  auto lines = ParseLines(ReadFile(path));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["path"], "/env/");
  std::filesystem::remove(path);
}

class SimRequestsTest : public SimTest {};

TEST_F(SimRequestsTest, ApiRequestsAreListedAndClearedControlOnesAreNot) {
  Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                        {"identity_type", "TT_USER"}});
  Post("ad/status/update/", {{"advertiser_id", seed::kAdvertiserTtUser},
                             {"ad_ids", {"7113000000000000001"}},
                             {"operation_status", "DISABLE"}});
  Control("GET", "/_sim/stats");
  Reply r = Control("GET", "/_sim/requests");
  ASSERT_EQ(r.http_status, 200);
  auto lines = ParseLines(r.body);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["path"], "/open_api/v1.3/identity/get/");
  EXPECT_EQ(lines[0]["query"]["identity_type"], "TT_USER");
  EXPECT_EQ(lines[0]["access_token"], true);
  EXPECT_EQ(lines[1]["body"]["operation_status"], "DISABLE");
  EXPECT_EQ(Control("DELETE", "/_sim/requests").http_status, 200);
  EXPECT_TRUE(Control("GET", "/_sim/requests").body.empty());
}

TEST_F(SimRequestsTest, UnknownPathsAreRecordedToo) {
  Get("no/such/endpoint/", {});
  auto lines = ParseLines(Control("GET", "/_sim/requests").body);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["path"], "/open_api/v1.3/no/such/endpoint/");
}

}  // namespace
}  // namespace ttads::tiktok_sim
