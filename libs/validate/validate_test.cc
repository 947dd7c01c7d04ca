#include "libs/validate/validate.h"

#include <memory>
#include <string>
#include <vector>

#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/text_format.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::validate {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

namespace ads = ttads::ads::v1;
namespace audience = ttads::audience::v1;

const std::string kBadUtf8 = "ok\xff\xfe";

std::vector<std::string> Fields(const google::protobuf::Message& m) {
  std::vector<std::string> out;
  for (const auto& v : Violations(m)) out.push_back(v.field);
  return out;
}

using Paths = std::vector<std::string>;

TEST(ValidateTest, WellFormedRequestPasses) {
  ads::AdInput req;
  req.set_advertiser_id("7101000000000000001");
  req.set_adgroup_id("7112000000000000101");  // REQUIRED, as the next two.
  req.set_ad_text("Our new drop — ünïcödé is fine");
  req.set_landing_page_url("https://example.com");
  req.set_call_to_action("BUY_NOW");
  EXPECT_THAT(Validate(req), IsOk());
  EXPECT_TRUE(Violations(ads::ListAdsRequest()).empty());
}

TEST(ValidateTest, InvalidUtf8IsNamedByItsPath) {
  ads::UpdateAdRequest req;
  req.set_ad_id("1");
  req.mutable_update_mask()->add_paths("ad_text");
  req.mutable_ad()->set_ad_text(kBadUtf8);
  EXPECT_EQ(Fields(req), Paths{"ad.ad_text"});

  audience::DisqualifyMembersRequest batches;
  batches.add_batches()->set_type(audience::IDENTIFIER_TYPE_EMAIL);
  auto* second = batches.add_batches();
  second->set_type(audience::IDENTIFIER_TYPE_PHONE);
  second->add_values("+14155550100");
  second->add_values(kBadUtf8);
  EXPECT_EQ(Fields(batches), Paths{"batches[1].values[1]"});
}

// A resource with REQUIRED fields and its update request, built at run
// time: the core protos' resources carry no REQUIRED fields (AIP-203 marks
// only request fields so), so the patch rule is checked on this pair.
//   message Thing { string name = 1 [REQUIRED]; string note = 2; }
//   message UpdateThingRequest {
//     string thing_id = 1 [REQUIRED];
//     Thing thing = 2 [REQUIRED];
//     google.protobuf.FieldMask update_mask = 3;
//   }
constexpr char kPatchFile[] = R"pb(
  name: "validate_test/patch.proto"
  package: "validate_test"
  syntax: "proto3"
  dependency: "google/api/field_behavior.proto"
  dependency: "google/protobuf/field_mask.proto"
  message_type {
    name: "Thing"
    field {
      name: "name"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_STRING
      options {
        [google.api.field_behavior]: REQUIRED
      }
    }
    field { name: "note" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  message_type {
    name: "UpdateThingRequest"
    field {
      name: "thing_id"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_STRING
      options {
        [google.api.field_behavior]: REQUIRED
      }
    }
    field {
      name: "thing"
      number: 2
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".validate_test.Thing"
      options {
        [google.api.field_behavior]: REQUIRED
      }
    }
    field {
      name: "update_mask"
      number: 3
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".google.protobuf.FieldMask"
    }
  }
)pb";

// AIP-134: the resource in an update request is a patch, so the REQUIRED
// fields of its type are not required there; the request's own are.
TEST(ValidateTest, RequiredIsNotCheckedInsideAPatch) {
  // The pool resolves the imports from the compiled-in descriptors.
  google::protobuf::DescriptorPool pool(
      google::protobuf::DescriptorPool::generated_pool());
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kPatchFile, &file));
  ASSERT_NE(pool.BuildFile(file), nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);
  const auto* thing_type = pool.FindMessageTypeByName("validate_test.Thing");
  const auto* update_type =
      pool.FindMessageTypeByName("validate_test.UpdateThingRequest");
  ASSERT_NE(thing_type, nullptr);
  ASSERT_NE(update_type, nullptr);

  // On its own (a create), the resource's REQUIRED field is required.
  std::unique_ptr<google::protobuf::Message> thing(
      factory.GetPrototype(thing_type)->New());
  const auto* note = thing_type->FindFieldByName("note");
  thing->GetReflection()->SetString(thing.get(), note, "only a note");
  EXPECT_EQ(Fields(*thing), Paths{"name"});

  // In the update request it is a patch: only the request's own fields.
  std::unique_ptr<google::protobuf::Message> update(
      factory.GetPrototype(update_type)->New());
  const google::protobuf::Reflection* r = update->GetReflection();
  EXPECT_EQ(Fields(*update), (Paths{"thing_id", "thing"}));
  r->MutableMessage(update.get(), update_type->FindFieldByName("thing"),
                    &factory)
      ->CopyFrom(*thing);
  EXPECT_EQ(Fields(*update), Paths{"thing_id"});
  r->SetString(update.get(), update_type->FindFieldByName("thing_id"), "1");
  EXPECT_TRUE(Fields(*update).empty());
}

// UpdateAd's own: the ad id and the Ad (whose fields are all optional);
// the mask is optional (AIP-134: absent means the fields set).
TEST(ValidateTest, UpdateAdRequiresItsIdAndTheAd) {
  ads::UpdateAdRequest update;
  EXPECT_EQ(Fields(update), (Paths{"ad_id", "ad"}));
  update.mutable_ad()->set_call_to_action("SHOP_NOW");
  EXPECT_EQ(Fields(update), Paths{"ad_id"});
  update.set_ad_id("1");
  EXPECT_TRUE(Fields(update).empty());
}

TEST(ValidateTest, AStringWhereAnEnumIsIsRefused) {
  ads::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  req.GetReflection()->MutableUnknownFields(&req)->AddLengthDelimited(3,
                                                                      "POST");
  ads::CallTikTokApiRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(req.SerializeAsString()));
  EXPECT_EQ(parsed.method(), ads::HTTP_METHOD_UNSPECIFIED);
  EXPECT_EQ(Fields(parsed), Paths{"method"});
  // Nested too; unknown fields at other numbers stay ignored.
  ads::UpdateAdRequest update;
  update.set_ad_id("1");
  update.mutable_update_mask()->add_paths("ad_text");
  update.mutable_ad()
      ->GetReflection()
      ->MutableUnknownFields(update.mutable_ad())
      ->AddLengthDelimited(999, "x");
  EXPECT_TRUE(Fields(update).empty());
}

TEST(ValidateTest, InvalidUtf8InMapsAndStructs) {
  ads::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  (*req.mutable_query())["page"] = kBadUtf8;
  (*(*req.mutable_body()->mutable_fields())["filtering"]
        .mutable_struct_value()
        ->mutable_fields())["name"]
      .set_string_value(kBadUtf8);
  EXPECT_EQ(Fields(req),
            (Paths{"query[\"page\"]",
                   "body.fields[\"filtering\"].struct_value.fields[\"name\"]."
                   "string_value"}));

  ads::CallTikTokApiRequest bad_key;
  bad_key.set_path("/ad/get/");
  (*bad_key.mutable_query())[kBadUtf8] = "1";
  EXPECT_EQ(Fields(bad_key), Paths{"query"});
}

TEST(ValidateTest, UnknownEnumNumbersAreRefused) {
  ads::SetAdStatusRequest status;
  status.add_ad_ids("1");  // REQUIRED, as operation_status.
  status.set_operation_status(static_cast<ads::AdOperation>(-1));
  EXPECT_EQ(Fields(status), Paths{"operation_status"});
  status.set_operation_status(ads::AD_OPERATION_DISABLE);
  EXPECT_TRUE(Fields(status).empty());

  ads::WatchAdsRequest watch;
  watch.set_watch_by(static_cast<ads::WatchBy>(99));
  EXPECT_EQ(Fields(watch), Paths{"watch_by"});

  ads::ListIdentityVideosRequest videos;
  videos.set_identity_id("i");
  videos.set_identity_type(static_cast<ttads::common::v1::IdentityType>(99));
  const auto v = Violations(videos);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "identity_type");
  // The short names, as the seeds' products document them.
  EXPECT_EQ(v[0].description,
            "unknown value 99; one of TT_USER, CUSTOMIZED_USER, BC_AUTH_TT, "
            "AUTH_CODE, TTS_TT");

  audience::Audience types;
  types.set_name("a");  // REQUIRED.
  types.add_identifier_types(audience::IDENTIFIER_TYPE_EMAIL);
  types.add_identifier_types(static_cast<audience::IdentifierType>(42));
  EXPECT_EQ(Fields(types), Paths{"identifier_types[1]"});
}

TEST(ValidateTest, TimestampsMustBeInRange) {
  ads::ListAdsRequest req;
  req.mutable_create_start_time()->set_seconds(253402300800);  // 10000-01-01
  req.mutable_create_end_time()->set_seconds(1);
  req.mutable_create_end_time()->set_nanos(1000000000);
  req.mutable_modified_after()->set_seconds(-62135596801);
  EXPECT_EQ(Fields(req),
            (Paths{"create_start_time", "create_end_time", "modified_after"}));
  req.mutable_create_start_time()->set_seconds(253402300799);
  req.mutable_create_end_time()->set_nanos(999999999);
  req.mutable_modified_after()->set_seconds(-62135596800);
  EXPECT_TRUE(Fields(req).empty());
}

TEST(ValidateTest, DurationsMustBeInRangeWithOneSign) {
  google::protobuf::Duration d;
  d.set_seconds(1);
  d.set_nanos(-1);
  EXPECT_EQ(Violations(d).size(), 1u);
  d.set_seconds(315576000001);
  d.set_nanos(0);
  EXPECT_EQ(Violations(d).size(), 1u);
  d.set_seconds(-5);
  d.set_nanos(-999999999);
  EXPECT_TRUE(Violations(d).empty());
}

TEST(ValidateTest, RequiredFieldsComeFromFieldBehavior) {
  EXPECT_EQ(Fields(audience::GetAudienceRequest()), Paths{"audience_id"});
  EXPECT_EQ(Fields(audience::DeleteAudienceRequest()), Paths{"audience_id"});
  EXPECT_EQ(Fields(audience::GetSyncJobRequest()), Paths{"job_id"});
  EXPECT_EQ(Fields(ads::CallTikTokApiRequest()), Paths{"path"});
  EXPECT_EQ(Fields(ttads::identity::v1::CompleteConnectionRequest()),
            (Paths{"state", "auth_code"}));
  EXPECT_EQ(Fields(ads::SetAdStatusRequest()),
            (Paths{"ad_ids", "operation_status"}));
  EXPECT_EQ(Fields(ads::UpdateAdRequest()), (Paths{"ad_id", "ad"}));
  EXPECT_EQ(Fields(ads::ListAdReportsRequest()),
            (Paths{"dimensions", "metrics"}));
  EXPECT_EQ(Fields(audience::CreateAudienceRequest()), Paths{"audience"});
  // Fields without the annotation stay optional; OUTPUT_ONLY and IMMUTABLE
  // are not checked.
  EXPECT_TRUE(Fields(audience::ListAudiencesRequest()).empty());
  EXPECT_TRUE(Fields(audience::SyncJob()).empty());

  const absl::Status s = Validate(audience::GetSyncJobRequest());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(s, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "job_id");
  EXPECT_EQ(bad.field_violations(0).description(), "required");
}

TEST(ValidateTest, PageSizeAndPageToken) {
  audience::ListAudiencesRequest req;
  req.set_page_size(-1);
  req.set_page_token("abc");
  EXPECT_EQ(Fields(req), (Paths{"page_size", "page_token"}));
  req.set_page_size(kMaxPageSize + 1);
  req.set_page_token("12 ");
  EXPECT_EQ(Fields(req), (Paths{"page_size", "page_token"}));
  req.set_page_size(kMaxPageSize);
  req.set_page_token("40");
  EXPECT_TRUE(Fields(req).empty());

  audience::ListSyncJobsRequest jobs;
  jobs.set_page_token("12345678901234567890");  // 20 digits
  EXPECT_EQ(Fields(jobs), Paths{"page_token"});

  EXPECT_TRUE(IsWellFormedPageToken(""));
  EXPECT_TRUE(IsWellFormedPageToken("0"));
  EXPECT_FALSE(IsWellFormedPageToken("-1"));
  EXPECT_FALSE(IsWellFormedPageToken("\x01"));
}

TEST(ValidateTest, PatternOptionChecksTheWatchCursor) {
  ads::WatchAdsRequest req;
  req.set_cursor("2020-01-01 00:00:00|7101000000000000001");
  EXPECT_TRUE(Fields(req).empty());
  req.set_cursor("garbage");
  EXPECT_EQ(Fields(req), Paths{"cursor"});
  req.set_cursor("2020-01-01 00:00:00|0 trailing");
  EXPECT_EQ(Fields(req), Paths{"cursor"});
  // Several advertisers: every one's position.
  req.set_cursor("7101=2020-01-01 00:00:00|5,7102=2020-01-01 00:00:01|0");
  EXPECT_TRUE(Fields(req).empty());
  req.set_cursor("7101=2020-01-01 00:00:00|5,");
  EXPECT_EQ(Fields(req), Paths{"cursor"});
}

TEST(ValidateTest, ReportsAtMostTheCap) {
  audience::DisqualifyMembersRequest req;
  for (int i = 0; i < 3 * kMaxViolations; ++i) {
    req.add_batches()->set_type(static_cast<audience::IdentifierType>(77));
  }
  const auto v = Violations(req);
  ASSERT_EQ(static_cast<int>(v.size()), kMaxViolations);
  EXPECT_EQ(v.back().field,
            "batches[" + std::to_string(kMaxViolations - 1) + "].type");
}

TEST(ValidateTest, DeepNestingIsBounded) {
  google::protobuf::Value root;
  google::protobuf::Value* v = &root;
  for (int i = 0; i < 300; ++i) {
    v = v->mutable_list_value()->add_values();
  }
  v->set_string_value("x");
  const auto out = Violations(root);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].description, "nested too deeply");
}

}  // namespace
}  // namespace ttads::validate
