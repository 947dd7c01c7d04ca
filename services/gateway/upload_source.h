#ifndef TTADS_SERVICES_GATEWAY_UPLOAD_SOURCE_H_
#define TTADS_SERVICES_GATEWAY_UPLOAD_SOURCE_H_

// Turns an upload body (NDJSON, CSV or raw bytes) into the request messages
// of a client-streaming RPC, one message at a time, while the body is still
// arriving.
//
// - NDJSON: one JSON request message per line; blank lines are skipped.
// - CSV: the first row names the identifier types (enum value names of the
//   CSV shape's type field, any case, e.g. `email,phone`); each following
//   row holds one identifier per column (empty cells skipped). Every message
//   carries up to `batch_rows` rows, one batch per column.
// - Raw (e.g. an `audio/mpeg` file): the body's bytes, in order, split into
//   pieces of at most `raw_chunk_bytes`, each in the `bytes` field found by
//   FindRawField of one message. What the bytes are is not looked at here
//   (the backend decides the format by content). A body over
//   `max_raw_bytes` is refused (RESOURCE_EXHAUSTED with a violation on
//   `body`) as soon as the piece that crosses the limit arrives, before any
//   of that piece is sent; an empty body is INVALID_ARGUMENT on `body`.
// - Every message also gets the route's path bindings, the query parameters
//   and, when given, the request id (Idempotency-Key).
// - Memory stays bounded: bytes are pulled from the body only when a message
//   is asked for and no complete line (NDJSON), batch (CSV) or chunk (raw)
//   is buffered; a line longer than `max_line_bytes` is an error instead of
//   a growing buffer. Raw: at most one chunk plus one piece is held.
// - Errors name the line: INVALID_ARGUMENT with field violations for bad JSON,
//   unknown CSV columns, too many cells, an empty upload; the body reader's
//   own error (too large, too slow, connection gone) is passed on unchanged
//   and `body_failed()` says so.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "libs/http/query.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/path_template.h"

namespace ttads::gateway {

// The message field CSV rows go into: a repeated message field whose element
// has an enum (the column's identifier type) and a repeated string (values).
struct CsvShape {
  const google::protobuf::FieldDescriptor* batches = nullptr;
  const google::protobuf::FieldDescriptor* type = nullptr;
  const google::protobuf::FieldDescriptor* values = nullptr;
};

// The first field of `message_type` with the CSV shape, if any.
std::optional<CsvShape> FindCsvShape(
    const google::protobuf::Descriptor* message_type);

// The first singular `bytes` field of `message_type`: where a raw body's
// pieces go. Null when there is none (the route takes no raw body).
const google::protobuf::FieldDescriptor* FindRawField(
    const google::protobuf::Descriptor* message_type);

// RESOURCE_EXHAUSTED with a violation on `body`: a raw body over `max_bytes`
// (the HTTP answer is 413).
absl::Status RawBodyTooLarge(size_t max_bytes);

// One CSV record (RFC 4180 quoting), without the line break; cells trimmed.
std::vector<std::string> SplitCsvRecord(absl::string_view line);

class UploadSource : public std::enable_shared_from_this<UploadSource> {
 public:
  // Delivers the next piece of the body, "" at its end, or an error
  // (http::BodyReader::Read has this shape).
  using ReadMore = std::function<void(
      std::function<void(absl::StatusOr<std::string> piece)>)>;

  struct Options {
    const google::protobuf::Descriptor* message_type = nullptr;
    PathTemplate::Bindings bindings;
    http::QueryParams query;
    std::optional<std::string> request_id;
    // CSV when set (from FindCsvShape); else raw when `raw` is set (from
    // FindRawField); else NDJSON.
    std::optional<CsvShape> csv;
    const google::protobuf::FieldDescriptor* raw = nullptr;
    int batch_rows = 1000;
    size_t max_line_bytes = 1 << 20;
    // Raw: bytes per message, and the largest body taken (0: no limit).
    size_t raw_chunk_bytes = 256 * 1024;
    size_t max_raw_bytes = 0;
  };

  // `initial` is what of the body is already here; `read_more` fetches the
  // rest (null when `initial` is the whole body).
  UploadSource(Options options, std::string initial, ReadMore read_more);

  // BackendPool::NextMessage: calls `ready` once with the next serialized
  // message, nullopt at the end, or an error. One call at a time.
  void Next(BackendPool::MessageReady ready);

  // True once an error came from reading the body rather than its content.
  bool body_failed() const { return body_failed_; }

 private:
  // nullopt: more bytes are needed first.
  using Step = std::optional<absl::StatusOr<std::optional<std::string>>>;

  Step NextNdjson();
  Step NextCsv();
  Step NextRaw();
  // The next non-blank complete line, or nullopt when none is buffered (see
  // exhausted() for the end of the body).
  std::optional<absl::string_view> NextLine();
  bool exhausted() const { return eof_ && pos_ >= buffer_.size(); }
  // Whether enough complete lines are buffered for the next message.
  bool HasEnoughLines() const;
  // Appends a piece of the body; a raw body over its limit is an error.
  absl::Status Append(absl::string_view piece);
  absl::Status Decorate(google::protobuf::Message* message);
  absl::Status AtLine(const absl::Status& status) const;

  Options options_;
  ReadMore read_more_;
  std::string buffer_;
  size_t pos_ = 0;             // First unconsumed byte of buffer_.
  size_t newlines_ahead_ = 0;  // '\n' in buffer_ at or after pos_.
  bool eof_ = false;
  bool body_failed_ = false;
  absl::Status refused_;  // A raw body over its limit.
  int line_no_ = 0;
  int sent_ = 0;
  size_t received_ = 0;       // Body bytes so far.
  std::vector<int> columns_;  // CSV header: enum numbers.
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_UPLOAD_SOURCE_H_
