// Per-core throughput of the audience pipeline's normalise + hash step
// (libs/identifiers), reported as items/s. hash_vs_openssl.sh compares the
// 64-byte SHA-256 rows with `openssl speed -evp sha256` in the same run.
#include <cstdio>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "libs/identifiers/identifiers.h"

namespace ttads::identifiers {
namespace {

std::vector<std::string> Emails(int n) {
  std::vector<std::string> out;
  out.reserve(n);
  char buf[96];
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof(buf), "  First.Last%07d+news@Example-Mail.com ",
                  i);
    out.emplace_back(buf);
  }
  return out;
}

// Raw SHA-256 of a 64-byte input to hex: the floor the pipeline sits on.
void BM_Sha256Hex64(benchmark::State& state) {
  const std::string input(64, 'a');
  char out[64];
  for (auto _ : state) {
    Sha256Hex(input, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 64);
}
BENCHMARK(BM_Sha256Hex64);

// Email normalise + SHA-256 + hex: the audience hot path.
void BM_EmailNormalizeHashHex(benchmark::State& state) {
  const auto inputs = Emails(4096);
  Normalizer n;
  std::string scratch;
  uint8_t digest[32];
  char hex[64];
  size_t i = 0;
  for (auto _ : state) {
    n.Digest(IdType::kEmail, inputs[i++ & 4095], digest, nullptr, &scratch);
    HexEncode(digest, 32, hex);
    benchmark::DoNotOptimize(hex);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmailNormalizeHashHex);

void BM_MaidNormalizeHash(benchmark::State& state) {
  const std::string maid = "6B2A1E1C-9F3E-4D2A-8B7C-0123456789AB";
  Normalizer n;
  std::string scratch;
  uint8_t digest[32];
  for (auto _ : state) {
    n.Digest(IdType::kMaid, maid, digest, nullptr, &scratch);
    benchmark::DoNotOptimize(digest);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MaidNormalizeHash);

void BM_HashedPassThrough(benchmark::State& state) {
  const std::string hashed(
      "3586DE92BB3636D0885A12EFF961429A32E4EBD764B96F50D85D016F9338D586");
  Normalizer n;
  std::string scratch;
  uint8_t digest[32];
  for (auto _ : state) {
    n.Digest(IdType::kEmail, hashed, digest, nullptr, &scratch);
    benchmark::DoNotOptimize(digest);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashedPassThrough);

// libphonenumber parsing dominates phones; reported for completeness.
void BM_PhoneNormalizeHash(benchmark::State& state) {
  Normalizer n;
  std::string scratch;
  uint8_t digest[32];
  for (auto _ : state) {
    n.Digest(IdType::kPhone, "(415) 555-2671", digest, nullptr, &scratch);
    benchmark::DoNotOptimize(digest);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhoneNormalizeHash);

}  // namespace
}  // namespace ttads::identifiers

BENCHMARK_MAIN();
