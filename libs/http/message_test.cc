#include "libs/http/message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(HeadersTest, LookupIsCaseInsensitive) {
  Headers h;
  h.Add("Access-Token", "abc");
  EXPECT_EQ(h.Get("access-token").value_or(""), "abc");
  EXPECT_EQ(h.Get("ACCESS-TOKEN").value_or(""), "abc");
  EXPECT_FALSE(h.Get("Authorization").has_value());
  EXPECT_TRUE(h.Has("access-TOKEN"));
  EXPECT_FALSE(h.Has("Access-Token2"));
}

TEST(HeadersTest, KeepsArrivalOrderAndDuplicatesAndGetsTheFirst) {
  Headers h;
  h.Add("Set-Cookie", "a=1");
  h.Add("X-Other", "x");
  h.Add("set-cookie", "b=2");
  EXPECT_THAT(h.entries(),
              ElementsAre(Pair("Set-Cookie", "a=1"), Pair("X-Other", "x"),
                          Pair("set-cookie", "b=2")));
  EXPECT_EQ(h.Get("SET-COOKIE").value_or(""), "a=1");
}

TEST(HttpRequestTest, QueryParamIsTheFirstValue) {
  HttpRequest req;
  req.query = ParseQuery("x=1&x=2&empty=");
  EXPECT_EQ(req.QueryParam("x").value_or("-"), "1");
  EXPECT_EQ(req.QueryParam("empty").value_or("-"), "");
  EXPECT_FALSE(req.QueryParam("y").has_value());
}

TEST(HttpResponseTest, JsonAndTextSetTheContentType) {
  HttpResponse json = HttpResponse::Json(201, R"({"a":1})");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.Get("content-type").value_or(""), "application/json");
  EXPECT_EQ(json.body, R"({"a":1})");
  HttpResponse text = HttpResponse::Text(404, "no");
  EXPECT_EQ(text.status, 404);
  EXPECT_EQ(text.headers.Get("content-type").value_or(""),
            "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, "no");
}

TEST(HttpResponseTest, JsonErrorHasTheGatewayShape) {
  HttpResponse r = HttpResponse::JsonError(413, "RESOURCE_EXHAUSTED", "big");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(r.body,
            R"({"error":"big","code":"RESOURCE_EXHAUSTED","details":[]})");
}

TEST(HttpResponseTest, JsonErrorEscapesQuotesAndDropsNonAscii) {
  HttpResponse r = HttpResponse::JsonError(
      400, "INVALID_ARGUMENT", "say \"hi\" \\ \x01\n caf\xc3\xa9\x7f");
  EXPECT_EQ(r.body,
            R"({"error":"say \"hi\" \\ ?? caf???","code":"INVALID_ARGUMENT",)"
            R"("details":[]})");
}

}  // namespace
}  // namespace ttads::http
