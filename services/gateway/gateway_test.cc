// End to end: real HTTP against the gateway, fake gRPC backends (every ttads
// service, in-process on an ephemeral port), a private Redis for API keys and
// quotas.
#include "services/gateway/gateway.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/grpc.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "libs/auth/caching_team_store.h"
#include "libs/auth/redis_team_store.h"
#include "libs/http/server.h"
#include "libs/http/test_client.h"
#include "libs/log/log.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/store/key_schema.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/gateway/backend_pool.h"
#include "services/gateway/gateway_config.h"
#include "services/gateway/route_table.h"
#include "services/gateway/unary_retry.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.grpc.pb.h"
#include "ttads/compat/v1/zernio_ads_service.grpc.pb.h"
#include "ttads/content/v1/content_service.grpc.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::gateway {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

// What the fakes saw.
struct Seen {
  absl::Mutex mu;
  std::multimap<std::string, std::string> metadata;  // last call
  std::string request_json;                          // last request
  std::atomic<int> preflight_calls{0};
  std::atomic<int> tool_calls{0};
  std::atomic<int> identity_calls{0};
  std::atomic<int> raw_calls{0};
  std::map<std::string, std::string> ads_by_request_id;
  std::vector<std::string> tool_request_ids;  // x-request-id of every call
  std::vector<std::string> sync_messages;
  // UploadSound: every message of the last stream, whether the stream was
  // ended by its sender (half-close) rather than cancelled, and the number
  // of streams that are over.
  std::vector<content::v1::UploadSoundRequest> sound_messages;
  bool sound_completed = false;
  std::atomic<int> sound_streams{0};
  int sound_streams_done = 0;
  // While > 0, PublishCheck and ExecuteAddTikTokAd answer UNAVAILABLE (and
  // count it down), like a backend that is restarting.
  std::atomic<int> fail_unavailable{0};

  bool Unavailable() {
    int left = fail_unavailable.load();
    while (left > 0 &&
           !fail_unavailable.compare_exchange_weak(left, left - 1)) {
    }
    return left > 0;
  }

  void Record(grpc::CallbackServerContext* ctx,
              const google::protobuf::Message& request) {
    absl::MutexLock lock(&mu);
    metadata.clear();
    for (const auto& [k, v] : ctx->client_metadata()) {
      metadata.emplace(std::string(k.data(), k.size()),
                       std::string(v.data(), v.size()));
    }
    request_json.clear();
    google::protobuf::util::MessageToJsonString(request, &request_json);
  }
  std::string Meta(const std::string& key) {
    absl::MutexLock lock(&mu);
    auto it = metadata.find(key);
    return it == metadata.end() ? "" : it->second;
  }
};

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* ctx,
                               grpc::Status status = grpc::Status::OK) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

const grpc::Status kRestarting(grpc::StatusCode::UNAVAILABLE,
                               "the backend is restarting");

class FakeIdentity : public identity::v1::IdentityService::CallbackService {
 public:
  explicit FakeIdentity(Seen& seen) : seen_(seen) {}
  grpc::ServerUnaryReactor* CheckIdentity(
      grpc::CallbackServerContext* ctx,
      const identity::v1::CheckIdentityRequest* req,
      identity::v1::CheckIdentityResponse* resp) override {
    seen_.Record(ctx, *req);
    ++seen_.identity_calls;
    if (absl::StartsWith(req->advertiser_id(), "echo:")) {
      // A backend that puts bytes it did not validate into its error
      // message (here: ill-formed UTF-8).
      return Done(ctx, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "no advertiser " + req->advertiser_id() +
                                        " \xff\xfe"));
    }
    resp->set_has_identity(false);
    resp->set_reason("no_tt_user");
    resp->set_advertiser_id(req->advertiser_id());
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* ConfigureBrandIdentity(
      grpc::CallbackServerContext* ctx,
      const identity::v1::ConfigureBrandIdentityRequest* req,
      identity::v1::ConfigureBrandIdentityResponse* resp) override {
    seen_.Record(ctx, *req);
    if (req->display_name().size() > 40) {
      return Done(ctx, status::ToGrpcStatus(status::InvalidArgument(
                           "display_name is too long",
                           {{"display_name", "must be 1-40 characters"}})));
    }
    resp->set_success(true);
    resp->set_identity_id("7000000000000000001");
    resp->set_display_name(req->display_name());
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* ListIdentities(
      grpc::CallbackServerContext* ctx,
      const identity::v1::ListIdentitiesRequest* req,
      identity::v1::ListIdentitiesResponse* resp) override {
    seen_.Record(ctx, *req);
    resp->set_advertiser_id(req->advertiser_id());
    auto* tt_user = resp->add_identities();
    tt_user->set_identity_id("7000000000000000010");
    tt_user->set_identity_type(common::v1::IDENTITY_TYPE_TT_USER);
    tt_user->set_display_name("demo.shop");
    auto* custom = resp->add_identities();
    custom->set_identity_id("7000000000000000011");
    custom->set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
    custom->set_display_name("Demo Shop");
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* ResolveIdentity(
      grpc::CallbackServerContext* ctx,
      const identity::v1::ResolveIdentityRequest* req,
      identity::v1::ResolveIdentityResponse*) override {
    seen_.Record(ctx, *req);
    ++seen_.identity_calls;
    return Done(ctx, seen_.Unavailable() ? kRestarting : grpc::Status::OK);
  }
  grpc::ServerUnaryReactor* CreateIdentity(
      grpc::CallbackServerContext* ctx,
      const identity::v1::CreateIdentityRequest* req,
      common::v1::Identity* resp) override {
    seen_.Record(ctx, *req);
    return Done(ctx, status::ToGrpcStatus(status::WithRetryInfo(
                         absl::ResourceExhaustedError("TikTok is throttling"),
                         absl::Seconds(2))));
  }

 private:
  Seen& seen_;
};

class FakePreflight : public preflight::v1::PreflightService::CallbackService {
 public:
  explicit FakePreflight(Seen& seen) : seen_(seen) {}
  grpc::ServerUnaryReactor* PublishCheck(
      grpc::CallbackServerContext* ctx,
      const preflight::v1::PublishCheckRequest* req,
      preflight::v1::PublishCheckResponse* resp) override {
    seen_.Record(ctx, *req);
    ++seen_.preflight_calls;
    if (seen_.Unavailable()) return Done(ctx, kRestarting);
    resp->set_ready(false);
    resp->add_missing("identity");
    resp->set_advertiser_id(req->advertiser_id());
    resp->set_objective(req->objective());
    return Done(ctx);
  }

 private:
  Seen& seen_;
};

// The seeds' shapes of CreateAd (ttads.compat.v1), served by ads.
class FakeAdspirerTools
    : public compat::v1::AdspirerToolsService::CallbackService {
 public:
  explicit FakeAdspirerTools(Seen& seen) : seen_(seen) {}
  grpc::ServerUnaryReactor* ExecuteAddTikTokAd(
      grpc::CallbackServerContext* ctx,
      const compat::v1::ExecuteAddTikTokAdRequest* req,
      compat::v1::ExecuteAddTikTokAdResponse* resp) override {
    seen_.Record(ctx, *req);
    ++seen_.tool_calls;
    {
      absl::MutexLock lock(&seen_.mu);
      auto it = seen_.metadata.find("x-request-id");
      seen_.tool_request_ids.push_back(it == seen_.metadata.end() ? ""
                                                                  : it->second);
    }
    if (seen_.Unavailable()) return Done(ctx, kRestarting);
    std::string ad_id;
    {
      // Idempotent on request_id, like the real ads service.
      absl::MutexLock lock(&seen_.mu);
      const std::string& rid = req->arguments().request_id();
      auto it = seen_.ads_by_request_id.find(rid);
      if (!rid.empty() && it != seen_.ads_by_request_id.end()) {
        ad_id = it->second;
      } else {
        ad_id = absl::StrCat("ad_", seen_.ads_by_request_id.size() + 1,
                             rid.empty() ? "_anon" : "");
        if (!rid.empty()) seen_.ads_by_request_id[rid] = ad_id;
      }
    }
    resp->set_success(true);
    resp->set_tool("add_tiktok_ad");
    (*resp->mutable_data()->mutable_fields())["text"].set_string_value(
        absl::StrCat("created ", ad_id));
    (*resp->mutable_data()->mutable_fields())["ad_id"].set_string_value(ad_id);
    return Done(ctx);
  }

 private:
  Seen& seen_;
};

class FakeZernioAds : public compat::v1::ZernioAdsService::CallbackService {
 public:
  explicit FakeZernioAds(Seen& seen) : seen_(seen) {}
  grpc::ServerUnaryReactor* CreateAd(
      grpc::CallbackServerContext* ctx, const compat::v1::CreateAdRequest* req,
      compat::v1::CreateAdResponse* resp) override {
    seen_.Record(ctx, *req);
    resp->add_ad_ids(absl::StrCat("ad_", req->request_id()));
    resp->set_advertiser_id(req->advertiser_id());
    resp->mutable_identity()->set_identity_id("7000000000000000010");
    resp->mutable_identity()->set_identity_type(
        common::v1::IDENTITY_TYPE_TT_USER);
    resp->set_ad_format("SINGLE_VIDEO");
    resp->set_call_to_action(req->call_to_action());
    return Done(ctx);
  }

 private:
  Seen& seen_;
};

class FakeAds : public ads::v1::AdsService::CallbackService {
 public:
  explicit FakeAds(Seen& seen) : seen_(seen) {}
  grpc::ServerUnaryReactor* CallTikTokApi(
      grpc::CallbackServerContext* ctx,
      const ads::v1::CallTikTokApiRequest* req,
      ads::v1::CallTikTokApiResponse* resp) override {
    seen_.Record(ctx, *req);
    ++seen_.raw_calls;
    if (seen_.Unavailable()) return Done(ctx, kRestarting);
    resp->set_message("OK");
    return Done(ctx);
  }

  grpc::ServerWriteReactor<ads::v1::AdEvent>* WatchAds(
      grpc::CallbackServerContext* ctx,
      const ads::v1::WatchAdsRequest* req) override {
    class Writer : public grpc::ServerWriteReactor<ads::v1::AdEvent> {
     public:
      explicit Writer(std::string advertiser) : advertiser_(advertiser) {
        Next();
      }
      void OnWriteDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status::CANCELLED);
          return;
        }
        Next();
      }
      void OnDone() override { delete this; }

     private:
      void Next() {
        if (n_ == 3) {
          Finish(grpc::Status::OK);
          return;
        }
        ++n_;
        event_.Clear();
        event_.set_type(ads::v1::AD_EVENT_TYPE_CREATED);
        event_.set_cursor(absl::StrCat("c", n_));
        event_.mutable_ad()->set_ad_id(absl::StrCat("ad", n_));
        event_.mutable_ad()->set_advertiser_id(advertiser_);
        StartWrite(&event_);
      }
      std::string advertiser_;
      ads::v1::AdEvent event_;
      int n_ = 0;
    };
    seen_.Record(ctx, *req);
    return new Writer(req->advertiser_id());
  }

 private:
  Seen& seen_;
};

class FakeAudience : public audience::v1::AudienceService::CallbackService {
 public:
  explicit FakeAudience(Seen& seen) : seen_(seen) {}
  grpc::ServerReadReactor<audience::v1::SyncMembersRequest>* SyncMembers(
      grpc::CallbackServerContext* ctx, audience::v1::SyncJob* job) override {
    class Reader
        : public grpc::ServerReadReactor<audience::v1::SyncMembersRequest> {
     public:
      Reader(Seen& seen, audience::v1::SyncJob* job) : seen_(seen), job_(job) {
        {
          absl::MutexLock lock(&seen_.mu);
          seen_.sync_messages.clear();
        }
        StartRead(&request_);
      }
      void OnReadDone(bool ok) override {
        if (!ok) {
          job_->set_job_id("job_1");
          job_->set_state(audience::v1::SYNC_JOB_STATE_QUEUED);
          Finish(grpc::Status::OK);
          return;
        }
        std::string text;
        google::protobuf::util::MessageToJsonString(request_, &text);
        {
          absl::MutexLock lock(&seen_.mu);
          seen_.sync_messages.push_back(text);
        }
        job_->set_advertiser_id(request_.advertiser_id());
        job_->set_audience_id(request_.audience_id());
        job_->set_operation(request_.operation());
        for (const auto& batch : request_.batches()) {
          job_->set_received(job_->received() + batch.values_size());
        }
        request_.Clear();
        StartRead(&request_);
      }
      void OnDone() override { delete this; }

     private:
      Seen& seen_;
      audience::v1::SyncJob* job_;
      audience::v1::SyncMembersRequest request_;
    };
    return new Reader(seen_, job);
  }

 private:
  Seen& seen_;
};

// ttads-content: fixed posts, events and embeds (whose shapes the README
// shows), and an UploadSound that records every message it receives. The
// format of an upload is told from its first bytes, as the real service
// decides it by content (never by the file name).
class FakeContent : public content::v1::ContentService::CallbackService {
 public:
  explicit FakeContent(Seen& seen) : seen_(seen) {}

  static void FillPost(int n, const std::string& connection,
                       content::v1::VideoPost* post) {
    post->set_post_id(absl::StrCat("73000000000000000", n));
    post->mutable_create_time()->set_seconds(1767225600 + n * 3600);
    post->set_title(absl::StrCat("Post ", n, " of ", connection));
    post->set_share_url(absl::StrCat(
        "https://www.tiktok.com/@ttads.demo/video/", post->post_id()));
    post->set_embed_link(
        absl::StrCat("https://www.tiktok.com/player/v1/", post->post_id()));
    post->set_duration_seconds(15 + n);
    post->set_view_count(100 * n);
  }

  grpc::ServerUnaryReactor* ListVideoPosts(
      grpc::CallbackServerContext* ctx,
      const content::v1::ListVideoPostsRequest* req,
      content::v1::ListVideoPostsResponse* resp) override {
    seen_.Record(ctx, *req);
    // Two posts, whatever the page size asked (at most 100, default 10).
    for (int n = 2; n >= 1; --n) {
      FillPost(n, req->connection_id(), resp->add_posts());
    }
    resp->set_next_page_token("1767229200000");
    return Done(ctx);
  }

  grpc::ServerWriteReactor<content::v1::VideoPostEvent>* WatchVideoPosts(
      grpc::CallbackServerContext* ctx,
      const content::v1::WatchVideoPostsRequest* req) override {
    class Writer
        : public grpc::ServerWriteReactor<content::v1::VideoPostEvent> {
     public:
      explicit Writer(std::string connection)
          : connection_(std::move(connection)) {
        Next();
      }
      void OnWriteDone(bool ok) override {
        if (!ok) return Finish(grpc::Status::CANCELLED);
        Next();
      }
      void OnDone() override { delete this; }

     private:
      void Next() {
        if (n_ == 2) return Finish(grpc::Status::OK);
        ++n_;
        event_.Clear();
        FillPost(n_, connection_, event_.mutable_post());
        event_.set_cursor(absl::StrCat(event_.post().create_time().seconds(),
                                       "000.", event_.post().post_id()));
        StartWrite(&event_);
      }
      std::string connection_;
      content::v1::VideoPostEvent event_;
      int n_ = 0;
    };
    seen_.Record(ctx, *req);
    return new Writer(req->connection_id());
  }

  grpc::ServerUnaryReactor* GetEmbeddedVideo(
      grpc::CallbackServerContext* ctx,
      const content::v1::GetEmbeddedVideoRequest* req,
      content::v1::GetEmbeddedVideoResponse* resp) override {
    seen_.Record(ctx, *req);
    const std::string& url = req->video_url();
    size_t at = url.rfind("/video/");
    resp->set_video_url(url);
    resp->set_video_id(at == std::string::npos ? "" : url.substr(at + 7));
    resp->set_html(absl::StrCat("<blockquote class=\"tiktok-embed\" cite=\"",
                                url, "\" data-video-id=\"", resp->video_id(),
                                "\"></blockquote>"));
    resp->set_title("Demo post");
    resp->set_author_name("ttads.demo");
    resp->set_author_url("https://www.tiktok.com/@ttads.demo");
    resp->set_provider_name("TikTok");
    resp->set_provider_url("https://www.tiktok.com");
    resp->set_width("100%");
    resp->set_height("100%");
    resp->set_version("1.0");
    resp->set_type("video");
    return Done(ctx);
  }

  grpc::ServerReadReactor<content::v1::UploadSoundRequest>* UploadSound(
      grpc::CallbackServerContext* ctx,
      content::v1::UploadSoundResponse* resp) override {
    class Reader
        : public grpc::ServerReadReactor<content::v1::UploadSoundRequest> {
     public:
      Reader(Seen& seen, grpc::CallbackServerContext* ctx,
             content::v1::UploadSoundResponse* resp)
          : seen_(seen), ctx_(ctx), resp_(resp) {
        ++seen_.sound_streams;
        {
          absl::MutexLock lock(&seen_.mu);
          seen_.sound_messages.clear();
          seen_.sound_completed = false;
        }
        StartRead(&request_);
      }
      void OnReadDone(bool ok) override {
        if (!ok && ctx_->IsCancelled()) {
          // Cut off by the sender: nothing is uploaded (as ttads-content).
          return Finish(grpc::Status::CANCELLED);
        }
        if (!ok) {
          // Half-closed by the sender: the whole file is here.
          absl::MutexLock lock(&seen_.mu);
          seen_.sound_completed = true;
          if (size_ == 0) {
            return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                       "the file is empty"));
          }
          resp_->set_sound_id("sound_1");
          resp_->set_format(Format());
          resp_->set_size_bytes(size_);
          resp_->mutable_duration()->set_seconds(20);
          resp_->set_file_name(file_name_);
          return Finish(grpc::Status::OK);
        }
        {
          absl::MutexLock lock(&seen_.mu);
          seen_.sound_messages.push_back(request_);
        }
        if (file_name_.empty()) file_name_ = request_.file_name();
        if (head_.size() < 4) {
          head_ += request_.data().substr(0, 4 - head_.size());
        }
        size_ += request_.data().size();
        request_.Clear();
        StartRead(&request_);
      }
      void OnDone() override {
        {
          absl::MutexLock lock(&seen_.mu);
          ++seen_.sound_streams_done;
        }
        delete this;
      }

     private:
      content::v1::SoundFormat Format() const {
        if (absl::StartsWith(head_, "RIFF"))
          return content::v1::SOUND_FORMAT_WAV;
        if (absl::StartsWith(head_, "fLaC")) {
          return content::v1::SOUND_FORMAT_FLAC;
        }
        if (absl::StartsWith(head_, "ID3"))
          return content::v1::SOUND_FORMAT_MP3;
        return content::v1::SOUND_FORMAT_UNSPECIFIED;
      }
      Seen& seen_;
      grpc::CallbackServerContext* ctx_;
      content::v1::UploadSoundResponse* resp_;
      content::v1::UploadSoundRequest request_;
      std::string head_;
      std::string file_name_;
      int64_t size_ = 0;
    };
    return new Reader(seen_, ctx, resp);
  }

 private:
  Seen& seen_;
};

class GatewayTest : public ::testing::Test {
 protected:
  // One redis-server for the suite; each test connects a pool of its own.
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }

  void SetUp() override {
    auto pool = redis_->Connect();
    ASSERT_THAT(pool, IsOk());
    pool_ = *std::move(pool);
    teams_ = std::make_unique<auth::RedisTeamStore>(*pool_);
    key_ = NewKey("standard");
    free_key_ = NewKey("free");

    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    // Smaller than gRPC's default so that tests reach it cheaply; the
    // gateway is told the same limit, as it is in production.
    builder.SetMaxReceiveMessageSize(kBackendLimit);
    builder.RegisterService(&identity_);
    builder.RegisterService(&preflight_);
    builder.RegisterService(&ads_);
    builder.RegisterService(&zernio_ads_);
    builder.RegisterService(&adspirer_tools_);
    builder.RegisterService(&audience_);
    builder.RegisterService(&content_);
    backend_server_ = builder.BuildAndStart();
    ASSERT_NE(backend_server_, nullptr);
    std::map<std::string, std::string> addresses;
    for (const auto* s : RouteTable::LinkedServices("ttads.")) {
      addresses[s->full_name()] = absl::StrCat("127.0.0.1:", port);
    }
    backends_ = std::make_unique<BackendPool>(addresses);

    auto routes = RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(routes, IsOk());
    routes_ = std::make_unique<RouteTable>(*std::move(routes));
    QuotaConfig quota;
    quota.limits = {{"free", 2}, {"standard", 1000}, {"enterprise", 0}};
    quota.default_tier = "free";
    quota.upgrade_url = "https://ttads.example/upgrade";
    quota_ = std::make_unique<QuotaCounter>(*pool_, quota);
    GatewayOptions options;
    options.csv_batch_rows = 2;
    options.max_backend_message_bytes = kBackendLimit;
    options.max_raw_upload_bytes = kRawLimit;
    gateway_ = std::make_unique<Gateway>(*routes_, *backends_, *teams_, *quota_,
                                         options);
    http::HttpServer::Options http_options;
    http_options.max_body_bytes = 64 * 1024;
    http_options.max_streamed_body_bytes = 4 * 1024 * 1024;
    http_options.stream_body = [this](const http::HttpRequest& head) {
      return gateway_->StreamsBody(head);
    };
    http_ = std::make_unique<http::HttpServer>(
        http_options, [this](http::HttpRequest req, http::HttpResponder resp) {
          gateway_->Handle(std::move(req), std::move(resp));
        });
    ASSERT_THAT(http_->Start(), IsOk());
    base_ = absl::StrCat("http://127.0.0.1:", http_->port());
  }

  void TearDown() override {
    http_->Stop();
    backend_server_->Shutdown();
  }

  std::string NewKey(const std::string& tier) {
    auto team = teams_->CreateTeam("Team " + tier, tier, true);
    EXPECT_THAT(team, IsOk());
    auto member = teams_->AddMember(team->id, "Mia", auth::Role::kManager);
    EXPECT_THAT(member, IsOk());
    auto key = teams_->IssueApiKey(team->id, member->id);
    EXPECT_THAT(key, IsOk());
    return key->plaintext;
  }

  http::TestClient::Result Call(const std::string& method,
                                const std::string& path,
                                const std::string& body = "",
                                std::vector<std::string> headers = {},
                                const std::string& key = "") {
    headers.push_back("Authorization: Bearer " + (key.empty() ? key_ : key));
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    return client_.Request(method, base_ + path, headers, body);
  }

  // A GET (the publish check) whose first `times` backend calls are refused
  // with UNAVAILABLE.
  http::TestClient::Result PublishCheckRefused(int times) {
    seen_.fail_unavailable = times;
    return Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  }
  // A POST (the add_tiktok_ad tool) whose first backend call is refused.
  http::TestClient::Result AddAdRefusedOnce(std::vector<std::string> headers) {
    seen_.fail_unavailable = 1;
    return Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
                R"({"arguments":{"adgroup_id":"1800","ad_text":"Hello"}})",
                std::move(headers));
  }

  static constexpr int kBackendLimit = 48 * 1024;
  static constexpr int kRawLimit = 1024 * 1024;
  static testing::PrivateRedis* redis_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<auth::RedisTeamStore> teams_;
  std::string key_;
  std::string free_key_;
  Seen seen_;
  FakeIdentity identity_{seen_};
  FakePreflight preflight_{seen_};
  FakeAds ads_{seen_};
  FakeZernioAds zernio_ads_{seen_};
  FakeAdspirerTools adspirer_tools_{seen_};
  FakeAudience audience_{seen_};
  FakeContent content_{seen_};
  std::unique_ptr<grpc::Server> backend_server_;
  std::unique_ptr<BackendPool> backends_;
  std::unique_ptr<RouteTable> routes_;
  std::unique_ptr<QuotaCounter> quota_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<http::HttpServer> http_;
  std::string base_;
  http::TestClient client_;
};
testing::PrivateRedis* GatewayTest::redis_ = nullptr;

// Holds a gRPC library reference for the whole test program and drops it
// with grpc_shutdown_blocking(), so gRPC's final cleanup runs on the main
// thread before exit. Without it, the last channel destroyed by a test's
// fixture starts that cleanup on a detached thread that races with the
// process's static destruction: under load, about one test process in 300
// aborted after its test had passed ("ref_counted.h:183 assertion failed:
// prior > 0").
class GrpcLifetime : public ::testing::Environment {
 public:
  void SetUp() override { grpc_init(); }
  void TearDown() override { grpc_shutdown_blocking(); }
};
::testing::Environment* const kGrpcLifetime =
    ::testing::AddGlobalTestEnvironment(new GrpcLifetime);

TEST_F(GatewayTest, MissingOrBadKeyIsTheExact401) {
  auto r =
      client_.Get(base_ + "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error": "Unauthorized"})");
  EXPECT_FALSE(r.Header("x-request-id").empty());
  r = client_.Get(base_ + "/api/v1/tiktok/publish-check?objective=TRAFFIC",
                  {"Authorization: Bearer ttads_not-a-real-key-at-all"});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error": "Unauthorized"})");
  r = client_.Get(base_ + "/api/v1/tiktok/publish-check",
                  {"Authorization: Basic x"});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error": "Unauthorized"})");
  EXPECT_EQ(seen_.preflight_calls.load(), 0);
}

TEST_F(GatewayTest, WevionIdentityCheck) {
  auto r = Call("GET", "/api/v1/tiktok/identities/check?advertiser_id=adv1");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["hasIdentity"], false);
  EXPECT_EQ(body["reason"], "no_tt_user");
  EXPECT_EQ(body["advertiserId"], "adv1");
  EXPECT_FALSE(r.Header("x-request-id").empty());
  EXPECT_EQ(r.Header("x-quota-used"), "1");
  EXPECT_EQ(r.Header("x-quota-limit"), "1000");
  EXPECT_EQ(r.Header("x-quota-tier"), "standard");
  EXPECT_FALSE(r.Header("x-quota-period-end").empty());
  EXPECT_EQ(seen_.Meta("authorization"), "Bearer " + key_);
  EXPECT_EQ(seen_.Meta("x-request-id"), r.Header("x-request-id"));
}

// W3C trace context (docs/observability.md, "Tracing", "Access logs"): the
// client's traceparent is continued with the gateway's own span, which the
// backend call names as its parent and the answer's traceresponse echoes;
// the access line names the trace, and sampling drops only successes.
TEST_F(GatewayTest, TraceparentIsContinuedForwardedEchoedAndAccessLogged) {
  std::mutex mu;
  std::vector<json> lines;
  log::SetSinkForTesting([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.push_back(json::parse(line));
  });
  auto requests = [&] {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<json> out;
    for (const json& l : lines) {
      if (l["msg"] == "request") out.push_back(l);
    }
    return out;
  };
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  auto r = Call("GET", "/api/v1/tiktok/identities/check?advertiser_id=adv1", "",
                {"traceparent: 00-" + trace_id + "-00f067aa0ba902b7-01",
                 "tracestate: congo=t61rcWkgMzE"});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string sent = seen_.Meta("traceparent");
  EXPECT_TRUE(absl::StartsWith(sent, "00-" + trace_id + "-")) << sent;
  EXPECT_FALSE(absl::StrContains(sent, "00f067aa0ba902b7"));
  EXPECT_EQ(seen_.Meta("tracestate"), "congo=t61rcWkgMzE");
  EXPECT_EQ(r.Header("traceresponse"), sent);
  std::vector<json> logged = requests();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0]["level"], "info");
  EXPECT_EQ(logged[0]["http_method"], "GET");
  EXPECT_EQ(logged[0]["route"], "/api/v1/tiktok/identities/check");
  EXPECT_EQ(logged[0]["status"], 200);
  EXPECT_EQ(logged[0]["bytes"], r.body.size());
  EXPECT_EQ(logged[0]["request_id"], r.Header("x-request-id"));
  EXPECT_EQ(logged[0]["trace_id"], trace_id);
  EXPECT_EQ(logged[0]["parent_span_id"], "00f067aa0ba902b7");
  EXPECT_EQ(
      "00-" + trace_id + "-" + logged[0]["span_id"].get<std::string>() + "-01",
      sent);
  EXPECT_FALSE(logged[0]["peer"].get<std::string>().empty());
  EXPECT_FALSE(logged[0]["team_id"].get<std::string>().empty());

  // Malformed (uppercase): a new trace, not an error.
  r = Call(
      "GET", "/api/v1/tiktok/identities/check?advertiser_id=adv1", "",
      {"traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("traceresponse").size(), 55u);
  EXPECT_FALSE(absl::StrContains(r.Header("traceresponse"), trace_id));
  EXPECT_EQ(seen_.Meta("traceparent"), r.Header("traceresponse"));

  // Sampled out: successes go, failures stay.
  log::SetAccessLogSamplePercent(0);
  const size_t before = requests().size();
  r = Call("GET", "/api/v1/tiktok/identities/check?advertiser_id=adv1");
  ASSERT_EQ(r.status, 200);
  r = client_.Get(base_ + "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  ASSERT_EQ(r.status, 401);
  log::SetAccessLogSamplePercent(100);
  log::SetSinkForTesting(nullptr);
  logged = requests();
  ASSERT_EQ(logged.size(), before + 1);
  EXPECT_EQ(logged.back()["status"], 401);
  EXPECT_EQ(logged.back()["level"], "warn");
  EXPECT_EQ(logged.back()["route"], "/api/v1/tiktok/publish-check");
}

TEST_F(GatewayTest, WevionPublishCheck) {
  auto r =
      Call("GET",
           "/api/v1/tiktok/publish-check?advertiserId=adv2&objective=TRAFFIC");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["ready"], false);
  EXPECT_EQ(body["missing"], json::array({"identity"}));
  EXPECT_EQ(body["objective"], "TRAFFIC");
  EXPECT_EQ(body["advertiserId"], "adv2");
  EXPECT_TRUE(body["checks"].is_array());
  EXPECT_EQ(r.Header("content-type"), "application/json");
}

TEST_F(GatewayTest, ZernioBrandIdentityWithIdempotencyKey) {
  auto r = Call("PATCH", "/v1/connect/tiktok-ads",
                R"({"accountId":"account_abc123","displayName":"Example",)"
                R"("imageUrl":"https://example.com/a.png"})",
                {"Idempotency-Key: idem-123"});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["identityId"], "7000000000000000001");
  EXPECT_EQ(body["displayName"], "Example");
  EXPECT_EQ(r.Header("x-request-id"), "idem-123");
  EXPECT_EQ(seen_.Meta("x-request-id"), "idem-123");
  absl::MutexLock lock(&seen_.mu);
  EXPECT_THAT(seen_.request_json, HasSubstr(R"("requestId":"idem-123")"));
}

TEST_F(GatewayTest, FieldViolationsAndRetryAfterFromBackends) {
  auto r = Call("PATCH", "/v1/connect/tiktok-ads",
                R"({"accountId":"a","displayName":")" + std::string(41, 'x') +
                    R"(","imageUrl":"https://example.com/a.png"})");
  ASSERT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["error"], "display_name is too long");
  EXPECT_EQ(body["code"], "INVALID_ARGUMENT");
  bool violation = false;
  for (const auto& d : body["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      // Zernio's callers send camelCase: the field comes back as they
      // wrote it (the backend names it display_name).
      EXPECT_EQ(d["fieldViolations"][0]["field"], "displayName");
      violation = true;
    }
  }
  EXPECT_TRUE(violation) << r.body;

  r = Call("POST", "/api/v1/tiktok/identities",
           R"({"advertiser_id":"a","display_name":"b"})");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.Header("retry-after"), "2");
  EXPECT_EQ(json::parse(r.body)["code"], "RESOURCE_EXHAUSTED");
}

TEST_F(GatewayTest, AdspirerToolCallWithQuotaAndIdempotentReplay) {
  const std::string body =
      R"({"arguments":{"adgroup_id":"1800","ad_text":"Hello",)"
      R"("landing_page_url":"https://example.com","image_ids":["img1"]}})";
  auto first = Call("POST", "/api/v1/tools/add_tiktok_ad/execute", body,
                    {"Idempotency-Key: 6f1c0a9e-retry"});
  ASSERT_EQ(first.status, 200) << first.body;
  json j = json::parse(first.body);
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["tool"], "add_tiktok_ad");
  ASSERT_TRUE(j["data"].is_object());
  EXPECT_THAT(j["data"]["text"].get<std::string>(), HasSubstr("created ad_"));
  EXPECT_EQ(j["data"]["quota"]["used"], 1);
  EXPECT_EQ(j["data"]["quota"]["limit"], 1000);
  EXPECT_EQ(j["data"]["quota"]["tier"], "standard");
  EXPECT_EQ(j["data"]["quota"]["period_end"],
            first.Header("x-quota-period-end"));
  EXPECT_FALSE(j.contains("is_error"));
  {
    absl::MutexLock lock(&seen_.mu);
    EXPECT_THAT(seen_.request_json,
                HasSubstr(R"("requestId":"6f1c0a9e-retry")"));
    EXPECT_THAT(seen_.request_json, HasSubstr(R"("adgroupId":"1800")"));
  }
  auto replay = Call("POST", "/api/v1/tools/add_tiktok_ad/execute", body,
                     {"Idempotency-Key: 6f1c0a9e-retry"});
  ASSERT_EQ(replay.status, 200) << replay.body;
  json k = json::parse(replay.body);
  EXPECT_EQ(k["data"]["ad_id"], j["data"]["ad_id"]);
  EXPECT_EQ(k["data"]["quota"]["used"], 2);
  auto other = Call("POST", "/api/v1/tools/add_tiktok_ad/execute", body,
                    {"Idempotency-Key: another-key"});
  EXPECT_NE(json::parse(other.body)["data"]["ad_id"], j["data"]["ad_id"]);
}

// One process, two products: Adspirer's tool refuses CUSTOMIZED_USER (not
// forwarded, not counted) while Zernio's ad create forwards it as an opt-in.
TEST_F(GatewayTest, CustomizedUserIsRefusedForAdspirerAndForwardedForZernio) {
  auto r = Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
                R"({"arguments":{"adgroup_id":"1800","ad_text":"Hi",)"
                R"("identity_type":"CUSTOMIZED_USER"}})");
  ASSERT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["success"], false);
  EXPECT_EQ(body["is_error"], true);
  EXPECT_EQ(body["tool"], "add_tiktok_ad");
  EXPECT_EQ(body["code"], "INVALID_ARGUMENT");
  EXPECT_THAT(body["error"].get<std::string>(), HasSubstr("CUSTOMIZED_USER"));
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"],
            "arguments.identity_type");
  EXPECT_EQ(seen_.tool_calls.load(), 0);
  EXPECT_TRUE(r.Header("x-quota-used").empty());  // Nothing was charged.

  r = Call("POST", "/v1/ads/create",
           R"({"advertiserId":"adv1","adgroupId":"1800","adText":"Hi",)"
           R"("identityType":"CUSTOMIZED_USER","useBrandIdentity":true})",
           {"Idempotency-Key: zernio-1"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("x-quota-used"), "1");
  absl::MutexLock lock(&seen_.mu);
  // Zernio's short name reaches the backend as the enum value.
  EXPECT_THAT(seen_.request_json,
              HasSubstr(R"("identityType":"IDENTITY_TYPE_CUSTOMIZED_USER")"));
}

// Every answer on a tool path is in the tool envelope, the gateway's own
// errors included.
TEST_F(GatewayTest, ToolPathsAnswerInTheToolEnvelope) {
  auto r =
      Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
           R"({"arguments":{"adgroup_id":"1"}})", {"X-Request-Timeout: soon"});
  ASSERT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["tool"], "add_tiktok_ad");
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"],
            "X-Request-Timeout");
  r = Call("GET", "/api/v1/tools/add_tiktok_ad/execute");
  EXPECT_EQ(r.status, 405) << r.body;
  EXPECT_EQ(json::parse(r.body)["is_error"], true);
  // Elsewhere the REST shape.
  r = Call("GET", "/api/v1/tiktok/publish-check", "",
           {"X-Request-Timeout: soon"});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_FALSE(json::parse(r.body).contains("is_error"));
}

TEST_F(GatewayTest, QuotaCountsAndRefusesWithoutForwarding) {
  for (int i = 1; i <= 2; ++i) {
    auto r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC", "",
                  {}, free_key_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("x-quota-used"), absl::StrCat(i));
    EXPECT_EQ(r.Header("x-quota-limit"), "2");
    EXPECT_EQ(r.Header("x-quota-tier"), "free");
  }
  EXPECT_EQ(seen_.preflight_calls.load(), 2);
  auto r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC", "", {},
                free_key_);
  EXPECT_EQ(r.status, 429) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["code"], "RESOURCE_EXHAUSTED");
  EXPECT_THAT(body["error"].get<std::string>(),
              HasSubstr("Monthly limit reached (2/2 API calls on Free tier)."));
  EXPECT_EQ(body["quota"]["used"], 2);
  EXPECT_EQ(body["quota"]["upgrade_url"], "https://ttads.example/upgrade");
  EXPECT_FALSE(r.Header("retry-after").empty());
  EXPECT_EQ(seen_.preflight_calls.load(), 2);  // Not forwarded.

  // The tool route answers in Adspirer's shape, also without forwarding.
  r = Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
           R"({"arguments":{"adgroup_id":"1"}})", {}, free_key_);
  EXPECT_EQ(r.status, 429) << r.body;
  body = json::parse(r.body);
  EXPECT_EQ(body["success"], false);
  EXPECT_EQ(body["is_error"], true);
  EXPECT_EQ(body["tool"], "add_tiktok_ad");
  EXPECT_EQ(body["error"],
            "Monthly limit reached (2/2 tool calls on Free tier).\n"
            "Upgrade your plan at https://ttads.example/upgrade to keep "
            "building.");
  EXPECT_EQ(body["quota"]["used"], 2);
  EXPECT_EQ(body["quota"]["limit"], 2);
  EXPECT_EQ(body["quota"]["tier"], "free");
  EXPECT_EQ(body["quota"]["upgrade_url"], "https://ttads.example/upgrade");
  EXPECT_EQ(seen_.tool_calls.load(), 0);
}

// The production wiring: API keys through auth::CachingTeamStore and quota
// leases, so a warm team is admitted without touching Redis. With Redis
// paused (CLIENT PAUSE), warm calls are still answered — and counted — while
// a call that needs Redis (a key not cached yet) waits on a blocking thread
// without holding up the others.
TEST_F(GatewayTest, WarmCallsAreServedFromMemoryWhileRedisIsPaused) {
  // Redis calls of this gateway wait out the pause instead of timing out.
  store::RedisOptions patient = redis_->pool_options();
  patient.timeout = std::chrono::seconds(20);
  auto patient_pool = store::RedisPool::Connect(patient);
  ASSERT_THAT(patient_pool, IsOk());
  auth::RedisTeamStore patient_teams(**patient_pool);
  auth::CachingTeamStore cached_teams(&patient_teams, patient);
  ASSERT_TRUE(cached_teams.WaitLive(absl::Seconds(5)));
  QuotaConfig quota_config = quota_->config();
  quota_config.lease_ttl = absl::Minutes(5);
  QuotaCounter leased_quota(**patient_pool, quota_config);
  Gateway gateway(*routes_, *backends_, cached_teams, leased_quota, {});
  http::HttpServer http(
      {}, [&gateway](http::HttpRequest req, http::HttpResponder resp) {
        gateway.Handle(std::move(req), std::move(resp));
      });
  ASSERT_THAT(http.Start(), IsOk());
  std::string url =
      absl::StrCat("http://127.0.0.1:", http.port(),
                   "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  std::string cold_key = NewKey("standard");

  for (int i = 1; i <= 40; ++i) {  // Warm: key, tier and a quota lease.
    auto r = client_.Get(url, {"Authorization: Bearer " + key_});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Header("x-quota-used"), absl::StrCat(i));
  }
  int64_t redis_calls = leased_quota.redis_calls();
  EXPECT_LE(redis_calls, 6);

  ASSERT_THAT(pool_->Command({"CLIENT", "PAUSE", "3000", "ALL"}), IsOk());
  std::atomic<bool> redis_back = false;
  std::thread waiter([&] {
    (void)(*patient_pool)->Command({"PING"});  // Blocks while paused.
    redis_back = true;
  });
  std::atomic<bool> cold_done = false;
  int cold_status = 0;
  std::thread cold([&] {
    http::TestClient client;
    cold_status = client.Get(url, {"Authorization: Bearer " + cold_key}).status;
    cold_done = true;
  });
  for (int i = 41; i <= 50; ++i) {
    auto r = client_.Get(url, {"Authorization: Bearer " + key_});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("x-quota-used"), absl::StrCat(i));
  }
  EXPECT_FALSE(redis_back.load()) << "warm calls waited for Redis";
  EXPECT_FALSE(cold_done.load()) << "a cold key was served without Redis";
  cold.join();
  waiter.join();
  EXPECT_EQ(cold_status, 200);  // Served once Redis was back.
  EXPECT_EQ(leased_quota.redis_calls(), redis_calls + 1);  // The cold team.
  http.Stop();
  leased_quota.ReleaseLeases();
  auto principal = teams_->Authenticate(key_);
  ASSERT_THAT(principal, IsOk());
  auto count = pool_->Command(
      {"GET", store::TeamKey(principal->team_id,
                             absl::StrCat("quota:", QuotaCounter::PeriodOf(
                                                        absl::Now())))});
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(count->str, "50");  // Unused leased units were given back.
}

TEST_F(GatewayTest, MalformedJsonAndOversizedBodies) {
  auto r = Call("PATCH", "/v1/connect/tiktok-ads", R"({"accountId": "a",)");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(json::parse(r.body)["error"].get<std::string>(),
              HasSubstr("invalid JSON in body"));
  r = Call("PATCH", "/v1/connect/tiktok-ads",
           R"({"accountId":"a","colour":1})");
  EXPECT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);
  EXPECT_THAT(body["error"].get<std::string>(), HasSubstr("colour"));
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "colour")
      << r.body;
  r = Call("GET", "/api/v1/tiktok/publish-check?objective=X&colour=red");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("colour"));
  // A bad request spends no quota.
  r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  EXPECT_EQ(r.Header("x-quota-used"), "1");

  std::string big = R"({"accountId":")" + std::string(100 * 1024, 'a') + "\"}";
  http::TestClient fresh;
  r = fresh.Request("PATCH", base_ + "/v1/connect/tiktok-ads",
                    {"Authorization: Bearer " + key_}, big);
  EXPECT_EQ(r.status, 413);
}

TEST_F(GatewayTest, NdjsonUploadStreamsIntoSyncMembers) {
  const std::string ndjson =
      R"({"operation":"ADD","batches":[{"type":"EMAIL","values":["a@x.com","b@x.com"]}]})"
      "\n\n"
      R"({"batches":[{"type":"PHONE","values":["+15551234567"]}]})"
      "\n"
      R"({"batches":[{"type":"EMAIL","values":["c@x.com","d@x.com"]}]})"
      "\n";
  auto r = client_.Request(
      "POST", base_ + "/v1/advertisers/adv9/audiences/aud1/members:sync",
      {"Authorization: Bearer " + key_, "Content-Type: application/x-ndjson",
       "Idempotency-Key: sync-1"},
      ndjson);
  ASSERT_EQ(r.status, 200) << r.body;
  json job = json::parse(r.body);
  EXPECT_EQ(job["received"], "5");
  EXPECT_EQ(job["audienceId"], "aud1");
  EXPECT_EQ(job["advertiserId"], "adv9");
  // ttads' own route: proto3 JSON enum names (docs/contracts.md).
  EXPECT_EQ(job["state"], "SYNC_JOB_STATE_QUEUED");
  absl::MutexLock lock(&seen_.mu);
  ASSERT_EQ(seen_.sync_messages.size(), 3u);
  for (const auto& m : seen_.sync_messages) {
    EXPECT_THAT(m, HasSubstr(R"("audienceId":"aud1")"));
    EXPECT_THAT(m, HasSubstr(R"("requestId":"sync-1")"));
  }
}

TEST_F(GatewayTest, CsvUploadBatchesRows) {
  const std::string csv =
      "email,phone\n"
      "a@x.com,+15550000001\n"
      "b@x.com,\n"
      "\"c@x.com\",+15550000003\n";
  auto r = client_.Request(
      "POST",
      base_ +
          "/v1/advertisers/adv9/audiences/aud2/members:sync?operation=REMOVE",
      {"Authorization: Bearer " + key_, "Content-Type: text/csv"}, csv);
  ASSERT_EQ(r.status, 200) << r.body;
  json job = json::parse(r.body);
  EXPECT_EQ(job["received"], "5");
  EXPECT_EQ(job["operation"], "MEMBER_OPERATION_REMOVE");
  absl::MutexLock lock(&seen_.mu);
  EXPECT_EQ(seen_.sync_messages.size(), 2u);  // 2 rows per message.
}

TEST_F(GatewayTest, UploadsAreStreamedPastTheBodyLimit) {
  // ~270 KB, four times the 64 KiB limit for other bodies.
  std::string ndjson;
  for (int i = 0; i < 3000; ++i) {
    absl::StrAppend(&ndjson, R"({"batches":[{"type":"EMAIL","values":["user)",
                    i, R"(@example.com","second)", i, R"(@example.com"]}]})",
                    "\n");
  }
  ASSERT_GT(ndjson.size(), 4u * 64 * 1024);
  auto r = client_.Request(
      "POST", base_ + "/v1/advertisers/adv9/audiences/aud3/members:sync",
      {"Authorization: Bearer " + key_, "Content-Type: application/x-ndjson"},
      ndjson);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["received"], "6000");
  absl::MutexLock lock(&seen_.mu);
  ASSERT_EQ(seen_.sync_messages.size(), 3000u);
  EXPECT_THAT(seen_.sync_messages.back(), HasSubstr("user2999@example.com"));
}

TEST_F(GatewayTest, UploadOverTheUploadLimitIs413) {
  std::string line = R"({"batches":[{"type":"EMAIL","values":[")" +
                     std::string(1000, 'a') +
                     R"("]}]})"
                     "\n";
  std::string ndjson;
  while (ndjson.size() < 5 * 1024 * 1024) ndjson += line;
  http::TestClient fresh;
  auto r = fresh.Request(
      "POST", base_ + "/v1/advertisers/adv9/audiences/aud4/members:sync",
      {"Authorization: Bearer " + key_, "Content-Type: application/x-ndjson"},
      ndjson);
  EXPECT_EQ(r.status, 413) << r.body;
  json body = json::parse(r.body);
  EXPECT_THAT(body["error"].get<std::string>(),
              HasSubstr("over 4194304 bytes"));
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "body");
}

TEST_F(GatewayTest, BadUploadLineIsA400NamingTheLine) {
  auto r = client_.Request(
      "POST", base_ + "/v1/advertisers/adv9/audiences/aud1/members:sync",
      {"Authorization: Bearer " + key_, "Content-Type: application/x-ndjson"},
      "{\"batches\":[]}\n{\"batchez\":1}\n");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.body, HasSubstr("line 2"));
  EXPECT_THAT(r.body, HasSubstr("batchez"));
}

// A file of `size` bytes that starts like a WAV file; every byte value.
std::string WavLikeFile(size_t size) {
  std::string file = "RIFF";
  while (file.size() < size) file.push_back(static_cast<char>(file.size()));
  file.resize(size);
  return file;
}

TEST_F(GatewayTest, RawSoundUploadIsStreamedInChunksIntoUploadSound) {
  // 200 KiB, four times the 48 KiB backend limit: chunks of half of it,
  // with the path's connection and the query's file name on each.
  const std::string file = WavLikeFile(200 * 1024);
  auto r = client_.Request(
      "POST",
      base_ + "/v1/tiktok-accounts/conn-7/sounds:upload?file_name=jingle.mp3",
      {"Authorization: Bearer " + key_, "Content-Type: audio/wav"}, file);
  ASSERT_EQ(r.status, 200) << r.body;
  json answer = json::parse(r.body);
  EXPECT_EQ(answer["soundId"], "sound_1");
  // The format is the backend's (by content), not the name's ".mp3".
  EXPECT_EQ(answer["format"], "SOUND_FORMAT_WAV");
  EXPECT_EQ(answer["sizeBytes"], absl::StrCat(file.size()));
  EXPECT_EQ(answer["fileName"], "jingle.mp3");
  absl::MutexLock lock(&seen_.mu);
  EXPECT_TRUE(seen_.sound_completed);
  ASSERT_GE(seen_.sound_messages.size(), 9u);
  std::string received;
  for (const auto& m : seen_.sound_messages) {
    EXPECT_EQ(m.connection_id(), "conn-7");
    EXPECT_EQ(m.file_name(), "jingle.mp3");
    EXPECT_LE(m.data().size(), kBackendLimit / 2);
    received += m.data();
  }
  EXPECT_EQ(received, file);
}

TEST_F(GatewayTest, EveryRawAudioTypeIsTakenAndOthersAre415) {
  for (const char* type : {"audio/mpeg", "audio/x-wav", "audio/flac",
                           "audio/x-flac", "application/octet-stream"}) {
    auto r = client_.Request(
        "POST",
        base_ + "/v1/tiktok-accounts/conn-7/sounds:upload?file_name=a.flac",
        {"Authorization: Bearer " + key_, std::string("Content-Type: ") + type},
        "fLaC and the rest of the file");
    ASSERT_EQ(r.status, 200) << type << " " << r.body;
    EXPECT_EQ(json::parse(r.body)["format"], "SOUND_FORMAT_FLAC") << type;
  }
  // A raw body where the request has no bytes field, and CSV for a sound.
  const int streams = seen_.sound_streams;
  auto r = client_.Request(
      "POST", base_ + "/v1/advertisers/adv9/audiences/aud1/members:sync",
      {"Authorization: Bearer " + key_, "Content-Type: audio/mpeg"}, "ID3");
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_EQ(json::parse(r.body)["details"][0]["fieldViolations"][0]["field"],
            "Content-Type");
  r = client_.Request(
      "POST", base_ + "/v1/tiktok-accounts/c/sounds:upload",
      {"Authorization: Bearer " + key_, "Content-Type: text/csv"}, "a,b\n");
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_EQ(seen_.sound_streams, streams);
}

TEST_F(GatewayTest, RawUploadDeclaredOverTheLimitIs413WithNothingSent) {
  const int streams = seen_.sound_streams;
  http::TestClient fresh;
  auto r = fresh.Request(
      "POST",
      base_ + "/v1/tiktok-accounts/conn-7/sounds:upload?file_name=a.wav",
      {"Authorization: Bearer " + key_, "Content-Type: audio/wav"},
      WavLikeFile(kRawLimit + 1));
  EXPECT_EQ(r.status, 413) << r.body;
  json body = json::parse(r.body);
  EXPECT_THAT(body["error"].get<std::string>(),
              HasSubstr(absl::StrCat("larger than ", kRawLimit, " bytes")));
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "body");
  // The backend was never called.
  EXPECT_EQ(seen_.sound_streams, streams);
}

TEST_F(GatewayTest, RawUploadGrowingOverTheLimitIsCutOffUnfinished) {
  // Chunked: no length to refuse up front, so the limit is counted as the
  // body arrives; the stream is cancelled before the piece that crosses it.
  http::TestClient fresh;
  auto r = fresh.Request(
      "POST",
      base_ + "/v1/tiktok-accounts/conn-7/sounds:upload?file_name=a.wav",
      {"Authorization: Bearer " + key_, "Content-Type: audio/wav",
       "Transfer-Encoding: chunked"},
      WavLikeFile(3 * kRawLimit));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(json::parse(r.body)["details"][0]["fieldViolations"][0]["field"],
            "body");
  absl::MutexLock lock(&seen_.mu);
  // Wait (bounded) for the backend's stream to be over.
  seen_.mu.AwaitWithTimeout(
      absl::Condition(
          +[](int* done) { return *done > 0; }, &seen_.sound_streams_done),
      absl::Seconds(10));
  EXPECT_EQ(seen_.sound_streams_done, 1);
  EXPECT_FALSE(seen_.sound_completed);  // Never half-closed: no upload.
  size_t received = 0;
  for (const auto& m : seen_.sound_messages) received += m.data().size();
  EXPECT_GT(received, 0u);                              // It was streaming...
  EXPECT_LE(received, static_cast<size_t>(kRawLimit));  // ...to the limit.
}

TEST_F(GatewayTest, EmptyRawUploadIsA400NamingTheBody) {
  auto r = client_.Request(
      "POST",
      base_ + "/v1/tiktok-accounts/conn-7/sounds:upload?file_name=a.wav",
      {"Authorization: Bearer " + key_, "Content-Type: audio/wav"}, "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json::parse(r.body)["details"][0]["fieldViolations"][0]["field"],
            "body");
  absl::MutexLock lock(&seen_.mu);
  EXPECT_TRUE(seen_.sound_messages.empty());
  EXPECT_FALSE(seen_.sound_completed);
}

TEST_F(GatewayTest, WatchStreamsNdjsonAndSse) {
  auto r = client_.Request(
      "GET", base_ + "/v1/advertisers/adv5/ads:watch?watch_by=CREATED_TIME",
      {"Authorization: Bearer " + key_});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/x-ndjson");
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  std::vector<std::string> lines =
      absl::StrSplit(r.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r.body;
  for (int i = 0; i < 3; ++i) {
    json event = json::parse(lines[i]);
    EXPECT_EQ(event["type"], "AD_EVENT_TYPE_CREATED");
    EXPECT_EQ(event["cursor"], absl::StrCat("c", i + 1));
    EXPECT_EQ(event["ad"]["advertiserId"], "adv5");
  }
  r = client_.Request(
      "GET", base_ + "/v1/advertisers/adv5/ads:watch",
      {"Authorization: Bearer " + key_, "Accept: text/event-stream"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/event-stream");
  std::vector<std::string> events =
      absl::StrSplit(r.body, "\n\n", absl::SkipEmpty());
  ASSERT_EQ(events.size(), 3u) << r.body;
  EXPECT_THAT(events[0], HasSubstr("data: {"));
}

TEST_F(GatewayTest, EveryAnnotatedMethodIsRoutedAndDocumented) {
  auto r = client_.Get(base_ + "/openapi.json");
  ASSERT_EQ(r.status, 200);
  json doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [verb, op] : ops.items()) {
      documented.insert(op["x-grpc-method"].get<std::string>());
    }
  }
  int annotated = 0;
  for (const auto* service : RouteTable::LinkedServices("ttads.")) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (!m->options().HasExtension(google::api::http)) continue;
      ++annotated;
      std::string grpc_path =
          absl::StrCat("/", service->full_name(), "/", m->name());
      EXPECT_TRUE(documented.count(grpc_path)) << grpc_path;
      bool routed = false;
      for (const auto& route : routes_->routes()) {
        routed = routed || route->method == m;
      }
      EXPECT_TRUE(routed) << grpc_path;
    }
  }
  EXPECT_GT(annotated, 20);
  // Seed paths and their parameters.
  EXPECT_TRUE(doc["paths"].contains("/api/v1/tiktok/publish-check"));
  EXPECT_TRUE(doc["paths"]["/v1/connect/tiktok-ads"].contains("patch"));
  EXPECT_TRUE(doc["paths"]["/v1/connect/{platform}/ads"].contains("post"));
  bool objective = false;
  for (const auto& p :
       doc["paths"]["/api/v1/tiktok/publish-check"]["get"]["parameters"]) {
    objective = objective || p["name"] == "objective";
  }
  EXPECT_TRUE(objective);
}

TEST_F(GatewayTest, AnUnimplementedAnnotatedRouteIsServedWithoutCode) {
  // ListAccounts has no fake implementation and no gateway code: the route
  // exists by annotation alone and the backend's UNIMPLEMENTED comes back.
  auto r = Call("GET", "/v1/accounts?platform=tiktokads");
  EXPECT_EQ(r.status, 501) << r.body;
  EXPECT_EQ(json::parse(r.body)["code"], "UNIMPLEMENTED");
}

TEST_F(GatewayTest, BuiltinsAndUnknownRoutes) {
  auto r = client_.Get(base_ + "/healthz");
  EXPECT_EQ(r.status, 200);
  r = client_.Get(base_ + "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["ready"], true);
  Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  r = client_.Get(base_ + "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("http_requests_total"));
  EXPECT_THAT(
      r.body,
      HasSubstr(R"(method="GET",route="/api/v1/tiktok/publish-check")"));
  r = Call("GET", "/v1/nothing");
  EXPECT_EQ(r.status, 404);
  r = Call("DELETE", "/v1/connect/tiktok-ads");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, PATCH");
  r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC", "",
           {"X-Request-Timeout: soon"});
  EXPECT_EQ(r.status, 400);
}

// gRPC's retries are off on the backend channels; the gateway retries a
// unary call refused with UNAVAILABLE once, when repeating it is safe.
TEST_F(GatewayTest, SafeCallRefusedOnceIsRetried) {
  auto r = PublishCheckRefused(1);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["objective"], "TRAFFIC");
  EXPECT_EQ(seen_.preflight_calls.load(), 2);
  EXPECT_EQ(r.Header("x-quota-used"), "1");  // A retry is not charged.

  r = client_.Get(base_ + "/metrics");
  EXPECT_THAT(r.body,
              HasSubstr("ttads_gateway_backend_retries_total{method=\""
                        "ttads.preflight.v1.PreflightService.PublishCheck\"} "
                        "1"));
}

TEST_F(GatewayTest, SafeCallIsRetriedOnlyOnce) {
  auto r = PublishCheckRefused(2);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(json::parse(r.body)["code"], "UNAVAILABLE");
  EXPECT_EQ(seen_.preflight_calls.load(), 2);
}

TEST_F(GatewayTest, PostWithoutIdempotencyKeyIsNotRetried) {
  auto r = AddAdRefusedOnce({});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(json::parse(r.body)["code"], "UNAVAILABLE");
  EXPECT_EQ(seen_.tool_calls.load(), 1);
  EXPECT_THAT(
      client_.Get(base_ + "/metrics").body,
      ::testing::Not(HasSubstr("ttads_gateway_backend_retries_total{")));
}

TEST_F(GatewayTest, PostWithIdempotencyKeyIsRetriedWithTheSameRequestId) {
  auto r = AddAdRefusedOnce({"Idempotency-Key: retry-me-1"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["success"], true);
  EXPECT_EQ(seen_.tool_calls.load(), 2);
  absl::MutexLock lock(&seen_.mu);
  EXPECT_THAT(seen_.tool_request_ids,
              ::testing::ElementsAre("retry-me-1", "retry-me-1"));
  EXPECT_THAT(seen_.request_json, HasSubstr(R"("requestId":"retry-me-1")"));
}

// A POST whose method does not honour request ids (ResolveIdentity: no
// honours_request_id option): an Idempotency-Key does not make it safe to
// send twice.
TEST_F(GatewayTest, KeyedPostToAMethodThatIgnoresItsKeyIsNotRetried) {
  seen_.fail_unavailable = 1;
  auto r = Call("POST", "/v1/identities:resolve",
                R"({"advertiser_id":"7101000000000000001"})",
                {"Idempotency-Key: resolve-1"});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(seen_.identity_calls.load(), 1);
  EXPECT_THAT(
      client_.Get(base_ + "/metrics").body,
      ::testing::Not(HasSubstr("ttads_gateway_backend_retries_total{")));
}

// The rule's deadline check, on UnaryWithRetry itself: the attempt is given
// time to be refused, but the call's deadline is already used up.
TEST_F(GatewayTest, NoRetryOnceTheDeadlineIsUsedUp) {
  seen_.fail_unavailable = 1;
  UnaryRetryCall call;
  call.service = "ttads.preflight.v1.PreflightService";
  call.grpc_path = "/ttads.preflight.v1.PreflightService/PublishCheck";
  call.request = preflight::v1::PublishCheckRequest().SerializeAsString();
  call.deadline = std::chrono::system_clock::now();
  call.make_context = [](std::chrono::system_clock::time_point) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(5));
    return context;
  };
  call.may_retry = true;
  std::atomic<int> retries = 0;
  call.on_retry = [&retries] { ++retries; };
  std::promise<grpc::Status> done;
  UnaryWithRetry(*backends_, std::move(call),
                 [&done](grpc::Status status, std::string) {
                   done.set_value(std::move(status));
                 });
  EXPECT_THAT(done.get_future().get(),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(retries.load(), 0);
  EXPECT_EQ(seen_.preflight_calls.load(), 1);
}

TEST_F(GatewayTest, ReadyzNamesTheBackendThatIsDown) {
  backend_server_->Shutdown();
  auto r = client_.Get(base_ + "/readyz");
  EXPECT_EQ(r.status, 503) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["ready"], false);
  EXPECT_THAT(body["backends"][0]["status"].get<std::string>(),
              HasSubstr("UNAVAILABLE"));
}

}  // namespace
}  // namespace ttads::gateway

namespace ttads::gateway {
namespace {

std::string ViolationOf(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j["details"].is_array()) return "";
  for (const auto& d : j["details"]) {
    if (d.value("@type", "") == "type.googleapis.com/google.rpc.BadRequest") {
      return d["fieldViolations"][0]["field"];
    }
  }
  return "";
}

// Finding 1: ill-formed UTF-8 in a JSON string is refused up front, naming
// the field, before any backend call and before quota is spent.
TEST_F(GatewayTest, InvalidUtf8InJsonBodyIsA400NamingTheField) {
  auto r = Call("POST", "/v1/ads/create",
                "{\"ad_text\":\"\xff\xfe\",\"adgroup_id\":\"x\"}");
  ASSERT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);  // Valid JSON (UTF-8) again.
  EXPECT_EQ(body["code"], "INVALID_ARGUMENT");
  EXPECT_THAT(body["error"].get<std::string>(), HasSubstr("not valid UTF-8"));
  EXPECT_EQ(ViolationOf(r.body), "ad_text");
  // Also inside the tool envelope and through a \u escape.
  r = Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
           R"({"arguments":{"adgroup_id":"1","ad_text":"\udc00"}})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ViolationOf(r.body), "arguments.ad_text");
  EXPECT_EQ(seen_.tool_calls.load(), 0);
  // Nothing was charged.
  r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC");
  EXPECT_EQ(r.Header("x-quota-used"), "1");
}

// Findings 1 and 3: the same for query parameters and path segments: 400
// INVALID_ARGUMENT naming the parameter, never a 500/501.
TEST_F(GatewayTest, InvalidUtf8InQueryOrPathIsA400NamingTheParameter) {
  auto r = Call("GET", "/api/v1/tiktok/identities/check?advertiser_id=%FF%FE");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json::parse(r.body)["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(ViolationOf(r.body), "advertiser_id");
  r = Call("GET", "/api/v1/tiktok/identities/check?%C0%AF=1");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(json::parse(r.body)["error"].get<std::string>(),
              HasSubstr("not valid UTF-8"));
  r = Call("GET", "/v1/advertisers/%ED%A0%80/ads/1");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ViolationOf(r.body), "advertiser_id");
  // An upload's path is checked before its body is read.
  r = Call("POST", "/v1/advertisers/%FF/audiences/aud1/members:sync",
           "{\"batches\":[]}\n", {"Content-Type: application/x-ndjson"});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ViolationOf(r.body), "advertiser_id");
  // Unrouted raw bytes in a 404 are rendered safely too.
  r = Call("GET", "/v1/nothing/%FF\xff");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(json::accept(r.body)) << r.body;
  EXPECT_EQ(seen_.identity_calls.load(), 0);
}

// Finding 1: a backend error message with ill-formed UTF-8 is rendered with
// U+FFFD instead of ending the process (nlohmann type_error.316).
TEST_F(GatewayTest, BackendErrorWithInvalidUtf8IsRenderedSafely) {
  for (int i = 0; i < 2; ++i) {  // Cold key (worker thread), then cached.
    auto r =
        Call("GET", "/api/v1/tiktok/identities/check?advertiser_id=echo:a");
    ASSERT_EQ(r.status, 400) << r.body;
    json body = json::parse(r.body);
    EXPECT_THAT(body["error"].get<std::string>(),
                HasSubstr("echo:a \xEF\xBF\xBD\xEF\xBF\xBD"));
  }
  EXPECT_EQ(client_.Get(base_ + "/healthz").status, 200);
}

// Finding 2: a deeply nested body is refused by a linear pre-scan (not
// parsed in quadratic time on an I/O thread) and the gateway keeps
// answering.
TEST_F(GatewayTest, DeeplyNestedBodyIsA400AndHealthzStillAnswers) {
  std::string deep = R"({"path":"/ad/get/","method":"POST","body":{"x":)" +
                     std::string(30 * 1024, '[') + std::string(30 * 1024, ']') +
                     "}}";
  std::future<http::TestClient::Result> nested =
      std::async(std::launch::async, [&] {
        http::TestClient own;
        return own.Request(
            "POST", base_ + "/v1/tiktok:call",
            {"Authorization: Bearer " + key_, "Content-Type: application/json"},
            deep);
      });
  EXPECT_EQ(client_.Get(base_ + "/healthz").status, 200);
  http::TestClient::Result r = nested.get();
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(json::parse(r.body)["error"].get<std::string>(),
              HasSubstr("nested deeper than 32 levels"));
  EXPECT_EQ(seen_.raw_calls.load(), 0);
  EXPECT_EQ(client_.Get(base_ + "/healthz").status, 200);
}

// Finding 5: a request that encodes to more than the backends take is a 413
// from the gateway (a Struct spends several bytes per JSON element), and a
// backend's own "message larger than max" is a 413 too, never a 429.
TEST_F(GatewayTest, RequestsOverTheBackendLimitAre413) {
  std::string ones;
  for (int i = 0; i < 12000; ++i) absl::StrAppend(&ones, i ? "," : "", "1");
  auto r = Call("POST", "/v1/tiktok:call",
                R"({"path":"/ad/get/","body":{"x":[)" + ones + "]}}");
  ASSERT_EQ(r.status, 413) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["code"], "RESOURCE_EXHAUSTED");
  EXPECT_EQ(ViolationOf(r.body), "body");
  EXPECT_EQ(seen_.raw_calls.load(), 0);
  EXPECT_TRUE(r.Header("retry-after").empty());

  // An upload line the backend refuses for its size.
  std::string line = R"({"batches":[{"type":"EMAIL","values":[")" +
                     std::string(60 * 1024, 'a') + R"("]}]})";
  r = Call("POST", "/v1/advertisers/adv9/audiences/aud1/members:sync",
           line + "\n", {"Content-Type: application/x-ndjson"});
  ASSERT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(json::parse(r.body)["code"], "RESOURCE_EXHAUSTED");
  // Throttling stays 429 with Retry-After.
  r = Call("POST", "/api/v1/tiktok/identities",
           R"({"advertiser_id":"a","display_name":"b"})");
  EXPECT_EQ(r.status, 429) << r.body;
}

// Finding 7 (REST): bools are true/false only, a repeated field takes an
// array, a singular query parameter may appear once.
TEST_F(GatewayTest, AmbiguousInputIsRefused) {
  auto r = Call("POST", "/api/v1/tools/add_tiktok_ad/execute",
                R"({"arguments":{"adgroup_id":"1","validate_only":"yes"}})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ViolationOf(r.body), "arguments.validate_only");
  r = Call("POST", "/v1/ads/create",
           R"({"adgroup_id":"1","image_ids":"img1"})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ViolationOf(r.body), "image_ids");
  r = Call("GET",
           "/api/v1/tiktok/identities/check?advertiser_id=a&advertiserId=b");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(json::parse(r.body)["error"].get<std::string>(),
              HasSubstr("more than once"));
  EXPECT_EQ(seen_.tool_calls.load(), 0);
  EXPECT_EQ(seen_.identity_calls.load(), 0);
}

// Finding 6: bytes outside visible ASCII in the id headers are a JSON 400
// naming the header (control bytes are refused by the HTTP parser already,
// see libs/http/server_test.cc).
TEST_F(GatewayTest, ControlBytesInIdHeadersAreA400) {
  for (const char* header : {"Idempotency-Key", "X-Request-Id"}) {
    auto r = Call("GET", "/api/v1/tiktok/publish-check?objective=TRAFFIC", "",
                  {std::string(header) + ": abc\xff" + "def"});
    ASSERT_EQ(r.status, 400) << header << " " << r.body;
    EXPECT_EQ(ViolationOf(r.body), header);
  }
  EXPECT_EQ(seen_.preflight_calls.load(), 0);
}

}  // namespace
}  // namespace ttads::gateway

namespace ttads::gateway {
namespace {

// Finding 5: by default the gateway takes exactly the bodies the backends
// take (gRPC's default receive limit, which libs/server keeps).
TEST(GatewayLimitsTest, DefaultBodyLimitIsTheBackendsReceiveLimit) {
  auto services = RouteTable::LinkedServices("ttads.");
  auto config = config::Load(GatewaySchema(services), "",
                             {{"TTADS_REDIS_ADDRESS", "127.0.0.1:6379"}});
  ASSERT_THAT(config, IsOk());
  auto settings = SettingsFromConfig(*config, services);
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(settings->http.max_body_bytes,
            size_t{GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH});
  EXPECT_EQ(GatewayOptions().max_backend_message_bytes,
            size_t{GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH});
  EXPECT_EQ(http::HttpServer::Options().max_body_bytes,
            size_t{GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH});
}

// The admin API is hosted by identity: its backend key is
// TTADS_ADMIN_API_ADDRESS, defaulting to identity's address, and the
// TTADS_ADMIN_ADDRESS a shared environment sets for /metrics never moves it.
TEST(GatewayConfigTest, AdminApiFollowsIdentityNotTheMetricsAddress) {
  auto services = RouteTable::LinkedServices("ttads.");
  const google::protobuf::ServiceDescriptor* admin =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "ttads.admin.v1.AdminService");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(AddressKeyFor(admin), "TTADS_ADMIN_API_ADDRESS");
  auto config = config::Load(GatewaySchema(services), "",
                             {{"TTADS_REDIS_ADDRESS", "127.0.0.1:6379"},
                              {"TTADS_IDENTITY_ADDRESS", "10.0.0.7:50051"},
                              {"TTADS_ADMIN_ADDRESS", "0.0.0.0:9101"}});
  ASSERT_THAT(config, IsOk());
  auto settings = SettingsFromConfig(*config, services);
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(settings->backends.at("ttads.admin.v1.AdminService"),
            "10.0.0.7:50051");
}

}  // namespace
}  // namespace ttads::gateway

namespace ttads::gateway {
namespace {

// One `curl` example of README.md: method, path with query, headers, body.
struct CurlExample {
  std::string method = "GET";
  std::string path;
  std::vector<std::string> headers;
  std::string body;
  // `--data-binary @<file>`: the body is that file (see ExampleFile).
  std::string body_file;
};

// The bytes of a file a README example uploads: an mp3-like head (ID3) and
// 64 KiB of data.
std::string ExampleFile(const std::string& name) {
  std::string bytes = "ID3";
  bytes.resize(64 * 1024, '\x55');
  return name.empty() ? "" : bytes;
}

// A README answer as JSON: one value, or an NDJSON stream as the array of
// its lines.
json AnswerJson(const std::string& body) {
  std::vector<std::string> lines =
      absl::StrSplit(body, '\n', absl::SkipWhitespace());
  if (lines.size() <= 1) return json::parse(body, nullptr, false);
  json out = json::array();
  for (const std::string& line : lines) {
    out.push_back(json::parse(line, nullptr, false));
  }
  return out;
}

// Splits a shell command line into words, honouring '…' and "…" quoting.
std::vector<std::string> ShellWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word.push_back(c);
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// The README's REST examples (every `curl` command, continuation lines
// joined), with $KEY replaced by `key`.
std::vector<CurlExample> ReadmeCurlExamples(const std::string& key) {
  std::ifstream in(TTADS_README_PATH);
  std::vector<CurlExample> out;
  std::string line, command;
  while (std::getline(in, line)) {
    if (!command.empty() || absl::StartsWith(line, "curl ")) {
      command += line;
      if (absl::EndsWith(command, "\\")) {
        command.pop_back();
        continue;
      }
      std::vector<std::string> words = ShellWords(command);
      command.clear();
      CurlExample example;
      for (size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if ((w == "-H" || w == "-X" || w == "-d" || w == "--data-binary") &&
            i + 1 < words.size()) {
          std::string value = words[++i];
          if (w == "-X") {
            example.method = value;
          } else if (w == "--data-binary" && absl::StartsWith(value, "@")) {
            example.body_file = value.substr(1);
            if (example.method == "GET") example.method = "POST";
          } else if (w == "-d" || w == "--data-binary") {
            example.body = value;
            if (example.method == "GET") example.method = "POST";
          } else {
            example.headers.push_back(
                absl::StrReplaceAll(value, {{"$KEY", key}}));
          }
        } else if (absl::StartsWith(w, "http://localhost:8080")) {
          example.path = w.substr(std::strlen("http://localhost:8080"));
        }
      }
      // Only the gateway's examples (not the simulator's control calls).
      if (!example.path.empty()) out.push_back(std::move(example));
    }
  }
  return out;
}

// Whether an OpenAPI path template ("/v1/x/{id}:watch") covers a README
// path whose variables are placeholders ("/v1/x/<id>:watch") or values
// ("/v1/x/7101:watch"): each {variable} stands for one segment's text up to
// a custom verb.
bool TemplateCovers(const std::string& templ, const std::string& path) {
  std::string pattern;
  bool in_var = false;
  for (char c : templ) {
    if (c == '{') in_var = true, pattern += "[^/:]+";
    if (!in_var) {
      if (std::string_view("\\^$.|?*+()[]").find(c) != std::string_view::npos) {
        pattern += '\\';
      }
      pattern += c;
    }
    if (c == '}') in_var = false;
  }
  return std::regex_match(path, std::regex(pattern));
}

// The answers of the gateway before it was split into steps and dialects
// (main at f05481e, the same fakes, printed by this test with
// TTADS_PRINT_README_ANSWERS=1), status and body, with the quota period's
// end date written as PERIOD_END.
const std::map<std::string, std::string>& ReadmeAnswersBefore() {
  static const auto* answers = new std::map<std::string, std::string>{
#include "services/gateway/testdata/readme_answers.inc"
  };
  return *answers;
}

TEST_F(GatewayTest, ReadmeRestExamplesAnswerAsBefore) {
  std::vector<CurlExample> examples = ReadmeCurlExamples(key_);
  ASSERT_GE(examples.size(), 8u) << "README.md: " << TTADS_README_PATH;
  const bool print = std::getenv("TTADS_PRINT_README_ANSWERS") != nullptr;
  for (const CurlExample& example : examples) {
    std::string name = absl::StrCat(example.method, " ", example.path);
    auto r = client_.Request(
        example.method, base_ + example.path, example.headers,
        example.body_file.empty() ? example.body
                                  : ExampleFile(example.body_file));
    std::string body = r.body;
    if (std::string end = r.Header("x-quota-period-end"); !end.empty()) {
      body = absl::StrReplaceAll(body, {{end, "PERIOD_END"}});
    }
    if (example.path == "/openapi.json") {
      // The document follows the protos; its shape is what the README shows.
      ASSERT_EQ(r.status, 200);
      json doc = json::parse(body);
      EXPECT_EQ(doc["openapi"], "3.1.0");
      for (const CurlExample& other : examples) {
        std::string path = other.path.substr(0, other.path.find('?'));
        if (path == "/openapi.json") continue;
        bool covered = doc["paths"].contains(path);
        for (const auto& [templ, unused] : doc["paths"].items()) {
          covered = covered || TemplateCovers(templ, path);
        }
        EXPECT_TRUE(covered) << path;
      }
      continue;
    }
    std::string answer = absl::StrCat(r.status, " ", body);
    if (print) {
      std::cout << "    {R\"(" << name << ")\",\n     R\"(" << answer
                << ")\"},\n";
    }
    auto it = ReadmeAnswersBefore().find(name);
    if (it == ReadmeAnswersBefore().end()) {
      ADD_FAILURE() << "no recorded answer: " << name;
      continue;
    }
    // The same status and JSON value (a Struct's members, e.g. the tool's
    // `data`, come in no fixed order).
    size_t space = it->second.find(' ');
    EXPECT_EQ(r.status, std::stoi(it->second.substr(0, space))) << name;
    EXPECT_EQ(AnswerJson(body), AnswerJson(it->second.substr(space + 1)))
        << name << "\n now:    " << body << "\n before: " << it->second;
  }
}

}  // namespace
}  // namespace ttads::gateway
