// What the hostile-input checks cost a gateway request with a body
// (docs/gateway.md, "Bad input"), beside what transcoding costs anyway:
//
// - BM_JsonGuard: the linear pre-scan (json_guard.h) of the README's
//   add_tiktok_ad tool body, before protobuf's parser sees it;
// - BM_TranscodeRequest: the whole transcoding step of that request
//   (guard, protobuf JSON parse, Idempotency-Key, size check);
// - BM_BlockingPoolHop: one hand-off to the blocking pool, as a request
//   with a body takes: Post on one thread, run on a pool thread, which
//   wakes the poster; the CPU column is both threads' CPU per hop (a real
//   request hops once, and continues on the pool thread).
#include <atomic>
#include <memory>

#include "benchmark/benchmark.h"
#include "libs/server/work_queue.h"
#include "services/gateway/json_guard.h"
#include "services/gateway/route_table.h"
#include "services/gateway/transcoding.h"

namespace ttads::gateway {
namespace {

constexpr char kToolBody[] =
    R"({"arguments":{"advertiser_id":"7101000000000000001",)"
    R"("adgroup_id":"7112000000000000101","ad_text":"Hi",)"
    R"("landing_page_url":"https://example.com",)"
    R"("video_id":"7108000000000000001"}})";

const RouteTable& Routes() {
  static const RouteTable* routes =
      new RouteTable(*RouteTable::FromLinkedServices("ttads."));
  return *routes;
}

void BM_JsonGuard(benchmark::State& state) {
  RouteMatch match =
      *Routes().Match("POST", "/api/v1/tools/add_tiktok_ad/execute");
  const auto* type = match.route->method->input_type();
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckRequestJson(kToolBody, type));
  }
}
BENCHMARK(BM_JsonGuard);

void BM_TranscodeRequest(benchmark::State& state) {
  RouteMatch match =
      *Routes().Match("POST", "/api/v1/tools/add_tiktok_ad/execute");
  http::HttpRequest request;
  request.method = "POST";
  request.body = kToolBody;
  TranscodeOptions options;
  options.idempotency_key = "demo-ad-1";
  for (auto _ : state) {
    auto message =
        TranscodeRequest(*match.route, match.bindings, request, options);
    benchmark::DoNotOptimize(message);
  }
}
BENCHMARK(BM_TranscodeRequest);

void BM_BlockingPoolHop(benchmark::State& state) {
  server::WorkQueue pool(4);
  std::atomic<int> done{0};
  int expected = 0;
  for (auto _ : state) {
    ++expected;
    pool.Post([&done] {
      done.fetch_add(1, std::memory_order_release);
      done.notify_one();
    });
    // Sleep until woken, as the thread that continues a request would.
    for (int seen = done.load(std::memory_order_acquire); seen != expected;
         seen = done.load(std::memory_order_acquire)) {
      done.wait(seen, std::memory_order_acquire);
    }
  }
}
// CPU of the whole process (both threads) per hop.
BENCHMARK(BM_BlockingPoolHop)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
}  // namespace ttads::gateway

BENCHMARK_MAIN();
