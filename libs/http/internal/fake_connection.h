#ifndef TTADS_LIBS_HTTP_INTERNAL_FAKE_CONNECTION_H_
#define TTADS_LIBS_HTTP_INTERNAL_FAKE_CONNECTION_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/http/internal/connection.h"

namespace ttads::http::internal {

// A Connection (connection.h) for tests: records every call as one line,
// e.g. "send 7 200 body", "close 7", "start 7 200", "chunk 7 data",
// "finish 7", "read 7"; ReadBody answers with the next of `pieces` (or ""
// once they are used up). Thread-safe.
class FakeConnection : public Connection {
 public:
  void Send(uint64_t id, HttpResponse response) override {
    Record(absl::StrCat("send ", id, " ", response.status, " ", response.body));
  }
  void Close(uint64_t id) override { Record(absl::StrCat("close ", id)); }
  void StartChunked(uint64_t id, int status, Headers) override {
    if (on_start_chunked) on_start_chunked();
    Record(absl::StrCat("start ", id, " ", status));
  }
  void WriteChunk(uint64_t id, std::string data) override {
    Record(absl::StrCat("chunk ", id, " ", data));
  }
  void FinishChunked(uint64_t id) override {
    Record(absl::StrCat("finish ", id));
  }
  void ReadBody(uint64_t id, ReadDone done) override {
    std::string piece;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back(absl::StrCat("read ", id));
      if (next_piece_ < pieces.size()) piece = pieces[next_piece_++];
    }
    done(piece);
  }

  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  std::vector<std::string> pieces;
  // Runs in StartChunked before the call is recorded.
  std::function<void()> on_start_chunked;

 private:
  void Record(std::string call) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
  }

  mutable std::mutex mu_;
  std::vector<std::string> calls_;
  size_t next_piece_ = 0;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_FAKE_CONNECTION_H_
