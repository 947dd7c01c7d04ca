#include "libs/http/internal/response_format.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::http::internal {
namespace {

TEST(StatusLineTest, HasTheReasonPhrase) {
  EXPECT_EQ(StatusLine(200), "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(StatusLine(404), "HTTP/1.1 404 Not Found\r\n");
  EXPECT_EQ(StatusLine(431),
            "HTTP/1.1 431 Request Header Fields Too Large\r\n");
  EXPECT_EQ(StatusLine(299), "HTTP/1.1 299 <unknown-status>\r\n");
}

TEST(IsManagedHeaderTest, TheServerOwnsFramingHeaders) {
  EXPECT_TRUE(IsManagedHeader("Content-Length"));
  EXPECT_TRUE(IsManagedHeader("transfer-encoding"));
  EXPECT_TRUE(IsManagedHeader("CONNECTION"));
  EXPECT_FALSE(IsManagedHeader("Content-Type"));
  EXPECT_FALSE(IsManagedHeader("Connection-Extra"));
}

HttpResponse WithHeaders() {
  HttpResponse r = HttpResponse::Text(201, "hello");
  r.headers.Add("X-Id", "7");
  r.headers.Add("Content-Length", "999");  // Dropped: the server counts.
  r.headers.Add("connection", "upgrade");  // Dropped.
  return r;
}

TEST(FormatResponseTest, KeepAlive) {
  EXPECT_EQ(FormatResponse(WithHeaders(), /*keep_alive=*/true,
                           /*head_request=*/false),
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "X-Id: 7\r\n"
            "Content-Length: 5\r\n"
            "\r\n"
            "hello");
}

TEST(FormatResponseTest, CloseSaysSo) {
  EXPECT_EQ(FormatResponse(HttpResponse::Text(200, "x"), /*keep_alive=*/false,
                           /*head_request=*/false),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 1\r\n"
            "Connection: close\r\n"
            "\r\n"
            "x");
}

TEST(FormatResponseTest, HeadHasTheLengthButNoBody) {
  EXPECT_EQ(FormatResponse(HttpResponse::Text(200, "abc"),
                           /*keep_alive=*/true, /*head_request=*/true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 3\r\n"
            "\r\n");
}

TEST(FormatChunkedTest, HeadChunksAndEnd) {
  Headers h;
  h.Add("Content-Type", "application/x-ndjson");
  h.Add("Transfer-Encoding", "gzip");  // Dropped.
  EXPECT_EQ(FormatChunkedHead(200, h, /*keep_alive=*/true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/x-ndjson\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
  EXPECT_EQ(FormatChunkedHead(500, {}, /*keep_alive=*/false),
            "HTTP/1.1 500 Internal Server Error\r\n"
            "Transfer-Encoding: chunked\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_EQ(FormatChunk("abc"), "3\r\nabc\r\n");
  EXPECT_EQ(FormatChunk(std::string(70000, 'z')),
            "11170\r\n" + std::string(70000, 'z') + "\r\n");
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
  EXPECT_EQ(kContinue, "HTTP/1.1 100 Continue\r\n\r\n");
}

}  // namespace
}  // namespace ttads::http::internal
