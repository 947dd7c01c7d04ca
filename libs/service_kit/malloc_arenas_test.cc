// CapMallocArenas: threads that allocate at the same time share the capped
// arenas instead of each getting its own (glibc's default is up to 8 per
// core). Its own binary: the cap must come before any thread allocates.
#include "libs/service_kit/malloc_arenas.h"

#include <cstdlib>
#include <cstring>
#include <latch>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::service_kit {
namespace {

using ::testing::AllOf;
using ::testing::Ge;
using ::testing::Le;
using ::ttads::testing::IsOkAndHolds;

// Starts `n` threads that each allocate while all the others are alive
// (so none can take over an arena a finished thread left), then joins them.
void AllocateOnConcurrentThreads(int n) {
  std::latch allocated(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&allocated] {
      void* block = std::malloc(4096);
      std::memset(block, 1, 4096);
      allocated.arrive_and_wait();
      std::free(block);
    });
  }
  for (auto& t : threads) t.join();
}

TEST(MallocArenasTest, ConcurrentThreadsShareTheCappedArenas) {
  CapMallocArenas(2);
  AllocateOnConcurrentThreads(8);
  // Without the cap: the main arena plus one per thread (9 here).
  EXPECT_THAT(MallocArenaCount(), IsOkAndHolds(AllOf(Ge(1), Le(2))));
}

}  // namespace
}  // namespace ttads::service_kit
