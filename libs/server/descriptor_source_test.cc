#include "libs/server/descriptor_source.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "ttads/descriptor_set.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::server {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptorProto;
using google::protobuf::SourceLocation;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kPreflightFile[] = "ttads/preflight/v1/preflight_service.proto";

// The files of one answer, as a client rebuilds them.
class Answer {
 public:
  explicit Answer(const std::vector<std::string>& files) {
    for (const std::string& bytes : files) {
      FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      names_.push_back(file.name());
      EXPECT_TRUE(db_.Add(file)) << file.name();
    }
  }
  const std::vector<std::string>& names() const { return names_; }
  const DescriptorPool& pool() const { return pool_; }

 private:
  std::vector<std::string> names_;
  google::protobuf::SimpleDescriptorDatabase db_;
  DescriptorPool pool_{&db_};
};

template <typename T>
std::string Comment(const T* d) {
  SourceLocation location;
  if (d == nullptr || !d->GetSourceLocation(&location)) return "";
  return location.leading_comments;
}

std::unique_ptr<DescriptorSource> Suite() {
  const std::string_view set = proto::DescriptorSetWithSourceInfo();
  auto source =
      DescriptorSource::FromSet(absl::string_view(set.data(), set.size()));
  EXPECT_THAT(source, IsOk());
  return source.ok() ? *std::move(source) : nullptr;
}

TEST(DescriptorSourceTest, ServiceMethodAndFieldCarryTheirComments) {
  auto source = Suite();
  ASSERT_NE(source, nullptr);
  auto files =
      source->FileContainingSymbol("ttads.preflight.v1.PreflightService");
  ASSERT_THAT(files, IsOk());
  Answer answer(*files);
  ASSERT_FALSE(answer.names().empty());
  EXPECT_EQ(answer.names().front(), kPreflightFile);

  const auto* service =
      answer.pool().FindServiceByName("ttads.preflight.v1.PreflightService");
  ASSERT_NE(service, nullptr);
  EXPECT_THAT(Comment(service),
              HasSubstr("can a campaign with this objective"));
  EXPECT_THAT(Comment(service->FindMethodByName("PublishCheck")),
              HasSubstr("Checks one objective."));
  const auto* request = answer.pool().FindMessageTypeByName(
      "ttads.preflight.v1.PublishCheckRequest");
  ASSERT_NE(request, nullptr);
  EXPECT_THAT(Comment(request->FindFieldByName("objective")),
              HasSubstr("TikTok objective type"));
}

TEST(DescriptorSourceTest, AnswersEachTransitiveImportOnce) {
  auto source = Suite();
  ASSERT_NE(source, nullptr);
  auto files = source->FileContainingSymbol(
      "ttads.preflight.v1.PreflightService.PublishCheck");
  ASSERT_THAT(files, IsOk());
  Answer answer(*files);
  EXPECT_EQ(answer.names().front(), kPreflightFile);
  // Direct and indirect imports (annotations.proto imports http.proto and
  // descriptor.proto).
  for (const char* name :
       {"google/api/annotations.proto", "google/api/http.proto",
        "google/protobuf/descriptor.proto", "ttads/common/v1/common.proto"}) {
    EXPECT_THAT(answer.names(), Contains(name));
  }
  std::set<std::string> unique(answer.names().begin(), answer.names().end());
  EXPECT_EQ(unique.size(), answer.names().size());
}

TEST(DescriptorSourceTest, FindsFieldsEnumValuesAndFilesByName) {
  auto source = Suite();
  ASSERT_NE(source, nullptr);
  auto field = source->FileContainingSymbol(
      "ttads.preflight.v1.PublishCheckRequest.objective");
  ASSERT_THAT(field, IsOk());
  EXPECT_EQ(Answer(*field).names().front(), kPreflightFile);
  auto by_name = source->FileByName(kPreflightFile);
  ASSERT_THAT(by_name, IsOk());
  EXPECT_EQ(Answer(*by_name).names().front(), kPreflightFile);
  auto health = source->FileContainingSymbol("grpc.health.v1.Health");
  ASSERT_THAT(health, IsOk());
  EXPECT_EQ(Answer(*health).names().front(), "grpc/health/v1/health.proto");
  auto v1 = source->FileContainingSymbol("grpc.reflection.v1.ServerReflection");
  ASSERT_THAT(v1, IsOk());
}

TEST(DescriptorSourceTest, UnknownNamesAreNotFound) {
  auto source = Suite();
  ASSERT_NE(source, nullptr);
  EXPECT_THAT(source->FileContainingSymbol("ttads.nope.v1.Nothing"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(source->FileByName("ttads/nope.proto"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      source->FileContainingExtension("google.protobuf.MethodOptions", 1),
      StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(source->ExtensionNumbers("ttads.nope.v1.Nothing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(DescriptorSourceTest, ExtensionsOfAType) {
  auto source = Suite();
  ASSERT_NE(source, nullptr);
  // google.api.http is extension 72295728 of MethodOptions.
  auto numbers = source->ExtensionNumbers("google.protobuf.MethodOptions");
  ASSERT_THAT(numbers, IsOk());
  EXPECT_THAT(*numbers, Contains(72295728));
  auto file = source->FileContainingExtension("google.protobuf.MethodOptions",
                                              72295728);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(Answer(*file).names().front(), "google/api/annotations.proto");
}

TEST(DescriptorSourceTest, FallsBackToTheGeneratedPoolWithoutComments) {
  // Linked: its descriptors are in the generated pool.
  (void)preflight::v1::PublishCheckRequest::descriptor();
  auto empty = DescriptorSource::FromSet("");
  ASSERT_THAT(empty, IsOk());
  auto files =
      (*empty)->FileContainingSymbol("ttads.preflight.v1.PreflightService");
  ASSERT_THAT(files, IsOk());
  Answer answer(*files);
  EXPECT_EQ(answer.names().front(), kPreflightFile);
  const auto* service =
      answer.pool().FindServiceByName("ttads.preflight.v1.PreflightService");
  ASSERT_NE(service, nullptr);
  EXPECT_THAT(Comment(service), IsEmpty());
}

TEST(DescriptorSourceTest, RejectsASetThatDoesNotLoad) {
  EXPECT_THAT(DescriptorSource::FromSet("\xff\xff not a set"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A file whose import is missing from the set does not build.
  google::protobuf::FileDescriptorSet set;
  FileDescriptorProto* file = set.add_file();
  file->set_name("a.proto");
  file->add_dependency("missing.proto");
  EXPECT_THAT(DescriptorSource::FromSet(set.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::server
