#include "libs/http/internal/exchange.h"

#include <utility>

namespace ttads::http::internal {

Exchange::~Exchange() {
  Outcome o;
  {
    std::lock_guard<std::mutex> lock(mu_);
    o = outcome_;
  }
  if (o == Outcome::kNone) {
    connection_->Send(
        id_, HttpResponse::JsonError(500, "INTERNAL",
                                     "the handler dropped the request"));
  } else if (o == Outcome::kChunked) {
    connection_->Close(id_);
  }
}

bool Exchange::Send(HttpResponse response) {
  if (!Claim(Outcome::kNone, Outcome::kDone)) return false;
  connection_->Send(id_, std::move(response));
  return true;
}

bool Exchange::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome_ == Outcome::kDone) return false;
  outcome_ = Outcome::kDone;
  connection_->Close(id_);
  return true;
}

bool Exchange::StartChunked(int status, Headers headers) {
  // Under the lock, like WriteChunk: a chunk written from another thread
  // as soon as this returns cannot overtake the head.
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome_ != Outcome::kNone) return false;
  outcome_ = Outcome::kChunked;
  connection_->StartChunked(id_, status, std::move(headers));
  return true;
}

bool Exchange::WriteChunk(std::string data) {
  // Holding the lock while handing over keeps chunks in call order.
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome_ != Outcome::kChunked) return false;
  connection_->WriteChunk(id_, std::move(data));
  return true;
}

bool Exchange::FinishChunked() {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome_ != Outcome::kChunked) return false;
  outcome_ = Outcome::kDone;
  connection_->FinishChunked(id_);
  return true;
}

bool Exchange::Claim(Outcome from, Outcome to) {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome_ != from) return false;
  outcome_ = to;
  return true;
}

}  // namespace ttads::http::internal
