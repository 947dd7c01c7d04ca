#include "tools/tiktok_sim/sim_test_util.h"

#include "absl/strings/str_cat.h"
#include "libs/http/query.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok_sim {

using ::ttads::testing::IsOk;

void SimTest::SetUp() {
  auto sim = TikTokSim::Start({});
  ASSERT_THAT(sim, IsOk());
  sim_ = std::move(*sim);
  token_ =
      sim_->IssueAccessToken({seed::kAdvertiserTtUser,
                              seed::kAdvertiserNoTtUser, seed::kAdvertiserBc});
}

void SimTest::TearDown() {
  if (sim_) {
    absl::Status st = sim_->CheckViolations();
    EXPECT_THAT(st, IsOk());
  }
  sim_.reset();
}

SimTest::Reply SimTest::Parse(const http::TestClient::Result& r) {
  Reply out;
  out.http_status = r.status;
  out.curl_code = r.curl_code;
  out.body = r.body;
  out.json = nlohmann::json::parse(r.body, nullptr, false);
  if (out.json.is_discarded()) out.json = nullptr;
  return out;
}

SimTest::Reply SimTest::Get(const std::string& rel_path,
                            const std::map<std::string, nlohmann::json>& params,
                            const std::string& token) {
  std::string url = sim_->base_url() + rel_path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    std::string value = v.is_string() ? v.get<std::string>() : v.dump();
    absl::StrAppend(&url, std::string(1, sep), http::PercentEncode(k), "=",
                    http::PercentEncode(value));
    sep = '&';
  }
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Access-Token: " + token);
  return Parse(client_.Get(url, headers));
}

SimTest::Reply SimTest::Post(const std::string& rel_path,
                             const nlohmann::json& body,
                             const std::string& token) {
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!token.empty()) headers.push_back("Access-Token: " + token);
  return Parse(client_.Request("POST", sim_->base_url() + rel_path, headers,
                               body.dump()));
}

SimTest::Reply SimTest::Upload(
    const std::string& rel_path,
    const std::vector<http::TestClient::Part>& parts) {
  return Parse(client_.PostMultipart(sim_->base_url() + rel_path, parts,
                                     {"Access-Token: " + token_}));
}

SimTest::Reply SimTest::Control(const std::string& method,
                                const std::string& path,
                                const nlohmann::json& body) {
  std::vector<std::string> headers;
  std::string payload;
  if (!body.is_null()) {
    headers.push_back("Content-Type: application/json");
    payload = body.dump();
  }
  return Parse(
      client_.Request(method, sim_->root_url() + path, headers, payload));
}

namespace {

void PutU32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i)
    s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

std::string MakePng(int width, int height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  PutU32(&ihdr, 13);
  ihdr += "IHDR";
  PutU32(&ihdr, static_cast<uint32_t>(width));
  PutU32(&ihdr, static_cast<uint32_t>(height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB.
  PutU32(&ihdr, 0);                                // CRC (not checked).
  png += ihdr;
  png += std::string(64, '\0');  // Filler standing in for IDAT/IEND.
  return png;
}

}  // namespace ttads::tiktok_sim
