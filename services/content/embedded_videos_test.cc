// EmbeddedVideoGetter with a counting fake oEmbed and an in-memory cache:
// refusals before any fetch or lookup, one TikTok call for repeated URLs
// (in any spelling of the same video), errors passed on and not cached.

#include "services/content/embedded_videos.h"

#include <map>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::content {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kAnswer[] =
    R"({"version":"1.0","type":"video","title":"cats","author_name":"Scout",
        "author_url":"https://www.tiktok.com/@scout2015","html":"<blockquote>",
        "thumbnail_url":"https://cdn.example/t.jpg","thumbnail_width":576,
        "thumbnail_height":1024,"provider_name":"TikTok",
        "provider_url":"https://www.tiktok.com"})";

class CountingOEmbed : public tiktok_open::OEmbedApi {
 public:
  absl::StatusOr<std::string> Fetch(const tiktok_open::VideoUrl& url,
                                    absl::Time) override {
    ++calls;
    asked.push_back(url.canonical);
    if (!error.ok()) return error;
    return std::string(kAnswer);
  }
  int calls = 0;
  std::vector<std::string> asked;
  absl::Status error;
};

class MapCache : public EmbedCache {
 public:
  absl::StatusOr<std::optional<std::string>> Get(
      const std::string& url) override {
    ++gets;
    if (!down.ok()) return down;
    auto it = entries.find(url);
    if (it == entries.end()) return std::nullopt;
    return std::optional<std::string>(it->second);
  }
  absl::Status Put(const std::string& url, const std::string& answer,
                   absl::Duration ttl) override {
    if (!down.ok()) return down;
    entries[url] = answer;
    last_ttl = ttl;
    return absl::OkStatus();
  }
  std::map<std::string, std::string> entries;
  int gets = 0;
  absl::Duration last_ttl;
  absl::Status down;
};

class EmbeddedVideoTest : public ::testing::Test {
 protected:
  absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }
  CountingOEmbed api_;
  MapCache cache_;
  EmbeddedVideoGetter getter_{&api_, &cache_, absl::Minutes(60)};
};

TEST_F(EmbeddedVideoTest, SecondCallIsServedFromTheCache) {
  auto first =
      getter_.Get("https://www.tiktok.com/@scout2015/video/6718335390845095173",
                  Deadline());
  ASSERT_THAT(first, IsOk());
  EXPECT_FALSE(first->cached);
  EXPECT_EQ(first->video.author_name, "Scout");
  EXPECT_EQ(cache_.last_ttl, absl::Minutes(60));
  // The same video spelled differently: one key, no second TikTok call.
  auto second = getter_.Get(
      "http://TIKTOK.com/@scout2015/video/6718335390845095173/?lang=en",
      Deadline());
  ASSERT_THAT(second, IsOk());
  EXPECT_TRUE(second->cached);
  EXPECT_EQ(second->video.html, "<blockquote>");
  EXPECT_EQ(second->video.thumbnail_width, 576);
  EXPECT_EQ(api_.calls, 1);
  EXPECT_THAT(api_.asked,
              ::testing::ElementsAre("https://www.tiktok.com/@scout2015/video/"
                                     "6718335390845095173"));
}

TEST_F(EmbeddedVideoTest, NonVideoUrlsAreRefusedBeforeAnyLookupOrFetch) {
  for (const char* url :
       {"", "https://vm.tiktok.com/ZMRjsP94a/", "https://example.com/x",
        "https://www.tiktok.com/@scout2015", "javascript:alert(1)",
        "https://169.254.169.254/@u/video/1"}) {
    auto got = getter_.Get(url, Deadline());
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << url;
    google::rpc::BadRequest bad;
    ASSERT_TRUE(status::GetDetail(got.status(), &bad)) << url;
    EXPECT_EQ(bad.field_violations(0).field(), "video_url");
  }
  EXPECT_EQ(api_.calls, 0);
  EXPECT_EQ(cache_.gets, 0);
}

TEST_F(EmbeddedVideoTest, UpstreamErrorsPassThroughAndAreNotCached) {
  api_.error = absl::NotFoundError("no such video");
  const std::string url = "https://www.tiktok.com/@u/video/1";
  EXPECT_THAT(getter_.Get(url, Deadline()),
              StatusIs(absl::StatusCode::kNotFound));
  api_.error = absl::UnavailableError("down");
  EXPECT_THAT(getter_.Get(url, Deadline()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(cache_.entries.empty());
  api_.error = absl::OkStatus();
  EXPECT_THAT(getter_.Get(url, Deadline()), IsOk());
  EXPECT_EQ(api_.calls, 3);
}

TEST_F(EmbeddedVideoTest, CacheOutageFallsBackToTikTok) {
  cache_.down = absl::UnavailableError("redis down");
  auto got = getter_.Get("https://www.tiktok.com/@u/video/1", Deadline());
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->cached);
  EXPECT_EQ(api_.calls, 1);
}

TEST_F(EmbeddedVideoTest, UnreadableCacheEntryIsRefetched) {
  cache_.entries["https://www.tiktok.com/@u/video/1"] = "garbage";
  auto got = getter_.Get("https://www.tiktok.com/@u/video/1", Deadline());
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->cached);
  EXPECT_EQ(api_.calls, 1);
  EXPECT_EQ(cache_.entries["https://www.tiktok.com/@u/video/1"], kAnswer);
}

}  // namespace
}  // namespace ttads::content
