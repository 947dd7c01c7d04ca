#ifndef TTADS_LIBS_HTTP_INTERNAL_EXCHANGE_H_
#define TTADS_LIBS_HTTP_INTERNAL_EXCHANGE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "libs/http/internal/connection.h"
#include "libs/http/message.h"

namespace ttads::http::internal {

// One request/response pair: what every copy of its HttpResponder shares.
// It decides which outcome wins and tells the connection; the connection
// (connection.h) does the I/O.
//
// Guarantees:
// - Exactly one outcome: the first Send(), Close() or StartChunked() wins
//   and returns true; any later one returns false and reaches nothing.
//   After StartChunked(), WriteChunk() calls pass on (in call order, from
//   any threads) until FinishChunked() or Close(); after those, nothing.
// - Destroyed without an outcome (every responder copy dropped), it sends
//   a 500 {"code": "INTERNAL"}; destroyed with a chunked answer still open,
//   it closes the connection (the client must not take a cut stream for a
//   whole one).
// - Keeps its connection alive until destroyed.
// Thread-safe.
class Exchange {
 public:
  Exchange(std::shared_ptr<Connection> connection, uint64_t id)
      : connection_(std::move(connection)), id_(id) {}
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  bool Send(HttpResponse response);
  bool Close();
  bool StartChunked(int status, Headers headers);
  bool WriteChunk(std::string data);
  bool FinishChunked();

 private:
  enum class Outcome { kNone, kChunked, kDone };

  // Moves the outcome from `from` to `to`; false when it was not `from`.
  bool Claim(Outcome from, Outcome to);

  std::mutex mu_;
  Outcome outcome_ = Outcome::kNone;
  const std::shared_ptr<Connection> connection_;
  const uint64_t id_;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_EXCHANGE_H_
