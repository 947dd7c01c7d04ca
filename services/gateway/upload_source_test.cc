#include "services/gateway/upload_source.h"

#include <deque>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ttads/audience/v1/audience_service.pb.h"

namespace ttads::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ttads::audience::v1::SyncMembersRequest;

// A body that arrives in the given pieces, one per read, and counts reads.
struct FakeBody {
  std::deque<absl::StatusOr<std::string>> pieces;
  int reads = 0;

  UploadSource::ReadMore Reader() {
    return [this](std::function<void(absl::StatusOr<std::string>)> done) {
      ++reads;
      if (pieces.empty()) return done(std::string());
      absl::StatusOr<std::string> next = std::move(pieces.front());
      pieces.pop_front();
      done(std::move(next));
    };
  }
};

UploadSource::Options SyncOptions(bool csv, int batch_rows = 1000) {
  UploadSource::Options o;
  o.message_type = SyncMembersRequest::descriptor();
  o.bindings = {{"audience_id", "aud-1"}};
  o.request_id = "req-7";
  if (csv) o.csv = FindCsvShape(o.message_type);
  o.batch_rows = batch_rows;
  return o;
}

// Drains the source: every message, then the end or the first error.
struct Drained {
  std::vector<SyncMembersRequest> messages;
  absl::Status error;
};

Drained Drain(UploadSource& source) {
  Drained out;
  for (int i = 0; i < 10000; ++i) {
    std::optional<absl::StatusOr<std::optional<std::string>>> got;
    source.Next([&got](absl::StatusOr<std::optional<std::string>> m) {
      got = std::move(m);
    });
    EXPECT_TRUE(got.has_value()) << "the fake body answers synchronously";
    if (!got.has_value()) break;
    if (!got->ok()) {
      out.error = got->status();
      break;
    }
    if (!got->value().has_value()) break;
    SyncMembersRequest m;
    EXPECT_TRUE(m.ParseFromString(*got->value()));
    out.messages.push_back(m);
  }
  return out;
}

TEST(UploadSourceTest, NdjsonLinesSplitAcrossPiecesBecomeOneMessageEach) {
  FakeBody body;
  body.pieces = {std::string("{\"batches\":[{\"type\":\"EMAIL\",\"val"),
                 std::string("ues\":[\"a@x.io\"]}]}\n\n  \n{\"batches\":[{\"t"),
                 std::string("ype\":\"PHONE\",\"values\":[\"+1555\"]}]}")};
  auto source =
      std::make_shared<UploadSource>(SyncOptions(false), "", body.Reader());
  Drained d = Drain(*source);
  ASSERT_TRUE(d.error.ok()) << d.error;
  ASSERT_EQ(d.messages.size(), 2u);
  EXPECT_THAT(d.messages[0].batches(0).values(), ElementsAre("a@x.io"));
  EXPECT_EQ(d.messages[1].batches(0).type(),
            ttads::audience::v1::IDENTIFIER_TYPE_PHONE);
  for (const auto& m : d.messages) {
    EXPECT_EQ(m.audience_id(), "aud-1");
    EXPECT_EQ(m.request_id(), "req-7");
  }
}

TEST(UploadSourceTest, ReadsOnlyWhatTheNextMessageNeeds) {
  FakeBody body;
  for (int i = 0; i < 50; ++i) {
    body.pieces.push_back(std::string(
        "{\"batches\":[{\"type\":\"EMAIL\",\"values\":[\"u@x.io\"]}]}\n"));
  }
  auto source =
      std::make_shared<UploadSource>(SyncOptions(false), "", body.Reader());
  source->Next([](absl::StatusOr<std::optional<std::string>> m) {
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->has_value());
  });
  EXPECT_EQ(body.reads, 1);  // Not the whole body.
  EXPECT_EQ(body.pieces.size(), 49u);
}

TEST(UploadSourceTest, CsvBatchesRowsAndWaitsForFullBatches) {
  FakeBody body;
  body.pieces = {std::string("email,Phone\n\"a@x.io\",+1\nb@"),
                 std::string("x.io,\n,+2\nc@x.io,+3\n")};
  auto source =
      std::make_shared<UploadSource>(SyncOptions(true, 2), "", body.Reader());
  Drained d = Drain(*source);
  ASSERT_TRUE(d.error.ok()) << d.error;
  ASSERT_EQ(d.messages.size(), 2u);
  // First batch: rows 1-2 (full, although row 2 arrived split in two).
  EXPECT_THAT(d.messages[0].batches(0).values(),
              ElementsAre("a@x.io", "b@x.io"));
  EXPECT_THAT(d.messages[0].batches(1).values(), ElementsAre("+1"));
  EXPECT_THAT(d.messages[1].batches(0).values(), ElementsAre("c@x.io"));
  EXPECT_THAT(d.messages[1].batches(1).values(), ElementsAre("+2", "+3"));
}

TEST(UploadSourceTest, BadLineIsNamedEvenInALaterPiece) {
  FakeBody body;
  body.pieces = {
      std::string("{\"batches\":[{\"type\":\"EMAIL\",\"values\":[\"a\"]}]}\n"),
      std::string("{\"batches\": oops}\n")};
  auto source =
      std::make_shared<UploadSource>(SyncOptions(false), "", body.Reader());
  Drained d = Drain(*source);
  EXPECT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.error.message(), HasSubstr("line 2"));
  EXPECT_FALSE(source->body_failed());
}

TEST(UploadSourceTest, BodyReadErrorsPassThroughAndAreMarked) {
  FakeBody body;
  body.pieces = {
      std::string("{\"batches\":[{\"type\":\"EMAIL\",\"values\":[\"a\"]}]}\n"),
      absl::ResourceExhaustedError("the request body is over 10 bytes")};
  auto source =
      std::make_shared<UploadSource>(SyncOptions(false), "", body.Reader());
  Drained d = Drain(*source);
  EXPECT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.error.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(source->body_failed());
}

TEST(UploadSourceTest, OverlongLineIsRefusedInsteadOfBuffered) {
  FakeBody body;
  for (int i = 0; i < 100; ++i) body.pieces.push_back(std::string(1000, ' '));
  UploadSource::Options o = SyncOptions(false);
  o.max_line_bytes = 4096;
  auto source = std::make_shared<UploadSource>(std::move(o), "", body.Reader());
  Drained d = Drain(*source);
  EXPECT_EQ(d.error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.error.message(), HasSubstr("longer than 4096 bytes"));
  EXPECT_LT(body.reads, 10);
}

TEST(UploadSourceTest, WholeBodyWithoutReaderAndEmptyUploads) {
  auto whole = std::make_shared<UploadSource>(
      SyncOptions(false),
      "{\"batches\":[{\"type\":\"EMAIL\",\"values\":[\"a\"]}]}", nullptr);
  EXPECT_EQ(Drain(*whole).messages.size(), 1u);

  auto empty =
      std::make_shared<UploadSource>(SyncOptions(false), "\n\n", nullptr);
  Drained d = Drain(*empty);
  EXPECT_EQ(d.error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.error.message(), HasSubstr("empty"));

  FakeBody no_rows;
  no_rows.pieces = {std::string("email\n")};
  auto header_only =
      std::make_shared<UploadSource>(SyncOptions(true), "", no_rows.Reader());
  Drained h = Drain(*header_only);
  ASSERT_TRUE(h.error.ok()) << h.error;
  EXPECT_EQ(h.messages.size(), 1u);

  auto bad_column = std::make_shared<UploadSource>(
      SyncOptions(true), "email,shoe_size\nx,1\n", nullptr);
  EXPECT_THAT(Drain(*bad_column).error.message(), HasSubstr("shoe_size"));
}

TEST(CsvRecordTest, QuotesAndTrimming) {
  EXPECT_THAT(SplitCsvRecord(" a , \"b,\"\"c\"\" \",,d"),
              ElementsAre("a", "b,\"c\"", "", "d"));
}

}  // namespace
}  // namespace ttads::gateway
