// In-process: the identity server's TikTokAccountService and the content
// server against a private Redis and the simulator, over gRPC. A member
// connects the demo TikTok user (Login Kit, consent on the simulator), lists
// every post page by page, and watches new posts (5 per cycle, resumed from
// a cursor without repeats).

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/http/query.h"
#include "libs/http/test_client.h"
#include "libs/media/test_audio.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/content/content_server.h"
#include "services/identity/identity_config.h"
#include "services/identity/identity_server.h"
#include "tests/support/inproc_gateway.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::content {
namespace {

using ::testing::ElementsAre;
using ::ttads::testing::Authorize;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;

class ContentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = std::move(*fixture);
    auto env = fixture_->ServiceEnv();
    env["TTADS_TIKTOK_OPEN_BASE_URL"] = fixture_->sim().root_url() + "/";
    env["TTADS_TIKTOK_AUTHORIZE_URL"] =
        fixture_->sim().root_url() + "/v2/auth/authorize/";
    auto id_config = config::Load(identity::IdentitySchema(), "", env);
    ASSERT_THAT(id_config, IsOk());
    auto identity = identity::IdentityServer::Create(*id_config);
    ASSERT_THAT(identity, IsOk());
    identity_ = std::move(*identity);
    ASSERT_THAT(identity_->kit().runner().Start(), IsOk());

    env["TTADS_CONTENT_WATCH_INTERVAL_SECONDS"] = "1";
    // oEmbed goes through libs/fetch's public-address rules: the
    // simulator's loopback address is allowed by name, as deployments allow
    // an internal proxy.
    const std::string root = fixture_->sim().root_url();
    env["TTADS_TIKTOK_OEMBED_URL"] = root + "/oembed";
    env["TTADS_FETCH_PRIVATE_ALLOWLIST"] = root.substr(root.find("//") + 2);
    auto raw = config::Load(ContentSchema(), "", env);
    ASSERT_THAT(raw, IsOk());
    auto typed = ContentConfigFrom(*raw);
    ASSERT_THAT(typed, IsOk());
    auto content = ContentServer::Create(*typed);
    ASSERT_THAT(content, IsOk());
    content_ = std::move(*content);
    ASSERT_THAT(content_->kit().runner().Start(), IsOk());

    accounts_ = identity::v1::TikTokAccountService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", identity_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
    posts_ = v1::ContentService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", content_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
  }

  // Start, consent at the simulator, complete: the new connection's id.
  std::string Connect(const std::string& scopes) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, team_.owner_key);
    identity::v1::StartTikTokAccountConnectionRequest start;
    start.set_redirect_uri("https://app.example/cb");
    start.add_scopes("user.info.basic");
    start.add_scopes("video.list");
    start.add_scopes("share.sound.create");
    identity::v1::StartTikTokAccountConnectionResponse started;
    grpc::Status st =
        accounts_->StartTikTokAccountConnection(&start_ctx, start, &started);
    EXPECT_THAT(st, GrpcIsOk());
    http::TestClient client;
    auto consent = client.Get(started.authorization_url() + "&grant=" + scopes);
    EXPECT_EQ(consent.status, 302) << consent.body;
    std::string_view path, query;
    http::SplitTarget(consent.Header("location"), &path, &query);
    auto params = http::ParseQuery(query);
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    identity::v1::CompleteTikTokAccountConnectionRequest complete;
    complete.set_state(params.find("state")->second);
    complete.set_code(params.find("code")->second);
    identity::v1::TikTokAccountConnection connection;
    st =
        accounts_->CompleteTikTokAccountConnection(&ctx, complete, &connection);
    EXPECT_THAT(st, GrpcIsOk());
    EXPECT_EQ(connection.open_id(), tiktok_sim::seed::kTikTokUserDemo);
    return connection.connection_id();
  }

  std::unique_ptr<SuiteFixture> fixture_;
  std::unique_ptr<identity::IdentityServer> identity_;
  std::unique_ptr<ContentServer> content_;
  std::unique_ptr<identity::v1::TikTokAccountService::Stub> accounts_;
  std::unique_ptr<v1::ContentService::Stub> posts_;
  TestTeam team_;
};

TEST_F(ContentServiceTest, ConnectThenListEveryPostOnce) {
  const std::string id = Connect("user.info.basic,video.list");
  grpc::ClientContext list_ctx;
  Authorize(&list_ctx, team_.owner_key);
  identity::v1::ListTikTokAccountConnectionsResponse listed;
  ASSERT_THAT(accounts_->ListTikTokAccountConnections(
                  &list_ctx,
                  identity::v1::ListTikTokAccountConnectionsRequest(), &listed),
              GrpcIsOk());
  ASSERT_EQ(listed.connections_size(), 1);
  EXPECT_THAT(listed.connections(0).scopes(),
              ElementsAre("user.info.basic", "video.list"));

  std::set<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ListVideoPostsRequest req;
    req.set_connection_id(id);
    req.set_page_token(token);
    v1::ListVideoPostsResponse resp;
    grpc::Status st = posts_->ListVideoPosts(&ctx, req, &resp);
    ASSERT_THAT(st, GrpcIsOk());
    EXPECT_LE(resp.posts_size(), 10);
    for (const auto& p : resp.posts()) {
      EXPECT_TRUE(ids.insert(p.post_id()).second) << p.post_id();
    }
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(ids.size(), static_cast<size_t>(tiktok_sim::seed::kDemoUserPosts));

  // Other teams do not see it; a bad page token changes nothing.
  auto other = fixture_->CreateTeam();
  ASSERT_THAT(other, IsOk());
  grpc::ClientContext other_ctx;
  Authorize(&other_ctx, other->owner_key);
  v1::ListVideoPostsRequest req;
  req.set_connection_id(id);
  v1::ListVideoPostsResponse resp;
  EXPECT_THAT(posts_->ListVideoPosts(&other_ctx, req, &resp),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  grpc::ClientContext bad_ctx;
  Authorize(&bad_ctx, team_.owner_key);
  req.set_page_token("not-ours");
  EXPECT_THAT(posts_->ListVideoPosts(&bad_ctx, req, &resp),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
}

TEST_F(ContentServiceTest, WithoutVideoListScopeListingIsRefused) {
  const std::string id = Connect("user.info.basic");
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::ListVideoPostsRequest req;
  req.set_connection_id(id);
  v1::ListVideoPostsResponse resp;
  EXPECT_THAT(posts_->ListVideoPosts(&ctx, req, &resp),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

// Reads `n` events from a watch stream.
std::vector<v1::VideoPostEvent> ReadEvents(
    grpc::ClientReader<v1::VideoPostEvent>* reader, int n) {
  std::vector<v1::VideoPostEvent> out;
  v1::VideoPostEvent e;
  while (static_cast<int>(out.size()) < n && reader->Read(&e)) out.push_back(e);
  return out;
}

TEST_F(ContentServiceTest, WatchDeliversNewPostsOnceAndResumes) {
  const std::string id = Connect("user.info.basic,video.list");
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key, 60);
  v1::WatchVideoPostsRequest req;
  req.set_connection_id(id);
  auto reader = posts_->WatchVideoPosts(&ctx, req);
  // Wait until the poller runs before publishing (it starts "from now").
  while (content_->watch().pollers() == 0) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  std::vector<std::string> published;
  for (int i = 0; i < 7; ++i) {
    auto post = fixture_->sim().PublishVideoPost(
        tiktok_sim::seed::kTikTokUserDemo, absl::StrCat("new ", i));
    ASSERT_THAT(post, IsOk());
    published.push_back(post->id);
  }
  auto events = ReadEvents(reader.get(), 7);
  ASSERT_EQ(events.size(), 7u);
  std::vector<std::string> got;
  for (const auto& e : events) got.push_back(e.post().post_id());
  EXPECT_EQ(got, published);  // Oldest first, each once.
  ctx.TryCancel();

  // Resume after the third event: the four after it, then a new one.
  grpc::ClientContext again;
  Authorize(&again, team_.owner_key, 60);
  req.set_cursor(events[2].cursor());
  auto resumed = posts_->WatchVideoPosts(&again, req);
  auto later = fixture_->sim().PublishVideoPost(
      tiktok_sim::seed::kTikTokUserDemo, "later");
  ASSERT_THAT(later, IsOk());
  auto rest = ReadEvents(resumed.get(), 5);
  std::vector<std::string> rest_ids;
  for (const auto& e : rest) rest_ids.push_back(e.post().post_id());
  EXPECT_EQ(rest_ids,
            (std::vector<std::string>{published[3], published[4], published[5],
                                      published[6], later->id}));
  again.TryCancel();
}

TEST_F(ContentServiceTest, EmbeddedVideoIsFetchedOnceThenCached) {
  const std::string url = absl::StrCat(
      "https://www.tiktok.com/@", tiktok_sim::seed::kTikTokUserDemoName,
      "/video/", tiktok_sim::seed::DemoPostId(2), "?is_from_webapp=1");
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::GetEmbeddedVideoRequest req;
    req.set_video_url(url);
    v1::GetEmbeddedVideoResponse resp;
    grpc::Status st = posts_->GetEmbeddedVideo(&ctx, req, &resp);
    ASSERT_THAT(st, GrpcIsOk());
    EXPECT_EQ(resp.video_id(), tiktok_sim::seed::DemoPostId(2));
    EXPECT_EQ(resp.type(), "video");
    EXPECT_THAT(resp.html(), ::testing::HasSubstr("tiktok-embed"));
    EXPECT_EQ(resp.provider_name(), "TikTok");
    EXPECT_EQ(resp.cached(), i > 0);
  }
  EXPECT_EQ(fixture_->sim().stats().calls["/oembed"].total, 1);
  // Stored under the canonical URL, with the configured TTL.
  auto ttl = fixture_->redis().Command(
      {"PTTL", absl::StrCat("ttads:oembed:https://www.tiktok.com/@",
                            tiktok_sim::seed::kTikTokUserDemoName, "/video/",
                            tiktok_sim::seed::DemoPostId(2))});
  ASSERT_THAT(ttl, IsOk());
  EXPECT_GT(ttl->integer, 3500 * 1000);
}

TEST_F(ContentServiceTest, EmbeddedVideoRefusalsAndUpstreamErrors) {
  auto call = [&](const std::string& url) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::GetEmbeddedVideoRequest req;
    req.set_video_url(url);
    v1::GetEmbeddedVideoResponse resp;
    return posts_->GetEmbeddedVideo(&ctx, req, &resp);
  };
  EXPECT_THAT(call("https://vm.tiktok.com/ZMRjsP94a/"),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(call("http://127.0.0.1/@u/video/1"),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(call(""), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(fixture_->sim().stats().calls["/oembed"].total, 0);
  EXPECT_THAT(call("https://www.tiktok.com/@ttads.demo/video/404"),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  fixture_->sim().AddFault({.path_prefix = "/oembed",
                            .mode = tiktok_sim::FaultMode::kHttpStatus,
                            .http_status = 503,
                            .count = 1});
  const std::string good =
      absl::StrCat("https://www.tiktok.com/@ttads.demo/video/",
                   tiktok_sim::seed::DemoPostId(1));
  EXPECT_THAT(call(good), GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_THAT(call(good), GrpcIsOk());  // Errors were not cached.
}

// Streams `bytes` in 1 MiB messages; the answer's status.
grpc::Status StreamSound(v1::ContentService::Stub* stub, const std::string& key,
                         const std::string& conn, const std::string& name,
                         const std::string& bytes,
                         v1::UploadSoundResponse* resp,
                         int* writes_ok = nullptr) {
  grpc::ClientContext ctx;
  Authorize(&ctx, key, 60);
  auto writer = stub->UploadSound(&ctx, resp);
  int ok = 0;
  bool first = true;
  for (size_t at = 0; at < bytes.size() || first; at += 1 << 20) {
    v1::UploadSoundRequest m;
    if (first) {
      m.set_connection_id(conn);
      m.set_file_name(name);
      first = false;
    }
    m.set_data(bytes.substr(at, 1 << 20));
    if (!writer->Write(m)) break;
    ++ok;
  }
  writer->WritesDone();
  if (writes_ok != nullptr) *writes_ok = ok;
  return writer->Finish();
}

TEST_F(ContentServiceTest, UploadSoundChecksTheFileThenSendsIt) {
  const std::string id = Connect("user.info.basic,share.sound.create");
  auto sounds = [&] {
    return fixture_->sim().WithState(
        [](tiktok_sim::SimState& s) { return s.open.sounds.size(); });
  };
  // 20 s of wav named .mp3: taken as wav.
  auto wav = media::testing::MakeTone("wav", absl::Seconds(20));
  ASSERT_THAT(wav, IsOk());
  v1::UploadSoundResponse resp;
  grpc::Status st = StreamSound(posts_.get(), team_.owner_key, id,
                                "renamed.mp3", *wav, &resp);
  ASSERT_THAT(st, GrpcIsOk());
  EXPECT_FALSE(resp.sound_id().empty());
  EXPECT_EQ(resp.format(), v1::SOUND_FORMAT_WAV);
  EXPECT_EQ(resp.size_bytes(), static_cast<int64_t>(wav->size()));
  EXPECT_EQ(resp.duration().seconds(), 20);
  EXPECT_EQ(sounds(), 1u);
  auto mp3 = media::testing::MakeTone("mp3", absl::Seconds(20));
  ASSERT_THAT(mp3, IsOk());
  st = StreamSound(posts_.get(), team_.owner_key, id, "song.mp3", *mp3, &resp);
  ASSERT_THAT(st, GrpcIsOk());
  EXPECT_EQ(resp.format(), v1::SOUND_FORMAT_MP3);
  EXPECT_EQ(sounds(), 2u);
  fixture_->sim().WithState([&](tiktok_sim::SimState& s) {
    EXPECT_EQ(s.open.sounds[resp.sound_id()].file_name, "song.mp3");
    EXPECT_EQ(s.open.sounds[resp.sound_id()].open_id,
              tiktok_sim::seed::kTikTokUserDemo);
    return 0;
  });

  // Refusals: nothing reaches the simulator.
  const int64_t before =
      fixture_->sim().stats().calls["/v2/share/sound/upload/"].total;
  auto short_one = media::testing::MakeTone("flac", absl::Seconds(5));
  ASSERT_THAT(short_one, IsOk());
  EXPECT_THAT(StreamSound(posts_.get(), team_.owner_key, id, "a.flac",
                          *short_one, &resp),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(StreamSound(posts_.get(), team_.owner_key, id, "a.mp3",
                          std::string(300000, 'j'), &resp),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  // 80 MiB offered: refused once 50 MB is reached, before the end.
  int writes = 0;
  EXPECT_THAT(StreamSound(posts_.get(), team_.owner_key, id, "big.wav",
                          std::string(80 << 20, 'a'), &resp, &writes),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_LT(writes, 80);
  EXPECT_EQ(fixture_->sim().stats().calls["/v2/share/sound/upload/"].total,
            before);
  EXPECT_EQ(sounds(), 2u);
}

// Through the REST gateway: the raw file as the body, streamed to
// ttads-content in chunks; the Content-Type (audio/mpeg) and the name
// (.mp3) say mp3, the bytes say WAV, and the bytes win.
TEST_F(ContentServiceTest, RawSoundBodyThroughTheGatewayIsUploaded) {
  const std::string id = Connect("user.info.basic,share.sound.create");
  auto gateway = testing::InProcessGateway::Start(
      fixture_->redis(), fixture_->teams(),
      {.address = testing::ByName(
           {{"ttads.content.v1",
             absl::StrCat("127.0.0.1:", content_->kit().runner().port())},
            {"ttads.identity.v1",
             absl::StrCat("127.0.0.1:", identity_->kit().runner().port())}})});
  ASSERT_THAT(gateway, IsOk());
  const std::string url =
      absl::StrCat((*gateway)->base_url(), "/v1/tiktok-accounts/", id,
                   "/sounds:upload?file_name=jingle.mp3");
  const std::vector<std::string> headers = {
      "Authorization: Bearer " + team_.owner_key, "Content-Type: audio/mpeg"};
  auto wav = media::testing::MakeTone("wav", absl::Seconds(20));
  ASSERT_THAT(wav, IsOk());
  ASSERT_GT(wav->size(), 256u * 1024);  // More than one chunk.
  http::TestClient client;
  auto r = client.Request("POST", url, headers, *wav);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, ::testing::HasSubstr(R"("format":"SOUND_FORMAT_WAV")"));
  EXPECT_THAT(r.body, ::testing::HasSubstr(
                          absl::StrCat(R"("sizeBytes":")", wav->size(), "\"")));
  EXPECT_THAT(r.body, ::testing::HasSubstr(R"("fileName":"jingle.mp3")"));
  fixture_->sim().WithState([&](tiktok_sim::SimState& s) {
    EXPECT_EQ(s.open.sounds.size(), 1u);
    for (const auto& [sound_id, sound] : s.open.sounds) {
      EXPECT_EQ(sound.file_name, "jingle.mp3");
    }
    return 0;
  });

  // A 5 s flac: refused by content (400 naming data), nothing sent on.
  const int64_t before =
      fixture_->sim().stats().calls["/v2/share/sound/upload/"].total;
  auto short_one = media::testing::MakeTone("flac", absl::Seconds(5));
  ASSERT_THAT(short_one, IsOk());
  r = client.Request("POST", url, headers, *short_one);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.body, ::testing::HasSubstr(R"("field":"data")"));
  EXPECT_EQ(fixture_->sim().stats().calls["/v2/share/sound/upload/"].total,
            before);
}

TEST_F(ContentServiceTest, UploadSoundNeedsTheScope) {
  const std::string id = Connect("user.info.basic,video.list");
  auto wav = media::testing::MakeTone("wav", absl::Seconds(20));
  ASSERT_THAT(wav, IsOk());
  v1::UploadSoundResponse resp;
  EXPECT_THAT(
      StreamSound(posts_.get(), team_.owner_key, id, "a.wav", *wav, &resp),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(fixture_->sim().stats().calls["/v2/share/sound/upload/"].total, 0);
}

}  // namespace
}  // namespace ttads::content
