#include "libs/tiktok/curl_loop.h"

#include <atomic>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

CURL* NewGet(const std::string& url) {
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 20000L);
  return easy;
}

TEST(CurlLoopTest, TimersRunInTimeOrderOnTheLoopThread) {
  CurlLoop loop;
  absl::Mutex mu;
  std::vector<int> order;
  absl::Notification done;
  absl::Time now = absl::Now();
  bool on_loop = true;
  auto record = [&](int i) {
    return [&, i] {
      absl::MutexLock lock(&mu);
      on_loop = on_loop && loop.InLoopThread();
      order.push_back(i);
      if (order.size() == 4) done.Notify();
    };
  };
  loop.RunAt(now + absl::Milliseconds(60), record(3));
  loop.RunAt(now + absl::Milliseconds(20), record(2));
  loop.Post(record(1));
  loop.RunAt(now + absl::Milliseconds(60), record(4));  // same time: FIFO
  done.WaitForNotification();
  absl::MutexLock lock(&mu);
  EXPECT_THAT(order, ::testing::ElementsAre(1, 2, 3, 4));
  EXPECT_TRUE(on_loop);
  EXPECT_FALSE(loop.InLoopThread());
}

TEST(CurlLoopTest, ManySlowTransfersRunConcurrentlyAndReuseConnections) {
  std::atomic<int> pending{0};
  std::atomic<int> max_pending{0};
  absl::Mutex mu;
  std::set<std::string> peers;
  http::HttpServer* server_ptr = nullptr;
  http::HttpServer server(
      {}, [&](http::HttpRequest req, http::HttpResponder responder) {
        {
          absl::MutexLock lock(&mu);
          peers.insert(req.remote_address);
        }
        int now = ++pending;
        int prev = max_pending.load();
        while (now > prev && !max_pending.compare_exchange_weak(prev, now)) {
        }
        server_ptr->RunAfter(
            std::chrono::milliseconds(300), [&pending, responder]() mutable {
              --pending;
              responder.Send(http::HttpResponse::Json(200, "{}"));
            });
      });
  server_ptr = &server;
  ASSERT_THAT(server.Start(), IsOk());
  std::string url = absl::StrCat("http://127.0.0.1:", server.port(), "/x");

  CurlLoop loop;
  constexpr int kCalls = 50;
  auto run_batch = [&] {
    std::atomic<int> left{kCalls};
    std::atomic<int> ok{0};
    absl::Notification all_done;
    for (int i = 0; i < kCalls; ++i) {
      CURL* easy = NewGet(url);
      loop.Add(easy, [&, easy](CURLcode rc) {
        long http = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http);
        if (rc == CURLE_OK && http == 200) ++ok;
        curl_easy_cleanup(easy);
        if (--left == 0) all_done.Notify();
      });
    }
    all_done.WaitForNotification();
    EXPECT_EQ(ok.load(), kCalls);
  };
  run_batch();
  // All 50 were held by the server at the same time: one loop thread
  // drives them concurrently.
  EXPECT_EQ(max_pending.load(), kCalls);
  size_t first_batch_peers;
  {
    absl::MutexLock lock(&mu);
    first_batch_peers = peers.size();
  }
  run_batch();
  absl::MutexLock lock(&mu);
  // The second batch reused the cached keep-alive connections.
  EXPECT_EQ(peers.size(), first_batch_peers);
}

TEST(CurlLoopTest, ShutdownAbortsTransfersAndRunsPendingTimers) {
  absl::Mutex mu;
  std::vector<http::HttpResponder> held;  // never answered
  http::HttpServer server({}, [&](http::HttpRequest, http::HttpResponder r) {
    absl::MutexLock lock(&mu);
    held.push_back(r);
  });
  ASSERT_THAT(server.Start(), IsOk());
  auto loop = std::make_unique<CurlLoop>();
  CURL* easy = NewGet(absl::StrCat("http://127.0.0.1:", server.port(), "/"));
  std::atomic<int> result{-1};
  loop->Add(easy, [&](CURLcode rc) {
    result = rc;
    curl_easy_cleanup(easy);
  });
  std::atomic<bool> timer_ran{false};
  loop->RunAt(absl::Now() + absl::Hours(1), [&] { timer_ran = true; });
  while (loop->active_transfers() == 0) absl::SleepFor(absl::Milliseconds(1));
  loop->Shutdown();
  EXPECT_EQ(result.load(), CURLE_ABORTED_BY_CALLBACK);
  EXPECT_TRUE(timer_ran.load());

  // After shutdown, work runs inline.
  bool inline_task = false;
  loop->Post([&] { inline_task = true; });
  EXPECT_TRUE(inline_task);
  CURL* late = curl_easy_init();
  CURLcode late_rc = CURLE_OK;
  loop->Add(late, [&](CURLcode rc) { late_rc = rc; });
  EXPECT_EQ(late_rc, CURLE_ABORTED_BY_CALLBACK);
  curl_easy_cleanup(late);
  server.Stop();
  absl::MutexLock lock(&mu);
  held.clear();  // before the server object goes away
}

}  // namespace
}  // namespace ttads::tiktok
