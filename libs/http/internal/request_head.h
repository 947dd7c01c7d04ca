#ifndef TTADS_LIBS_HTTP_INTERNAL_REQUEST_HEAD_H_
#define TTADS_LIBS_HTTP_INTERNAL_REQUEST_HEAD_H_

// What the server makes of a request head Beast has parsed, and of a request
// it could not read: pure functions, no I/O, so the rules can be tested on
// their own.

#include <optional>
#include <string>

#include "boost/beast/core/error.hpp"
#include "boost/beast/http/message.hpp"
#include "libs/http/message.h"
#include "libs/http/server.h"

namespace ttads::http::internal {

// The handler's view of `head`: method, raw target, percent-decoded path,
// decoded query, the header fields in arrival order, and `remote_address`.
// No body.
HttpRequest RequestHead(const boost::beast::http::request_header<>& head,
                        std::string remote_address);

// Why RFC 9112 refuses a head that Beast's parser accepted, or "" when it
// is fine: an HTTP version other than 1.0 and 1.1, or a Transfer-Encoding
// that is not exactly "chunked" (a request without a knowable length,
// section 6.3). `chunked` is what the parser made of Transfer-Encoding.
std::string RefusedHead(const boost::beast::http::request_header<>& head,
                        bool chunked);

// Whether the head carries "Expect: 100-continue" (any case).
bool WantsContinue(const boost::beast::http::request_header<>& head);

// The server's own answer to a request that failed to arrive.
struct Rejection {
  int status;
  std::string code;  // The gateway's error code, e.g. "INVALID_ARGUMENT".
  std::string message;
};

// The answer to a request whose reading failed with `ec` (RFC 9112 section
// 2.2, 6.3: after a refused request the framing is unknown, so the
// connection closes after the answer): 413 for a body over
// options.max_body_bytes, 431 for a head over options.max_header_bytes, 408
// for a timeout (beast::error::timeout), 400 for anything else Beast's
// parser refuses. nullopt for a connection error or a client gone before
// its first byte (end_of_stream): close without an answer.
std::optional<Rejection> RejectionFor(boost::beast::error_code ec,
                                      const HttpServer::Options& options);

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_REQUEST_HEAD_H_
