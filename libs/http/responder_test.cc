#include "libs/http/responder.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/internal/exchange.h"
#include "libs/http/internal/fake_connection.h"
#include "libs/testing/status_matchers.h"

namespace ttads::http {
namespace {

using internal::Exchange;
using internal::FakeConnection;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// Runs reader.Read and returns what `done` got (it is called inline by the
// fake).
absl::StatusOr<std::string> ReadOnce(BodyReader& reader) {
  std::optional<absl::StatusOr<std::string>> got;
  reader.Read([&got](absl::StatusOr<std::string> piece) { got = piece; });
  EXPECT_TRUE(got.has_value());
  return got.value_or(absl::InternalError("done was not called"));
}

TEST(BodyReaderTest, ReadsFromItsExchangeOnTheConnection) {
  auto connection = std::make_shared<FakeConnection>();
  connection->pieces = {"abc", "de"};
  BodyReader reader(connection, 12);
  EXPECT_THAT(ReadOnce(reader), IsOkAndHolds("abc"));
  EXPECT_THAT(ReadOnce(reader), IsOkAndHolds("de"));
  EXPECT_THAT(ReadOnce(reader), IsOkAndHolds(""));
  EXPECT_THAT(connection->calls(),
              ElementsAre("read 12", "read 12", "read 12"));
}

TEST(BodyReaderTest, GoneConnectionIsUnavailable) {
  auto connection = std::make_shared<FakeConnection>();
  BodyReader reader(connection, 1);
  connection.reset();  // The reader does not keep it alive.
  EXPECT_THAT(ReadOnce(reader), StatusIs(absl::StatusCode::kUnavailable,
                                         HasSubstr("connection is closed")));
}

TEST(HttpResponderTest, CopiesShareOneExchange) {
  auto connection = std::make_shared<FakeConnection>();
  {
    HttpResponder first(std::make_shared<Exchange>(connection, 4));
    HttpResponder copy = first;
    EXPECT_TRUE(copy.Send(HttpResponse::Text(200, "once")));
    EXPECT_FALSE(first.Send(HttpResponse::Text(200, "twice")));
    EXPECT_FALSE(first.Close());
  }
  EXPECT_THAT(connection->calls(), ElementsAre("send 4 200 once"));
}

TEST(HttpResponderTest, ChunkedCallsReachTheConnection) {
  auto connection = std::make_shared<FakeConnection>();
  {
    HttpResponder r(std::make_shared<Exchange>(connection, 2));
    EXPECT_TRUE(r.StartChunked(200, {}));
    EXPECT_TRUE(r.WriteChunk("x"));
    EXPECT_TRUE(r.FinishChunked());
    EXPECT_FALSE(r.WriteChunk("y"));
  }
  EXPECT_THAT(connection->calls(),
              ElementsAre("start 2 200", "chunk 2 x", "finish 2"));
}

TEST(HttpResponderTest, DroppingEveryCopyAnswers500Once) {
  auto connection = std::make_shared<FakeConnection>();
  {
    HttpResponder first(std::make_shared<Exchange>(connection, 8));
    HttpResponder copy = first;
  }
  ASSERT_EQ(connection->calls().size(), 1u);
  EXPECT_THAT(connection->calls()[0], HasSubstr("send 8 500 "));
}

}  // namespace
}  // namespace ttads::http
