// Client tests against a scripted HTTP server on loopback (libs/http).
#include "libs/tiktok/client.h"

#include <dirent.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/server.h"
#include "libs/testing/free_port.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/in_memory_rate_limiter.h"
#include "libs/trace/trace_context.h"

namespace ttads::tiktok {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

std::string Ok(const std::string& data = "{}") {
  return absl::StrCat(
      R"({"code":0,"message":"OK","request_id":"rid-ok","data":)", data, "}");
}
std::string Code(int code) {
  return absl::StrCat(R"({"code":)", code,
                      R"(,"message":"scripted","request_id":"rid-)", code,
                      R"(","data":{}})");
}

// What the scripted server does with request number n (0-based).
using Script = std::function<void(int n, const http::HttpRequest& request,
                                  http::HttpResponder responder)>;

class FakeTikTok {
 public:
  explicit FakeTikTok(Script script) : script_(std::move(script)) {
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [this](http::HttpRequest request, http::HttpResponder responder) {
          int n;
          {
            absl::MutexLock lock(&mu_);
            n = static_cast<int>(requests_.size());
            requests_.push_back(request);
          }
          script_(n, request, std::move(responder));
        });
    EXPECT_THAT(server_->Start(), IsOk());
  }
  ~FakeTikTok() {
    server_->Stop();
    absl::MutexLock lock(&mu_);
    held_.clear();  // responders must not outlive the server object
  }

  // Keeps `responder` unanswered (the request "hangs") until destruction.
  void Hold(http::HttpResponder responder) {
    absl::MutexLock lock(&mu_);
    held_.push_back(std::move(responder));
  }

  std::string base_url() const {
    return absl::StrCat("http://127.0.0.1:", server_->port(),
                        "/open_api/v1.3/");
  }
  int count() const {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(requests_.size());
  }
  http::HttpRequest request(int i) const {
    absl::MutexLock lock(&mu_);
    return requests_.at(i);
  }
  http::HttpServer& server() { return *server_; }

 private:
  Script script_;
  mutable absl::Mutex mu_;
  std::vector<http::HttpRequest> requests_;
  std::vector<http::HttpResponder> held_;
  std::unique_ptr<http::HttpServer> server_;
};

void Reply(http::HttpResponder& responder, const std::string& body,
           int status = 200) {
  responder.Send(http::HttpResponse::Json(status, body));
}

std::unique_ptr<Client> MakeClient(const std::string& base_url,
                                   ClientOptions options = {}) {
  options.base_url = base_url;
  options.app_id = "test-app";
  options.backoff.initial = absl::Milliseconds(10);
  options.backoff.max = absl::Milliseconds(50);
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Create(std::move(options));
  EXPECT_THAT(client, IsOk());
  return *std::move(client);
}

absl::Time In(absl::Duration d) { return absl::Now() + d; }

int Attempts(const absl::Status& status) {
  return GetTikTokErrorInfo(status).value_or(TikTokErrorInfo{}).attempts;
}

TEST(ClientTest, CreateValidatesBaseUrl) {
  EXPECT_THAT(Client::Create({}), StatusIs(absl::StatusCode::kInvalidArgument));
  ClientOptions options;
  options.base_url = "ftp://x/";
  EXPECT_THAT(Client::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_TIKTOK_BASE_URL")));
}

TEST(ClientTest, GetSendsTokenAndJsonEncodedParams) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok(R"({"identity_list":[{"identity_id":"i1"}]})"));
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> envelope = client->Call(
      HttpCall::Get(
          "/identity/get/",
          {{"advertiser_id", "42"}, {"filtering", {{"ad_ids", {"1", "2"}}}}},
          "tok-123"),
      In(absl::Seconds(5)));
  ASSERT_THAT(envelope, IsOk());
  EXPECT_EQ(envelope->request_id, "rid-ok");
  EXPECT_EQ(envelope->data["identity_list"][0]["identity_id"], "i1");
  http::HttpRequest request = tiktok.request(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/open_api/v1.3/identity/get/");
  EXPECT_EQ(request.QueryParam("advertiser_id"), "42");
  EXPECT_EQ(request.QueryParam("filtering"), R"({"ad_ids":["1","2"]})");
  EXPECT_EQ(request.headers.Get("Access-Token"), "tok-123");
  EXPECT_FALSE(request.headers.Has("Authorization"));
}

TEST(ClientTest, SendsTheCurrentSpanAsTraceparent) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  auto client = MakeClient(tiktok.base_url());
  ASSERT_THAT(
      client->Call(HttpCall::Get("advertiser/info/", {}), In(absl::Seconds(5))),
      IsOk());
  EXPECT_FALSE(tiktok.request(0).headers.Has("traceparent"));
  trace::TraceContext span = trace::ContinueOrStart(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "congo=t61rcWkgMzE");
  {
    trace::ScopedTrace scope(&span);
    ASSERT_THAT(client->Call(HttpCall::Get("advertiser/info/", {}),
                             In(absl::Seconds(5))),
                IsOk());
  }
  http::HttpRequest request = tiktok.request(1);
  EXPECT_EQ(request.headers.Get("traceparent"), span.Traceparent());
  EXPECT_EQ(request.headers.Get("tracestate"), "congo=t61rcWkgMzE");
  // An explicit value wins (a call sent from a thread without the span).
  HttpCall call = HttpCall::Get("advertiser/info/", {});
  call.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  ASSERT_THAT(client->Call(std::move(call), In(absl::Seconds(5))), IsOk());
  EXPECT_EQ(tiktok.request(2).headers.Get("traceparent"),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}

TEST(ClientTest, PostSendsJsonBodyWithoutTokenForOAuth) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok(R"({"access_token":"t"})"));
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> envelope = client->Call(
      HttpCall::Post("oauth2/access_token/",
                     {{"app_id", "a"}, {"secret", "s"}, {"auth_code", "c"}}),
      In(absl::Seconds(5)));
  ASSERT_THAT(envelope, IsOk());
  http::HttpRequest request = tiktok.request(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_FALSE(request.headers.Has("Access-Token"));
  EXPECT_THAT(request.headers.Get("Content-Type").value_or(""),
              HasSubstr("application/json"));
  nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["auth_code"], "c");
}

TEST(ClientTest, EmptyPostBodyIsAnEmptyObject) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  auto client = MakeClient(tiktok.base_url());
  ASSERT_THAT(client->Call(HttpCall::Post("oauth2/revoke_token/", {}),
                           In(absl::Seconds(5))),
              IsOk());
  EXPECT_EQ(tiktok.request(0).body, "{}");
}

TEST(ClientTest, MultipartUploadCarriesFileAndMd5) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok(R"({"image_id":"img1"})"));
  });
  auto client = MakeClient(tiktok.base_url());
  MultipartForm form;
  form.AddText("advertiser_id", "42");
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  form.AddFile("image_file", "pic.png", "PNGDATA", "image/png",
               "image_signature");
  absl::StatusOr<Envelope> envelope = client->Call(
      HttpCall::Upload("file/image/ad/upload/", std::move(form), "tok"),
      In(absl::Seconds(5)));
  ASSERT_THAT(envelope, IsOk());
  http::HttpRequest request = tiktok.request(0);
  EXPECT_THAT(request.headers.Get("Content-Type").value_or(""),
              HasSubstr("multipart/form-data"));
  EXPECT_THAT(request.body, HasSubstr("name=\"image_signature\"\r\n\r\n" +
                                      Md5Hex("PNGDATA")));
  EXPECT_THAT(request.body, HasSubstr("filename=\"pic.png\""));
  EXPECT_THAT(request.body, HasSubstr("PNGDATA"));
  EXPECT_LT(request.body.find("image_signature"),
            request.body.find("image_file"));
}

TEST(ClientTest, MultipartStreamsFileFromDisk) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok(R"([{"video_id":"v1"}])"));
  });
  std::string path =
      absl::StrCat(::testing::TempDir(), "/ttads_video_", getpid(), ".mp4");
  std::string content(200'000, 'v');
  std::ofstream(path, std::ios::binary) << content;
  MultipartForm form;
  ASSERT_THAT(
      form.AddFileFromPath("video_file", path, "video_signature", "video/mp4"),
      IsOk());
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> envelope = client->Call(
      HttpCall::Upload("file/video/ad/upload/", std::move(form), "tok"),
      In(absl::Seconds(10)));
  std::filesystem::remove(path);
  ASSERT_THAT(envelope, IsOk());
  EXPECT_EQ(envelope->data[0]["video_id"], "v1");
  std::string body = tiktok.request(0).body;
  EXPECT_THAT(body, HasSubstr(Md5Hex(content)));
  EXPECT_THAT(body, HasSubstr(content));
}

TEST(ClientTest, ErrorCodeInHttp200IsPermanentAndNotRetried) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Code(40002));
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(result.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->code, 40002);
  EXPECT_EQ(info->request_id, "rid-40002");
  EXPECT_EQ(info->attempts, 1);
  EXPECT_EQ(tiktok.count(), 1);
}

TEST(ClientTest, ThrottlingIsRetriedAfterTheSecond) {
  FakeTikTok tiktok([](int n, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, n == 0 ? Code(40100) : Ok());
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Post("ad/create/", {}), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(tiktok.count(), 2);
  EXPECT_EQ(client->stats().retries, 1);
}

TEST(ClientTest, ServerErrorIsRetriedForPosts) {
  FakeTikTok tiktok([](int n, const http::HttpRequest&, http::HttpResponder r) {
    if (n < 2) {
      Reply(r, "unavailable", 503);
    } else {
      Reply(r, Ok());
    }
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result = client->Call(
      HttpCall::Post("ad/status/update/", {}), In(absl::Seconds(10)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(tiktok.count(), 3);
}

TEST(ClientTest, RetriesDisabledPerCall) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Code(50000));
  });
  auto client = MakeClient(tiktok.base_url());
  HttpCall call = HttpCall::Get("ad/get/", {});
  call.retry = false;
  absl::StatusOr<Envelope> result =
      client->Call(std::move(call), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(result.status()));
  EXPECT_EQ(tiktok.count(), 1);
}

TEST(ClientTest, RetriesStopAtMaxAttempts) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Code(51000));
  });
  ClientOptions options;
  options.max_attempts = 3;
  auto client = MakeClient(tiktok.base_url(), options);
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(10)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Attempts(result.status()), 3);
  EXPECT_EQ(tiktok.count(), 3);
}

TEST(ClientTest, SuggestedWaitBeyondDeadlineReturnsWithoutWaiting) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Code(60001));  // maintenance: retry in 30 s
  });
  auto client = MakeClient(tiktok.base_url());
  absl::Time deadline = In(absl::Seconds(3));
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), deadline);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now(), deadline);
  EXPECT_EQ(tiktok.count(), 1);
}

TEST(ClientTest, DroppedPostIsAmbiguousAndNotRetried) {
  FakeTikTok tiktok(
      [](int, const http::HttpRequest&, http::HttpResponder r) { r.Close(); });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Post("ad/create/", {{"advertiser_id", "1"}}),
                   In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsAmbiguous(result.status())) << result.status();
  EXPECT_EQ(tiktok.count(), 1);
  EXPECT_EQ(client->stats().ambiguous, 1);
}

TEST(ClientTest, DroppedGetIsRetried) {
  FakeTikTok tiktok([](int n, const http::HttpRequest&, http::HttpResponder r) {
    if (n == 0) {
      r.Close();
    } else {
      Reply(r, Ok());
    }
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(tiktok.count(), 2);
}

TEST(ClientTest, IdempotentPostMayBeRetriedAfterAmbiguity) {
  FakeTikTok tiktok([](int n, const http::HttpRequest&, http::HttpResponder r) {
    if (n == 0) {
      r.Close();
    } else {
      Reply(r, Ok());
    }
  });
  auto client = MakeClient(tiktok.base_url());
  HttpCall call = HttpCall::Post("ad/status/update/", {});
  call.idempotent = true;
  ASSERT_THAT(client->Call(std::move(call), In(absl::Seconds(5))), IsOk());
  EXPECT_EQ(tiktok.count(), 2);
}

TEST(ClientTest, TimeoutAfterSendIsAmbiguousDeadlineExceeded) {
  FakeTikTok tiktok([&](int, const http::HttpRequest&, http::HttpResponder r) {
    tiktok.Hold(r);  // applied, answer never comes
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Post("ad/create/", {{"advertiser_id", "1"}}),
                   In(absl::Milliseconds(400)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(IsAmbiguous(result.status())) << result.status();
  EXPECT_EQ(tiktok.count(), 1);
}

TEST(ClientTest, AttemptTimeoutOnGetIsRetriedWithinTheDeadline) {
  FakeTikTok tiktok(
      [&](int n, const http::HttpRequest&, http::HttpResponder r) {
        if (n == 0) {
          tiktok.Hold(r);
        } else {
          Reply(r, Ok());
        }
      });
  ClientOptions options;
  options.attempt_timeout = absl::Milliseconds(200);
  auto client = MakeClient(tiktok.base_url(), options);
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(tiktok.count(), 2);
}

TEST(ClientTest, ConnectionRefusedIsCleanAndRetriedUntilTheDeadline) {
  absl::StatusOr<int> port = testing::FreePort();
  ASSERT_THAT(port, IsOk());
  auto client = MakeClient(absl::StrCat("http://127.0.0.1:", *port, "/"));
  absl::StatusOr<Envelope> result = client->Call(
      HttpCall::Post("ad/create/", {}), In(absl::Milliseconds(300)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(IsAmbiguous(result.status()));
  // A POST that never reached TikTok is safe to resend.
  EXPECT_GT(Attempts(result.status()), 1);
}

TEST(ClientTest, GarbledSuccessIsAmbiguousForPosts) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    r.Send(http::HttpResponse::Text(200, "<html>proxy</html>"));
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Post("ad/create/", {}), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsAmbiguous(result.status()));
  EXPECT_EQ(tiktok.count(), 1);
}

TEST(ClientTest, ExpiredDeadlineFailsWithoutSending) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  auto client = MakeClient(tiktok.base_url());
  absl::StatusOr<Envelope> result = client->Call(
      HttpCall::Get("ad/get/", {}), absl::Now() - absl::Seconds(1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_FALSE(IsAmbiguous(result.status()));
  EXPECT_EQ(tiktok.count(), 0);
}

TEST(ClientTest, RateLimiterSpacesCallsAndRejectsBeyondTheDeadline) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  RateLimitPolicy policy;
  policy.tier = Tier::kSandbox;  // one call per ~2 s per endpoint
  ClientOptions options;
  options.rate_limiter = std::make_shared<InMemoryRateLimiter>(policy);
  auto client = MakeClient(tiktok.base_url(), options);
  ASSERT_THAT(client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5))),
              IsOk());
  absl::StatusOr<Envelope> rejected =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Milliseconds(500)));
  EXPECT_THAT(rejected, StatusIs(absl::StatusCode::kResourceExhausted));
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(rejected.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->retryable);
  EXPECT_GT(info->retry_delay, absl::ZeroDuration());
  EXPECT_EQ(info->attempts, 0);
  EXPECT_EQ(tiktok.count(), 1);
  // With time to wait, the call is delayed on the timer, then sent.
  ASSERT_THAT(client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5))),
              IsOk());
  EXPECT_EQ(tiktok.count(), 2);
  EXPECT_EQ(client->stats().limiter_waits, 1);
  EXPECT_EQ(client->stats().limiter_rejects, 1);
}

class UnreachableLimiter : public RateLimiter {
 public:
  absl::StatusOr<Reservation> Reserve(const RateLimitRequest&,
                                      absl::Duration) override {
    ++calls;
    return absl::UnavailableError("redis down");
  }
  std::atomic<int> calls{0};
};

TEST(ClientTest, UnreachableLimiterFailsOpenAndIsBypassedForAWhile) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  auto limiter = std::make_shared<UnreachableLimiter>();
  ClientOptions options;
  options.rate_limiter = limiter;
  options.limiter_error_bypass = absl::Hours(1);
  auto client = MakeClient(tiktok.base_url(), options);
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(
        client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5))),
        IsOk());
  }
  EXPECT_EQ(tiktok.count(), 3);
  EXPECT_EQ(limiter->calls.load(), 1);
  EXPECT_EQ(client->stats().limiter_errors, 1);
}

int ThreadCount() {
  int n = 0;
  DIR* dir = opendir("/proc/self/task");
  while (dirent* entry = readdir(dir)) n += entry->d_name[0] != '.';
  closedir(dir);
  return n;
}

TEST(ClientTest, HundredConcurrentSlowCallsNeedNoThreadEach) {
  constexpr int kCalls = 100;
  std::atomic<int> held{0};
  std::atomic<int> max_held{0};
  http::HttpServer* server = nullptr;
  FakeTikTok tiktok([&](int, const http::HttpRequest&, http::HttpResponder r) {
    int now = ++held;
    int prev = max_held.load();
    while (now > prev && !max_held.compare_exchange_weak(prev, now)) {
    }
    server->RunAfter(std::chrono::milliseconds(500), [&held, r]() mutable {
      --held;
      Reply(r, Ok());
    });
  });
  server = &tiktok.server();
  auto client = MakeClient(tiktok.base_url());
  int threads_before = ThreadCount();
  std::atomic<int> ok{0};
  std::atomic<int> left{kCalls};
  absl::Notification all_done;
  for (int i = 0; i < kCalls; ++i) {
    client->Send(HttpCall::Post("ad/create/", {{"i", i}}),
                 In(absl::Seconds(20)), [&](absl::StatusOr<Envelope> r) {
                   if (r.ok()) ++ok;
                   if (--left == 0) all_done.Notify();
                 });
  }
  while (held.load() < kCalls && !all_done.HasBeenNotified()) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(ThreadCount(), threads_before);
  all_done.WaitForNotification();
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_EQ(max_held.load(), kCalls);
}

TEST(ClientTest, DestroyingTheClientCancelsPendingCalls) {
  FakeTikTok tiktok([&](int, const http::HttpRequest&, http::HttpResponder r) {
    tiktok.Hold(r);
  });
  auto client = MakeClient(tiktok.base_url());
  absl::Notification done;
  absl::Status status;
  client->Send(HttpCall::Get("ad/get/", {}), In(absl::Seconds(30)),
               [&](absl::StatusOr<Envelope> r) {
                 status = r.status();
                 done.Notify();
               });
  while (tiktok.count() == 0) absl::SleepFor(absl::Milliseconds(1));
  client.reset();
  ASSERT_TRUE(done.HasBeenNotified());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
}

TEST(ClientTest, BlockingCallFromCallbackIsRefused) {
  FakeTikTok tiktok([](int, const http::HttpRequest&, http::HttpResponder r) {
    Reply(r, Ok());
  });
  auto client = MakeClient(tiktok.base_url());
  absl::Notification done;
  absl::Status nested;
  client->Send(
      HttpCall::Get("ad/get/", {}), In(absl::Seconds(5)),
      [&](absl::StatusOr<Envelope>) {
        nested =
            client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5)))
                .status();
        done.Notify();
      });
  done.WaitForNotification();
  EXPECT_THAT(nested, StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace ttads::tiktok
