// Server reflection as a client sees it: a ServerRunner serving a contract
// service answers both grpc.reflection.v1 and v1alpha, and the files it
// sends carry the comments of the service, its methods and their fields.
#include "libs/server/reflection_service.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/server/server_runner.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::server {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::IsOk;

namespace v1 = grpc::reflection::v1;
namespace v1alpha = grpc::reflection::v1alpha;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptorProto;
using google::protobuf::SourceLocation;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kService[] = "ttads.preflight.v1.PreflightService";

template <typename T>
std::string Comment(const T* d) {
  SourceLocation location;
  if (d == nullptr || !d->GetSourceLocation(&location)) return "";
  return location.leading_comments;
}

// One request and its answer on a fresh reflection stream of either version;
// the v1alpha answer is read back as v1 (same fields) for the checks.
template <typename Stub, typename Req, typename Resp>
v1::ServerReflectionResponse Ask(Stub& stub,
                                 const v1::ServerReflectionRequest& request) {
  grpc::ClientContext ctx;
  auto stream = stub.ServerReflectionInfo(&ctx);
  Req req;
  EXPECT_TRUE(req.ParseFromString(request.SerializeAsString()));
  EXPECT_TRUE(stream->Write(req));
  stream->WritesDone();
  Resp resp;
  EXPECT_TRUE(stream->Read(&resp));
  EXPECT_THAT(stream->Finish(), GrpcIsOk());
  v1::ServerReflectionResponse out;
  EXPECT_TRUE(out.ParseFromString(resp.SerializeAsString()));
  return out;
}

class ReflectionServiceTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    runner_ = std::make_unique<ServerRunner>(
        ServerOptions{.name = "test", .drain = absl::ZeroDuration()});
    runner_->AddService(&preflight_, kService);
    ASSERT_THAT(runner_->Start(), IsOk());
    auto channel =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(runner_->port()),
                            grpc::InsecureChannelCredentials());
    v1_ = v1::ServerReflection::NewStub(channel);
    v1alpha_ = v1alpha::ServerReflection::NewStub(channel);
  }
  void TearDown() override { runner_->Shutdown(); }

  // Over v1 when the parameter is true, else v1alpha.
  v1::ServerReflectionResponse Ask(const v1::ServerReflectionRequest& r) {
    if (GetParam()) {
      return server::Ask<v1::ServerReflection::Stub,
                         v1::ServerReflectionRequest,
                         v1::ServerReflectionResponse>(*v1_, r);
    }
    return server::Ask<v1alpha::ServerReflection::Stub,
                       v1alpha::ServerReflectionRequest,
                       v1alpha::ServerReflectionResponse>(*v1alpha_, r);
  }

  // Registered without overriding a method: reflection needs only its name.
  preflight::v1::PreflightService::CallbackService preflight_;
  std::unique_ptr<ServerRunner> runner_;
  std::unique_ptr<v1::ServerReflection::Stub> v1_;
  std::unique_ptr<v1alpha::ServerReflection::Stub> v1alpha_;
};

TEST_P(ReflectionServiceTest, ListsTheRegisteredServicesAndBothVersions) {
  v1::ServerReflectionRequest req;
  req.set_list_services("");
  v1::ServerReflectionResponse resp = Ask(req);
  std::vector<std::string> names;
  for (const auto& s : resp.list_services_response().service()) {
    names.push_back(s.name());
  }
  EXPECT_THAT(
      names, ElementsAre("grpc.health.v1.Health",
                         "grpc.reflection.v1.ServerReflection",
                         "grpc.reflection.v1alpha.ServerReflection", kService));
}

TEST_P(ReflectionServiceTest, DescribesServiceMethodAndFieldWithComments) {
  v1::ServerReflectionRequest req;
  req.set_host("localhost");
  req.set_file_containing_symbol(std::string(kService) + ".PublishCheck");
  v1::ServerReflectionResponse resp = Ask(req);
  ASSERT_TRUE(resp.has_file_descriptor_response())
      << resp.error_response().error_message();
  EXPECT_EQ(resp.original_request().file_containing_symbol(),
            req.file_containing_symbol());
  google::protobuf::SimpleDescriptorDatabase db;
  for (const std::string& bytes :
       resp.file_descriptor_response().file_descriptor_proto()) {
    FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    ASSERT_TRUE(db.Add(file));
  }
  DescriptorPool pool(&db);
  const auto* service = pool.FindServiceByName(kService);
  ASSERT_NE(service, nullptr);
  EXPECT_THAT(Comment(service),
              HasSubstr("can a campaign with this objective launch"));
  EXPECT_THAT(Comment(service->FindMethodByName("PublishCheck")),
              HasSubstr("Checks one objective."));
  EXPECT_THAT(Comment(service->FindMethodByName("PublishCheck")
                          ->input_type()
                          ->FindFieldByName("objective")),
              HasSubstr("TikTok objective type"));
}

TEST_P(ReflectionServiceTest, DescribesTheHealthService) {
  v1::ServerReflectionRequest req;
  req.set_file_containing_symbol("grpc.health.v1.Health");
  v1::ServerReflectionResponse resp = Ask(req);
  ASSERT_TRUE(resp.has_file_descriptor_response());
  FileDescriptorProto first;
  ASSERT_TRUE(first.ParseFromString(
      resp.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(first.name(), "grpc/health/v1/health.proto");
}

TEST_P(ReflectionServiceTest, UnknownSymbolIsNotFoundAndTheStreamGoesOn) {
  grpc::ClientContext ctx;
  auto stream = v1_->ServerReflectionInfo(&ctx);
  v1::ServerReflectionRequest unknown;
  unknown.set_file_containing_symbol("ttads.nope.v1.Nothing");
  ASSERT_TRUE(stream->Write(unknown));
  v1::ServerReflectionResponse resp;
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_EQ(resp.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
  // An empty request names what to set.
  ASSERT_TRUE(stream->Write(v1::ServerReflectionRequest()));
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_EQ(resp.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(resp.error_response().error_message(),
              HasSubstr("message_request"));
  v1::ServerReflectionRequest list;
  list.set_list_services("*");
  ASSERT_TRUE(stream->Write(list));
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_EQ(resp.list_services_response().service_size(), 4);
  stream->WritesDone();
  EXPECT_THAT(stream->Finish(), GrpcIsOk());
}

INSTANTIATE_TEST_SUITE_P(Versions, ReflectionServiceTest, ::testing::Bool(),
                         [](const auto& info) {
                           return std::string(info.param ? "V1" : "V1Alpha");
                         });

}  // namespace
}  // namespace ttads::server
