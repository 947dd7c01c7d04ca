#include "libs/http/internal/exchange.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/internal/fake_connection.h"

namespace ttads::http::internal {
namespace {

using ::testing::ElementsAre;

class ExchangeTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeConnection> connection_ =
      std::make_shared<FakeConnection>();
};

TEST_F(ExchangeTest, SendIsTheOnlyOutcome) {
  {
    Exchange exchange(connection_, 7);
    EXPECT_TRUE(exchange.Send(HttpResponse::Text(202, "first")));
    EXPECT_FALSE(exchange.Send(HttpResponse::Text(200, "second")));
    EXPECT_FALSE(exchange.Close());
    EXPECT_FALSE(exchange.StartChunked(200, {}));
    EXPECT_FALSE(exchange.WriteChunk("x"));
    EXPECT_FALSE(exchange.FinishChunked());
  }
  EXPECT_THAT(connection_->calls(), ElementsAre("send 7 202 first"));
}

TEST_F(ExchangeTest, CloseIsTheOnlyOutcome) {
  {
    Exchange exchange(connection_, 3);
    EXPECT_TRUE(exchange.Close());
    EXPECT_FALSE(exchange.Close());
    EXPECT_FALSE(exchange.Send(HttpResponse::Text(200, "late")));
    EXPECT_FALSE(exchange.StartChunked(200, {}));
  }
  EXPECT_THAT(connection_->calls(), ElementsAre("close 3"));
}

TEST_F(ExchangeTest, ChunkedAnswerPassesChunksUntilFinished) {
  {
    Exchange exchange(connection_, 1);
    EXPECT_FALSE(exchange.WriteChunk("before"));
    EXPECT_FALSE(exchange.FinishChunked());
    EXPECT_TRUE(exchange.StartChunked(206, {}));
    EXPECT_FALSE(exchange.StartChunked(200, {}));
    EXPECT_FALSE(exchange.Send(HttpResponse::Text(200, "no")));
    EXPECT_TRUE(exchange.WriteChunk("a"));
    EXPECT_TRUE(exchange.WriteChunk("b"));
    EXPECT_TRUE(exchange.FinishChunked());
    EXPECT_FALSE(exchange.WriteChunk("after"));
    EXPECT_FALSE(exchange.FinishChunked());
    EXPECT_FALSE(exchange.Close());
  }
  EXPECT_THAT(connection_->calls(),
              ElementsAre("start 1 206", "chunk 1 a", "chunk 1 b", "finish 1"));
}

TEST_F(ExchangeTest, CloseEndsAnOpenChunkedAnswer) {
  {
    Exchange exchange(connection_, 2);
    EXPECT_TRUE(exchange.StartChunked(200, {}));
    EXPECT_TRUE(exchange.WriteChunk("a"));
    EXPECT_TRUE(exchange.Close());
    EXPECT_FALSE(exchange.WriteChunk("b"));
  }
  EXPECT_THAT(connection_->calls(),
              ElementsAre("start 2 200", "chunk 2 a", "close 2"));
}

TEST_F(ExchangeTest, DroppedWithoutAnAnswerSends500) {
  { Exchange exchange(connection_, 9); }
  EXPECT_THAT(connection_->calls(),
              ElementsAre("send 9 500 "
                          R"({"error":"the handler dropped the request",)"
                          R"("code":"INTERNAL","details":[]})"));
}

TEST_F(ExchangeTest, DroppedWithAnOpenChunkedAnswerCloses) {
  {
    Exchange exchange(connection_, 4);
    exchange.StartChunked(200, {});
    exchange.WriteChunk("part");
  }
  EXPECT_THAT(connection_->calls(),
              ElementsAre("start 4 200", "chunk 4 part", "close 4"));
}

TEST_F(ExchangeTest, KeepsItsConnectionAlive) {
  std::weak_ptr<FakeConnection> weak = connection_;
  auto exchange = std::make_unique<Exchange>(std::move(connection_), 1);
  EXPECT_FALSE(weak.expired());
  exchange->Send(HttpResponse::Text(200, ""));
  exchange.reset();
  EXPECT_TRUE(weak.expired());
}

TEST_F(ExchangeTest, RacingAnswersHaveOneWinner) {
  std::vector<std::string> calls;
  for (int round = 0; round < 50; ++round) {
    auto connection = std::make_shared<FakeConnection>();
    {
      Exchange exchange(connection, round);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&exchange, t] {
          if (t % 2 == 0) {
            exchange.Send(HttpResponse::Text(200, absl::StrCat(t)));
          } else {
            exchange.Close();
          }
        });
      }
      for (auto& t : threads) t.join();
    }
    EXPECT_EQ(connection->calls().size(), 1u) << "round " << round;
  }
}

// A chunk written from another thread while StartChunked is still handing
// the head over waits for it: the connection never sees a chunk first.
TEST_F(ExchangeTest, AChunkCannotOvertakeTheHead) {
  std::thread writer;
  {
    Exchange exchange(connection_, 5);
    connection_->on_start_chunked = [&] {
      writer = std::thread([&exchange] { exchange.WriteChunk("c"); });
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    };
    EXPECT_TRUE(exchange.StartChunked(200, {}));
    writer.join();
    exchange.FinishChunked();
  }
  EXPECT_THAT(connection_->calls(),
              ElementsAre("start 5 200", "chunk 5 c", "finish 5"));
}

}  // namespace
}  // namespace ttads::http::internal
