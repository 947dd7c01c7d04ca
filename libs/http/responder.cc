#include "libs/http/responder.h"

#include <utility>

#include "absl/status/status.h"
#include "libs/http/internal/connection.h"
#include "libs/http/internal/exchange.h"

namespace ttads::http {

void BodyReader::Read(ReadDone done) {
  std::shared_ptr<internal::Connection> connection = connection_.lock();
  if (connection == nullptr) {
    done(absl::UnavailableError("the connection is closed"));
    return;
  }
  connection->ReadBody(exchange_id_, std::move(done));
}

HttpResponder::HttpResponder(std::shared_ptr<internal::Exchange> exchange)
    : exchange_(std::move(exchange)) {}

bool HttpResponder::Send(HttpResponse response) {
  return exchange_->Send(std::move(response));
}

bool HttpResponder::Close() { return exchange_->Close(); }

bool HttpResponder::StartChunked(int status, Headers headers) {
  return exchange_->StartChunked(status, std::move(headers));
}

bool HttpResponder::WriteChunk(std::string data) {
  return exchange_->WriteChunk(std::move(data));
}

bool HttpResponder::FinishChunked() { return exchange_->FinishChunked(); }

}  // namespace ttads::http
