#include "services/preflight/single_flight.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace ttads::preflight {
namespace {

TEST(SingleFlightTest, ConcurrentCallersShareOneRun) {
  SingleFlight<int> flight;
  std::atomic<int> runs{0};
  constexpr int kFollowers = 7;
  std::vector<int> results(kFollowers + 1);
  std::thread leader([&] {
    results[0] = flight.Do("k", [&] {
      ++runs;
      // Hold the flight open until every follower is waiting on it.
      while (flight.Waiting("k") < kFollowers) std::this_thread::yield();
      return 42;
    });
  });
  while (runs.load() == 0) std::this_thread::yield();
  std::vector<std::thread> followers;
  for (int i = 1; i <= kFollowers; ++i) {
    followers.emplace_back([&, i] {
      bool shared = false;
      results[i] = flight.Do(
          "k",
          [&] {
            ++runs;
            return -1;
          },
          &shared);
      EXPECT_TRUE(shared);
    });
  }
  leader.join();
  for (auto& t : followers) t.join();
  EXPECT_EQ(runs.load(), 1);
  for (int r : results) EXPECT_EQ(r, 42);
  // The key is forgotten once the flight lands.
  EXPECT_EQ(flight.Do("k", [] { return 7; }), 7);
}

TEST(SingleFlightTest, DifferentKeysRunIndependently) {
  SingleFlight<int> flight;
  EXPECT_EQ(flight.Do("a", [] { return 1; }), 1);
  EXPECT_EQ(flight.Do("b", [] { return 2; }), 2);
}

}  // namespace
}  // namespace ttads::preflight
