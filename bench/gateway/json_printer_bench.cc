// What AIP-203's "INPUT_ONLY fields are not in answers" costs the gateway's
// answer printer (services/gateway/json_printer.h, `omit_input_only`, which
// every REST answer now prints with), beside protobuf's own printer as the
// peer:
//
// - BM_PrintAnswer/<kind>/<omit>: PrintJson of a publish check answer (the
//   benchmarked REST path's answer, no INPUT_ONLY fields) and of a full Ad
//   (the resource with INPUT_ONLY fields), always printing primitive fields
//   as answers do, with omit_input_only off (0) and on (1);
// - BM_ProtobufPrinter/<kind>: google::protobuf::util::MessageToJsonString
//   of the same messages with the same options (it cannot omit).
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/json_printer.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::gateway {
namespace {

using google::protobuf::Message;

// A Spark Ads objective's answer: five prerequisites, two found assets each.
const Message& PublishCheckAnswer() {
  static const auto* answer = [] {
    auto* a = new preflight::v1::PublishCheckResponse();
    a->set_ready(false);
    a->set_advertiser_id("7101000000000000001");
    a->set_objective("VIDEO_VIEWS");
    a->add_missing("pixel");
    for (const char* name :
         {"identity", "pixel", "catalog", "app", "leadForm"}) {
      auto* check = a->add_checks();
      check->set_name(name);
      check->set_required(true);
      check->set_satisfied(std::string(name) != "pixel");
      check->set_reason("found by the advertiser's token");
      check->set_fix_hint("connect one in TikTok Ads Manager");
      for (int i = 0; i < 2; ++i) {
        auto* found = check->add_found();
        found->set_id("71080000000000000" + std::to_string(10 + i));
        found->set_name("Asset " + std::to_string(i));
      }
    }
    return a;
  }();
  return *answer;
}

// An ad as CreateAd's caller sends it (creation inputs set) and as GetAd
// answers it.
const Message& FullAd() {
  static const auto* ad = [] {
    auto* a = new ads::v1::Ad();
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        R"({"adId":"7120000000000000001","advertiserId":"7101000000000000001",)"
        R"("adgroupId":"7112000000000000101","adName":"Spring drop",)"
        R"("adText":"Our new drop","landingPageUrl":"https://example.com",)"
        R"("callToAction":"SHOP_NOW","imageUrls":["https://example.com/a.jpg",)"
        R"("https://example.com/b.jpg"],"videoUrl":"https://example.com/v.mp4"})",
        a);
    if (!parsed.ok()) std::abort();
    return a;
  }();
  return *ad;
}

const Message& Answer(int64_t kind) {
  return kind == 0 ? PublishCheckAnswer() : FullAd();
}

void BM_PrintAnswer(benchmark::State& state) {
  const Message& message = Answer(state.range(0));
  JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.omit_input_only = state.range(1) != 0;
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!PrintJson(message, options, &out).ok()) state.SkipWithError("print");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetLabel(state.range(0) == 0 ? "publish_check" : "ad");
}
BENCHMARK(BM_PrintAnswer)->ArgsProduct({{0, 1}, {0, 1}});

void BM_ProtobufPrinter(benchmark::State& state) {
  const Message& message = Answer(state.range(0));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!google::protobuf::util::MessageToJsonString(message, &out, options)
             .ok()) {
      state.SkipWithError("print");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetLabel(state.range(0) == 0 ? "publish_check" : "ad");
}
BENCHMARK(BM_ProtobufPrinter)->Arg(0)->Arg(1);

}  // namespace
}  // namespace ttads::gateway

BENCHMARK_MAIN();
