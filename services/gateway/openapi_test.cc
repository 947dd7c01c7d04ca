// The OpenAPI document (openapi.h) carries the protos' comments, from the
// descriptor set linked into the binary (openapi_comments.h).
#include "services/gateway/openapi.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/gateway/openapi_comments.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

json Document() {
  auto routes = RouteTable::FromLinkedServices("ttads.");
  EXPECT_THAT(routes, IsOk());
  return BuildOpenApi(*routes);
}

// The operation bound to `verb` `path`.
const json& Operation(const json& doc, const std::string& path,
                      const std::string& verb) {
  return doc.at("paths").at(path).at(verb);
}

TEST(OpenApiCommentsTest, MethodCommentIsTheOperationsDescription) {
  json doc = Document();
  const json& op = Operation(doc, "/api/v1/tiktok/publish-check", "get");
  // preflight_service.proto, PublishCheck's comment.
  EXPECT_EQ(op.at("summary"), "Checks one objective");
  const std::string description = op.at("description");
  EXPECT_THAT(description,
              StartsWith("Checks one objective. Missing prerequisites and "
                         "upstream failures are\nreported in the response"));
  EXPECT_THAT(description,
              HasSubstr("\n\ngRPC /ttads.preflight.v1.PreflightService/"
                        "PublishCheck."));
}

TEST(OpenApiCommentsTest, FieldCommentDescribesPropertyAndQueryParameter) {
  json doc = Document();
  const json& schema = doc.at("components")
                           .at("schemas")
                           .at("ttads.preflight.v1.PublishCheckResponse");
  EXPECT_EQ(schema.at("properties").at("ready").at("description"),
            "True when nothing required is missing.");
  const json& op = Operation(doc, "/api/v1/tiktok/publish-check", "get");
  bool found = false;
  for (const json& param : op.at("parameters")) {
    if (param.value("name", "") == "objective") {
      found = true;
      EXPECT_THAT(param.value("description", ""),
                  StartsWith("TikTok objective type, e.g. TRAFFIC"));
    }
  }
  EXPECT_TRUE(found) << op.at("parameters").dump();
}

TEST(OpenApiCommentsTest, ServiceCommentDescribesItsTag) {
  json doc = Document();
  bool found = false;
  for (const json& tag : doc.at("tags")) {
    if (tag.at("name") == "ttads.preflight.v1.PreflightService") {
      found = true;
      EXPECT_THAT(tag.value("description", ""),
                  StartsWith("PreflightService answers \"can a campaign"));
    }
  }
  EXPECT_TRUE(found);
}

TEST(OpenApiCommentsTest, WithoutCommentsTheTextIsGeneric) {
  auto routes = RouteTable::FromLinkedServices("ttads.");
  ASSERT_THAT(routes, IsOk());
  json doc = BuildOpenApi(*routes, ProtoComments());
  const json& op = Operation(doc, "/api/v1/tiktok/publish-check", "get");
  EXPECT_EQ(op.at("summary"), "Publish check");
  EXPECT_EQ(op.at("description"),
            "gRPC /ttads.preflight.v1.PreflightService/PublishCheck.");
  EXPECT_FALSE(doc.at("components")
                   .at("schemas")
                   .at("ttads.preflight.v1.PublishCheckResponse")
                   .at("properties")
                   .at("ready")
                   .contains("description"));
}

// A set of one file, with comments in `source_code_info` as protoc writes
// them (paths: 4 = message_type, 2 = field; 6 = service, 2 = method).
std::string OneFileSet() {
  google::protobuf::FileDescriptorSet set;
  auto* file = set.add_file();
  file->set_name("x/v1/x.proto");
  file->set_package("x.v1");
  file->set_syntax("proto3");
  auto* msg = file->add_message_type();
  msg->set_name("Thing");
  auto* field = msg->add_field();
  field->set_name("id");
  field->set_number(1);
  field->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
  field->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  auto* service = file->add_service();
  service->set_name("ThingService");
  auto* method = service->add_method();
  method->set_name("GetThing");
  method->set_input_type(".x.v1.Thing");
  method->set_output_type(".x.v1.Thing");
  auto* info = file->mutable_source_code_info();
  auto add = [&](std::initializer_list<int> path, const std::string& leading,
                 const std::string& trailing) {
    auto* loc = info->add_location();
    for (int p : path) loc->add_path(p);
    loc->add_span(0);
    loc->add_span(0);
    loc->add_span(1);
    if (!leading.empty()) loc->set_leading_comments(leading);
    if (!trailing.empty()) loc->set_trailing_comments(trailing);
  };
  add({4, 0}, " A thing.\n", "");
  add({4, 0, 2, 0}, "", " Its id, e.g. `t-1`.\n");
  add({6, 0, 2, 0},
      " Gets a thing, i.e. one\n of them. More.\n buf:lint:ignore "
      "RPC_RESPONSE_STANDARD_NAME\n\n Errors: NOT_FOUND.\n",
      "");
  return set.SerializeAsString();
}

TEST(ProtoCommentsTest, ReadsLeadingOrTrailingCommentsWithoutLintLines) {
  auto comments = ProtoComments::FromSet(OneFileSet());
  ASSERT_THAT(comments, IsOk());
  EXPECT_EQ(comments->Of("x.v1.Thing"), "A thing.");
  EXPECT_EQ(comments->Of("x.v1.Thing.id"), "Its id, e.g. `t-1`.");
  EXPECT_EQ(comments->Of("x.v1.ThingService.GetThing"),
            "Gets a thing, i.e. one\nof them. More.\n\nErrors: NOT_FOUND.");
  EXPECT_EQ(comments->Of("x.v1.ThingService"), "");
  EXPECT_EQ(comments->Of("x.v1.Unknown"), "");
}

TEST(ProtoCommentsTest, SummaryIsTheFirstShortSentence) {
  auto comments = ProtoComments::FromSet(OneFileSet());
  ASSERT_THAT(comments, IsOk());
  EXPECT_EQ(comments->Summary("x.v1.ThingService.GetThing"),
            "Gets a thing, i.e. one of them");
  EXPECT_EQ(comments->Summary("x.v1.Thing"), "A thing");
  // Too long for a summary.
  EXPECT_EQ(comments->Summary("x.v1.ThingService.GetThing", 10), "");
  EXPECT_EQ(comments->Summary("x.v1.Unknown"), "");
}

TEST(ProtoCommentsTest, RefusesWhatDoesNotParse) {
  EXPECT_THAT(ProtoComments::FromSet("not a descriptor set"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The Ad's creation lists are typed arrays, and INPUT_ONLY fields are
// writeOnly (answers never carry them, AIP-203); other fields are not.
TEST(OpenApiTest, AdListsAreTypedAndInputOnlyIsWriteOnly) {
  json doc = Document();
  const json& props =
      doc.at("components").at("schemas").at("ttads.ads.v1.Ad").at("properties");
  const json& urls = props.at("imageUrls");
  EXPECT_EQ(urls.at("type"), "array");
  EXPECT_EQ(urls.at("items"), json({{"type", "string"}}));
  EXPECT_EQ(urls.at("writeOnly"), true);
  const json& texts = props.at("disclaimerClickableTexts");
  EXPECT_EQ(texts.at("type"), "array");
  EXPECT_EQ(texts.at("items").at("$ref"),
            "#/components/schemas/ttads.ads.v1.DisclaimerClickableText");
  EXPECT_EQ(texts.at("writeOnly"), true);
  EXPECT_EQ(props.at("videoUrl").at("writeOnly"), true);
  EXPECT_FALSE(props.at("imageIds").contains("writeOnly"));
  EXPECT_FALSE(props.at("adText").contains("writeOnly"));
}

}  // namespace
}  // namespace ttads::gateway
