#ifndef TTADS_LIBS_HTTP_INTERNAL_RESPONSE_FORMAT_H_
#define TTADS_LIBS_HTTP_INTERNAL_RESPONSE_FORMAT_H_

// The bytes of an HTTP/1.1 answer, as the server writes them. Pure
// functions: the connection decides keep-alive and HEAD, these only format.

#include <string>
#include <string_view>

#include "libs/http/message.h"

namespace ttads::http::internal {

// "HTTP/1.1 100 Continue\r\n\r\n": the interim answer to
// "Expect: 100-continue".
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// The terminating chunk of a chunked body (no trailers).
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// "HTTP/1.1 <status> <reason>\r\n" with Beast's reason phrase
// ("<unknown-status>" for an unregistered code).
std::string StatusLine(int status);

// Whether the server writes `name` itself (Content-Length,
// Transfer-Encoding, Connection; any case): such headers of a handler's
// response are dropped.
bool IsManagedHeader(std::string_view name);

// A complete response: status line, the response's own headers (managed
// ones dropped), "Content-Length: <body size>", "Connection: close" unless
// `keep_alive`, the blank line, and the body unless `head_request` (the
// answer to HEAD has the length of the body it does not carry).
std::string FormatResponse(const HttpResponse& response, bool keep_alive,
                           bool head_request);

// The head of a chunked response: status line, `headers` (managed ones
// dropped), "Transfer-Encoding: chunked", "Connection: close" unless
// `keep_alive`, the blank line.
std::string FormatChunkedHead(int status, const Headers& headers,
                              bool keep_alive);

// One chunk: hex size, CRLF, `data`, CRLF. `data` must not be empty (an
// empty chunk is the terminating one, kLastChunk).
std::string FormatChunk(std::string_view data);

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_RESPONSE_FORMAT_H_
