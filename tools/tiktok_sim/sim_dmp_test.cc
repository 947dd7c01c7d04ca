#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "tools/tiktok_sim/media.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

class SimDmpTest : public SimTest {
 protected:
  // A customer file of `n` distinct SHA-256-shaped digests starting at `from`.
  static std::string File(int from, int n) {
    std::string out = "Email_SHA256\n";
    for (int i = from; i < from + n; ++i) {
      out += absl::StrFormat("%064x\n", i);
    }
    return out;
  }
  Reply UploadFile(const std::string& file,
                   const std::string& type = "EMAIL_SHA256",
                   const std::string& signature = "",
                   const std::string& filename = "members.csv") {
    return Upload(
        "dmp/custom_audience/file/upload/",
        {{"advertiser_id", seed::kAdvertiserTtUser},
         {"calculate_type", type},
         {"file_signature", signature.empty() ? Md5Hex(file) : signature},
         {"file", file, filename, "text/csv"}});
  }
  std::string PathOf(const std::string& file,
                     const std::string& type = "EMAIL_SHA256") {
    auto r = UploadFile(file, type);
    EXPECT_EQ(r.code(), 0) << r.body;
    return r.data().value("file_path", "");
  }
  Reply Create(const std::string& type, const std::string& path) {
    return Post("dmp/custom_audience/create/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"custom_audience_name", "Buyers"},
                 {"calculate_type", type},
                 {"file_paths", {path}}});
  }
  static std::string Message(const Reply& r) {
    return r.json.value("message", "");
  }
  Reply Update(const std::string& id, const std::string& action,
               const std::string& path) {
    return Post("dmp/custom_audience/update/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"custom_audience_id", id},
                 {"action", action},
                 {"file_paths", {path}}});
  }
};

TEST_F(SimDmpTest, UploadCreateAppendAndRemoveWithTheFloor) {
  auto created = Post("dmp/custom_audience/create/",
                      {{"advertiser_id", seed::kAdvertiserTtUser},
                       {"custom_audience_name", "Buyers"},
                       {"calculate_type", "EMAIL_SHA256"},
                       {"file_paths", {PathOf(File(0, 1500))}}});
  ASSERT_EQ(created.code(), 0) << created.body;
  std::string id = created.data()["custom_audience_id"];

  ASSERT_EQ(Update(id, "APPEND", PathOf(File(1400, 300))).code(), 0);
  EXPECT_EQ(sim_->stats().audience[id].members, 1700u);
  EXPECT_EQ(sim_->stats().audience[id].digests_received, 1800u);

  auto too_much = Update(id, "REMOVE", PathOf(File(0, 800)));
  EXPECT_EQ(too_much.code(), kParamError);
  EXPECT_THAT(too_much.json["message"].get<std::string>(),
              ::testing::HasSubstr("1000"));
  EXPECT_EQ(sim_->stats().audience[id].members, 1700u);

  ASSERT_EQ(Update(id, "REMOVE", PathOf(File(0, 600))).code(), 0);
  EXPECT_EQ(sim_->stats().audience[id].members, 1100u);
  EXPECT_EQ(sim_->stats().digests_uploaded, 1500u + 300 + 800 + 600);

  auto got = Get("dmp/custom_audience/get/",
                 {{"advertiser_id", seed::kAdvertiserTtUser},
                  {"custom_audience_ids", {id}}});
  ASSERT_EQ(got.code(), 0) << got.body;
  EXPECT_EQ(got.data()["list"][0]["audience_details"]["cover_num"], 1100);

  auto list = Get("dmp/custom_audience/list/",
                  {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(list.data()["list"].size(), 1u);
  ASSERT_EQ(Post("dmp/custom_audience/delete/",
                 {{"advertiser_id", seed::kAdvertiserTtUser},
                  {"custom_audience_ids", {id}}})
                .code(),
            0);
  EXPECT_EQ(sim_->stats().audiences, 0u);
  EXPECT_EQ(Update(id, "APPEND", PathOf(File(5000, 1))).code(), kNotFound);
}

TEST_F(SimDmpTest, RejectsBadFiles) {
  sim_->ExpectViolations(1);  // Contract: an unknown calculate_type.
  std::string file = File(0, 10);
  EXPECT_EQ(UploadFile(file, "EMAIL_SHA256", Md5Hex("other")).code(),
            kSignatureMismatch);
  EXPECT_EQ(UploadFile(file, "EMAIL_PLAIN").code(), kBadCalculateType);
  EXPECT_EQ(UploadFile("Email_SHA256\nnot-a-digest\n").code(), kParamError);
  EXPECT_EQ(UploadFile(file, "IDFA_MD5").code(), kParamError);  // 64 != 32
}

// "Update an audience": APPEND, REMOVE and REPLACE all fail when the
// audience has fewer than 1,000 members afterwards (the old simulator
// checked REMOVE only).
TEST_F(SimDmpTest, TheFloorAppliesToAppendAndReplaceToo) {
  auto created = Create("EMAIL_SHA256", PathOf(File(0, 400)));
  ASSERT_EQ(created.code(), 0) << created.body;  // create has no floor
  std::string id = created.data()["custom_audience_id"];
  auto append = Update(id, "APPEND", PathOf(File(400, 500)));
  EXPECT_EQ(append.code(), kParamError);
  EXPECT_THAT(Message(append), ::testing::HasSubstr("1000"));
  EXPECT_THAT(Message(append), ::testing::HasSubstr("file_paths"));
  EXPECT_EQ(sim_->stats().audience[id].members, 400u);
  auto replace = Update(id, "REPLACE", PathOf(File(0, 999)));
  EXPECT_EQ(replace.code(), kParamError);
  EXPECT_EQ(Update(id, "APPEND", PathOf(File(400, 600))).code(), 0);
  EXPECT_EQ(sim_->stats().audience[id].members, 1000u);
  EXPECT_EQ(Update(id, "REPLACE", PathOf(File(5000, 1200))).code(), 0);
  EXPECT_EQ(sim_->stats().audience[id].members, 1200u);
}

// The create enum has no MAID_* (SDK dmp_custom_audience_create.yml); the
// upload enum has them as aliases of FIRST_*.
TEST_F(SimDmpTest, MaidAudiencesAreFirstSha256) {
  sim_->ExpectViolations(1);  // Contract: create with MAID_SHA256.
  auto maid = Create("MAID_SHA256", PathOf(File(0, 10), "MAID_SHA256"));
  EXPECT_EQ(maid.code(), kBadCalculateType);
  EXPECT_THAT(Message(maid), ::testing::HasSubstr("calculate_type"));
  EXPECT_EQ(Create("FIRST_SHA256", PathOf(File(0, 10), "MAID_SHA256")).code(),
            0);
  EXPECT_EQ(Create("FIRST_SHA256", PathOf(File(0, 10), "FIRST_SHA256")).code(),
            0);
  EXPECT_EQ(Create("IDFA_SHA256", PathOf(File(0, 10), "IDFA_SHA256")).code(),
            0);
  EXPECT_EQ(Create("GAID_SHA256", PathOf(File(0, 10), "GAID_SHA256")).code(),
            0);
}

// "calculate_type should be the same as all the files in the file_path".
TEST_F(SimDmpTest, FilesMustHaveTheAudiencesCalculateType) {
  auto mixed = Create("MULTIPLE_TYPES", PathOf(File(0, 10), "EMAIL_SHA256"));
  EXPECT_EQ(mixed.code(), kParamError);
  EXPECT_THAT(Message(mixed), ::testing::HasSubstr("file_paths"));
  auto created = Create("EMAIL_SHA256", PathOf(File(0, 1500)));
  ASSERT_EQ(created.code(), 0);
  std::string id = created.data()["custom_audience_id"];
  auto phone = Update(id, "APPEND", PathOf(File(2000, 10), "PHONE_SHA256"));
  EXPECT_EQ(phone.code(), kParamError);
  EXPECT_THAT(Message(phone), ::testing::HasSubstr("PHONE_SHA256"));
}

TEST_F(SimDmpTest, UnhashedPersonalDataIsRefused) {
  auto email =
      UploadFile("Email_SHA256\nJane.Doe@example.com\n", "EMAIL_SHA256");
  EXPECT_EQ(email.code(), 40062);
  EXPECT_THAT(Message(email), ::testing::HasSubstr("file: line 2"));
  EXPECT_THAT(Message(email), ::testing::HasSubstr("email"));
  auto phone = UploadFile("Phone_SHA256\n+44 20 7946 0958\n", "PHONE_SHA256");
  EXPECT_EQ(phone.code(), 40062);
  EXPECT_THAT(Message(phone), ::testing::HasSubstr("phone"));
  auto maid = UploadFile("IDFA_SHA256\n6b2a1e1c-9f3e-4d2a-8b7c-0123456789ab\n",
                         "IDFA_SHA256");
  EXPECT_EQ(maid.code(), 40062);
}

TEST_F(SimDmpTest, FieldsAreCheckedByName) {
  sim_->ExpectViolations(6);  // Contract: unknown, missing, form-encoded list,
                              // neither name nor files, action, retention.
  // Unknown field.
  auto unknown = Post("dmp/custom_audience/create/",
                      {{"advertiser_id", seed::kAdvertiserTtUser},
                       {"custom_audience_name", "Buyers"},
                       {"calculate_type", "EMAIL_SHA256"},
                       {"file_paths", {PathOf(File(0, 5))}},
                       {"id_type", "EMAIL"}});
  EXPECT_EQ(unknown.code(), kParamError);
  EXPECT_THAT(Message(unknown), ::testing::HasSubstr("id_type"));
  // Missing required field.
  auto missing = Post("dmp/custom_audience/create/",
                      {{"advertiser_id", seed::kAdvertiserTtUser},
                       {"custom_audience_name", "Buyers"},
                       {"file_paths", {PathOf(File(0, 5))}}});
  EXPECT_EQ(missing.code(), kParamError);
  EXPECT_THAT(Message(missing), ::testing::HasSubstr("calculate_type"));
  // A list sent as a string (form encoding) on a JSON endpoint.
  auto form = Post("dmp/custom_audience/create/",
                   {{"advertiser_id", seed::kAdvertiserTtUser},
                    {"custom_audience_name", "Buyers"},
                    {"calculate_type", "EMAIL_SHA256"},
                    {"file_paths", "[\"" + PathOf(File(0, 5)) + "\"]"}});
  EXPECT_EQ(form.code(), kParamError);
  EXPECT_THAT(Message(form), ::testing::HasSubstr("file_paths"));
  // Update needs custom_audience_name or file_paths.
  auto created = Create("EMAIL_SHA256", PathOf(File(0, 1500)));
  std::string id = created.data()["custom_audience_id"];
  auto neither = Post("dmp/custom_audience/update/",
                      {{"advertiser_id", seed::kAdvertiserTtUser},
                       {"custom_audience_id", id},
                       {"action", "APPEND"}});
  EXPECT_EQ(neither.code(), kParamError);
  EXPECT_THAT(Message(neither), ::testing::HasSubstr("file_paths"));
  auto rename = Post("dmp/custom_audience/update/",
                     {{"advertiser_id", seed::kAdvertiserTtUser},
                      {"custom_audience_id", id},
                      {"custom_audience_name", "Renamed"}});
  EXPECT_EQ(rename.code(), 0) << rename.body;
  // Enum and range values.
  auto bad_action = Update(id, "MERGE", PathOf(File(0, 5)));
  EXPECT_EQ(bad_action.code(), kParamError);
  EXPECT_THAT(Message(bad_action), ::testing::HasSubstr("action"));
  auto retention = Post("dmp/custom_audience/create/",
                        {{"advertiser_id", seed::kAdvertiserTtUser},
                         {"custom_audience_name", "Buyers"},
                         {"calculate_type", "EMAIL_SHA256"},
                         {"file_paths", {PathOf(File(0, 5))}},
                         {"retention_in_days", 366}});
  EXPECT_EQ(retention.code(), kParamError);
  EXPECT_THAT(Message(retention), ::testing::HasSubstr("retention_in_days"));
  // Upload: .csv or .txt only; a header row first.
  EXPECT_EQ(UploadFile(File(0, 5), "EMAIL_SHA256", "", "members.json").code(),
            kFileWrongType);
  EXPECT_EQ(UploadFile(File(0, 5).substr(13), "EMAIL_SHA256").code(),
            kParamError);
}

TEST_F(SimDmpTest, GetAndListAnswerWithTheirPagesFieldNames) {
  sim_->ExpectViolations(2);  // Contract: 101 ids, page_size 101.
  auto created = Create("EMAIL_SHA256", PathOf(File(0, 1200)));
  std::string id = created.data()["custom_audience_id"];
  auto got = Get("dmp/custom_audience/get/",
                 {{"advertiser_id", seed::kAdvertiserTtUser},
                  {"custom_audience_ids", {id}}});
  ASSERT_EQ(got.code(), 0) << got.body;
  const auto& details = got.data()["list"][0]["audience_details"];
  EXPECT_EQ(details["audience_id"], id);
  EXPECT_FALSE(details.contains("custom_audience_id"));
  EXPECT_EQ(details["type"], "Customer File Audience");
  EXPECT_EQ(details["calculate_type"], "EMAIL_SHA256");
  EXPECT_EQ(details["is_valid"], true);
  auto list = Get("dmp/custom_audience/list/",
                  {{"advertiser_id", seed::kAdvertiserTtUser}});
  ASSERT_EQ(list.code(), 0);
  EXPECT_EQ(list.data()["list"][0]["audience_id"], id);
  EXPECT_EQ(list.data()["list"][0]["audience_type"], "Customer File Audience");
  std::vector<std::string> many(101, id);
  EXPECT_EQ(Get("dmp/custom_audience/get/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"custom_audience_ids", many}})
                .code(),
            kTooManyIds);
  EXPECT_EQ(
      Get("dmp/custom_audience/list/",
          {{"advertiser_id", seed::kAdvertiserTtUser}, {"page_size", "101"}})
          .code(),
      kParamError);
}

TEST_F(SimDmpTest, FilePathsAreScopedToTheAdvertiser) {
  std::string path = PathOf(File(0, 5));
  auto other = Post("dmp/custom_audience/create/",
                    {{"advertiser_id", seed::kAdvertiserNoTtUser},
                     {"custom_audience_name", "Steal"},
                     {"calculate_type", "EMAIL_SHA256"},
                     {"file_paths", {path}}});
  EXPECT_EQ(other.code(), kParamError);
}

}  // namespace
}  // namespace ttads::tiktok_sim
