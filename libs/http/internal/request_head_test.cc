#include "libs/http/internal/request_head.h"

#include <chrono>
#include <optional>
#include <string>

#include "boost/asio/error.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/string_body.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(RequestHeadTest, IsWhatTheHandlerSees) {
  bhttp::request_parser<bhttp::string_body> parser;
  beast::error_code ec;
  const std::string head =
      "POST /a%20b/c?x=1&x=2&y=%5B%5D HTTP/1.1\r\nHost: h\r\n"
      "X-Thing: yes\r\nx-thing: again\r\nContent-Length: 3\r\n\r\n";
  parser.put(boost::asio::buffer(head), ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(parser.is_header_done());

  HttpRequest req = RequestHead(parser.get(), "10.0.0.1:4242");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/a%20b/c?x=1&x=2&y=%5B%5D");
  EXPECT_EQ(req.path, "/a b/c");
  EXPECT_EQ(req.query.count("x"), 2u);
  EXPECT_EQ(req.QueryParam("y").value_or(""), "[]");
  EXPECT_THAT(
      req.headers.entries(),
      ElementsAre(Pair("Host", "h"), Pair("X-Thing", "yes"),
                  Pair("x-thing", "again"), Pair("Content-Length", "3")));
  EXPECT_EQ(req.body, "");
  EXPECT_EQ(req.body_reader, nullptr);
  EXPECT_EQ(req.remote_address, "10.0.0.1:4242");
}

bhttp::request_header<> Head(unsigned version) {
  bhttp::request_header<> h;
  h.method(bhttp::verb::post);
  h.target("/");
  h.version(version);
  return h;
}

TEST(RefusedHeadTest, OnlyHttp10And11AreServed) {
  EXPECT_EQ(RefusedHead(Head(10), false), "");
  EXPECT_EQ(RefusedHead(Head(11), false), "");
  EXPECT_THAT(RefusedHead(Head(20), false), HasSubstr("HTTP version"));
  EXPECT_THAT(RefusedHead(Head(9), false), HasSubstr("HTTP version"));
}

TEST(RefusedHeadTest, TransferEncodingMustBeExactlyChunked) {
  bhttp::request_header<> chunked = Head(11);
  chunked.set(bhttp::field::transfer_encoding, "chunked");
  EXPECT_EQ(RefusedHead(chunked, /*chunked=*/true), "");

  bhttp::request_header<> gzip = Head(11);
  gzip.set(bhttp::field::transfer_encoding, "gzip");
  EXPECT_THAT(RefusedHead(gzip, /*chunked=*/false),
              HasSubstr("Transfer-Encoding"));

  bhttp::request_header<> twice = Head(11);
  twice.insert(bhttp::field::transfer_encoding, "chunked");
  twice.insert(bhttp::field::transfer_encoding, "chunked");
  EXPECT_THAT(RefusedHead(twice, /*chunked=*/true),
              HasSubstr("Transfer-Encoding"));
}

TEST(WantsContinueTest, ExpectHundredContinueInAnyCase) {
  bhttp::request_header<> h = Head(11);
  EXPECT_FALSE(WantsContinue(h));
  h.set(bhttp::field::expect, "100-Continue");
  EXPECT_TRUE(WantsContinue(h));
  h.set(bhttp::field::expect, "200-ok");
  EXPECT_FALSE(WantsContinue(h));
}

HttpServer::Options Limits() {
  HttpServer::Options o;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 512;
  o.read_timeout = std::chrono::seconds(7);
  return o;
}

TEST(RejectionForTest, LimitsAndTimeout) {
  std::optional<Rejection> body =
      RejectionFor(bhttp::error::body_limit, Limits());
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->status, 413);
  EXPECT_EQ(body->code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(body->message, "the request body is over 1024 bytes");

  std::optional<Rejection> head =
      RejectionFor(bhttp::error::header_limit, Limits());
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 431);
  EXPECT_EQ(head->code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(head->message, "the request head is over 512 bytes");

  std::optional<Rejection> slow = RejectionFor(beast::error::timeout, Limits());
  ASSERT_TRUE(slow.has_value());
  EXPECT_EQ(slow->status, 408);
  EXPECT_EQ(slow->code, "DEADLINE_EXCEEDED");
  EXPECT_EQ(slow->message, "the request did not arrive within 7 s");
}

TEST(RejectionForTest, WhatTheParserRefusesIs400) {
  for (bhttp::error e :
       {bhttp::error::bad_method, bhttp::error::bad_version,
        bhttp::error::bad_field, bhttp::error::bad_content_length,
        bhttp::error::bad_chunk, bhttp::error::partial_message}) {
    std::optional<Rejection> r = RejectionFor(e, Limits());
    ASSERT_TRUE(r.has_value()) << static_cast<int>(e);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->code, "INVALID_ARGUMENT");
    EXPECT_THAT(r->message, HasSubstr("malformed HTTP request: "));
  }
}

TEST(RejectionForTest, AVanishedPeerGetsNoAnswer) {
  EXPECT_FALSE(RejectionFor(bhttp::error::end_of_stream, Limits()));
  EXPECT_FALSE(RejectionFor(boost::asio::error::connection_reset, Limits()));
  EXPECT_FALSE(RejectionFor(boost::asio::error::eof, Limits()));
}

}  // namespace
}  // namespace ttads::http::internal
