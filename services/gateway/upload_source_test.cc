#include "services/gateway/upload_source.h"

#include <deque>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/content/v1/content_service.pb.h"

namespace ttads::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ttads::audience::v1::SyncMembersRequest;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

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
template <typename Message>
struct DrainedOf {
  std::vector<Message> messages;
  absl::Status error;
};
using Drained = DrainedOf<SyncMembersRequest>;

template <typename Message = SyncMembersRequest>
DrainedOf<Message> Drain(UploadSource& source) {
  DrainedOf<Message> out;
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
    Message m;
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
  ASSERT_THAT(d.error, IsOk());
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
    ASSERT_THAT(m, IsOk());
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
  ASSERT_THAT(d.error, IsOk());
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
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kInvalidArgument));
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
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_TRUE(source->body_failed());
}

TEST(UploadSourceTest, OverlongLineIsRefusedInsteadOfBuffered) {
  FakeBody body;
  for (int i = 0; i < 100; ++i) body.pieces.push_back(std::string(1000, ' '));
  UploadSource::Options o = SyncOptions(false);
  o.max_line_bytes = 4096;
  auto source = std::make_shared<UploadSource>(std::move(o), "", body.Reader());
  Drained d = Drain(*source);
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kInvalidArgument));
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
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(d.error.message(), HasSubstr("empty"));

  FakeBody no_rows;
  no_rows.pieces = {std::string("email\n")};
  auto header_only =
      std::make_shared<UploadSource>(SyncOptions(true), "", no_rows.Reader());
  Drained h = Drain(*header_only);
  ASSERT_THAT(h.error, IsOk());
  EXPECT_EQ(h.messages.size(), 1u);

  auto bad_column = std::make_shared<UploadSource>(
      SyncOptions(true), "email,shoe_size\nx,1\n", nullptr);
  EXPECT_THAT(Drain(*bad_column).error.message(), HasSubstr("shoe_size"));
}

TEST(CsvRecordTest, QuotesAndTrimming) {
  EXPECT_THAT(SplitCsvRecord(" a , \"b,\"\"c\"\" \",,d"),
              ElementsAre("a", "b,\"c\"", "", "d"));
}

using ttads::content::v1::UploadSoundRequest;

UploadSource::Options SoundOptions(size_t chunk, size_t max_bytes = 0) {
  UploadSource::Options o;
  o.message_type = UploadSoundRequest::descriptor();
  o.bindings = {{"connection_id", "conn-1"}};
  o.query = {{"file_name", "jingle.mp3"}};
  o.raw = FindRawField(o.message_type);
  o.raw_chunk_bytes = chunk;
  o.max_raw_bytes = max_bytes;
  return o;
}

using DrainedSound = DrainedOf<UploadSoundRequest>;

TEST(UploadSourceTest, FindRawFieldFindsTheBytesField) {
  const auto* field = FindRawField(UploadSoundRequest::descriptor());
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(field->name(), "data");
  EXPECT_EQ(FindRawField(SyncMembersRequest::descriptor()), nullptr);
}

TEST(UploadSourceTest, RawBodyIsSentInChunksWithThePathAndQueryOnEach) {
  // 10,000 bytes with newlines and NULs in pieces of odd sizes: chunks of
  // 4096, byte for byte, whatever the pieces.
  std::string file;
  for (int i = 0; i < 10000; ++i) file.push_back(static_cast<char>(i * 7));
  FakeBody body;
  for (size_t at = 1000; at < file.size(); at += 1700) {
    body.pieces.push_back(file.substr(at, 1700));
  }
  auto source = std::make_shared<UploadSource>(
      SoundOptions(4096), file.substr(0, 1000), body.Reader());
  DrainedSound d = Drain<UploadSoundRequest>(*source);
  ASSERT_THAT(d.error, IsOk());
  ASSERT_EQ(d.messages.size(), 3u);
  std::string joined;
  for (const auto& m : d.messages) {
    EXPECT_EQ(m.connection_id(), "conn-1");
    EXPECT_EQ(m.file_name(), "jingle.mp3");
    EXPECT_LE(m.data().size(), 4096u);
    joined += m.data();
  }
  EXPECT_EQ(d.messages[0].data().size(), 4096u);
  EXPECT_EQ(d.messages[1].data().size(), 4096u);
  EXPECT_EQ(joined, file);
  EXPECT_FALSE(source->body_failed());
}

TEST(UploadSourceTest, RawBodyIsPulledOnlyAsChunksAreTaken) {
  // 64 pieces of 1 KiB, chunks of 2 KiB: one message needs two reads; the
  // body is never read ahead of the messages asked for.
  FakeBody body;
  for (int i = 0; i < 64; ++i) body.pieces.push_back(std::string(1024, 'x'));
  auto source =
      std::make_shared<UploadSource>(SoundOptions(2048), "", body.Reader());
  std::optional<absl::StatusOr<std::optional<std::string>>> got;
  source->Next([&got](auto m) { got = std::move(m); });
  ASSERT_TRUE(got.has_value());
  ASSERT_THAT(*got, IsOk());
  EXPECT_EQ(body.reads, 2);
  EXPECT_EQ(body.pieces.size(), 62u);
}

TEST(UploadSourceTest, RawBodyOverTheLimitIsRefusedBeforeThePieceIsSent) {
  FakeBody body;
  body.pieces = {std::string(600, 'a'), std::string(600, 'b'),
                 std::string(600, 'c')};
  auto source = std::make_shared<UploadSource>(SoundOptions(500, 1000), "",
                                               body.Reader());
  DrainedSound d = Drain<UploadSoundRequest>(*source);
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(d.error.message(), HasSubstr("larger than 1000 bytes"));
  // Only the first piece's bytes went out; none of the 'b's.
  std::string sent;
  for (const auto& m : d.messages) sent += m.data();
  EXPECT_EQ(sent, std::string(500, 'a'));
  EXPECT_FALSE(source->body_failed());
  // The rest of the body is not read.
  EXPECT_EQ(body.pieces.size(), 1u);
}

TEST(UploadSourceTest, RawBodyAtTheLimitIsTaken) {
  FakeBody body;
  body.pieces = {std::string(600, 'a'), std::string(400, 'b')};
  auto source = std::make_shared<UploadSource>(SoundOptions(300, 1000), "",
                                               body.Reader());
  DrainedSound d = Drain<UploadSoundRequest>(*source);
  ASSERT_THAT(d.error, IsOk());
  size_t total = 0;
  for (const auto& m : d.messages) total += m.data().size();
  EXPECT_EQ(total, 1000u);
}

TEST(UploadSourceTest, EmptyRawBodyIsRefusedNamingTheBody) {
  FakeBody body;
  auto source =
      std::make_shared<UploadSource>(SoundOptions(4096), "", body.Reader());
  DrainedSound d = Drain<UploadSoundRequest>(*source);
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(d.error.message(), HasSubstr("empty"));
  EXPECT_TRUE(d.messages.empty());
}

TEST(UploadSourceTest, RawBodyReadErrorIsPassedOnAsABodyFailure) {
  FakeBody body;
  body.pieces = {std::string(100, 'a'),
                 absl::DeadlineExceededError("sent too slowly")};
  auto source =
      std::make_shared<UploadSource>(SoundOptions(4096), "", body.Reader());
  DrainedSound d = Drain<UploadSoundRequest>(*source);
  EXPECT_THAT(d.error, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(source->body_failed());
  EXPECT_TRUE(d.messages.empty());
}

}  // namespace
}  // namespace ttads::gateway
