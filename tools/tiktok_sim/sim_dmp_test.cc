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
                   const std::string& signature = "") {
    return Upload(
        "dmp/custom_audience/file/upload/",
        {{"advertiser_id", seed::kAdvertiserTtUser},
         {"calculate_type", type},
         {"file_signature", signature.empty() ? Md5Hex(file) : signature},
         {"file", file, std::string("members.csv"), "text/csv"}});
  }
  std::string PathOf(const std::string& file) {
    auto r = UploadFile(file);
    EXPECT_EQ(r.code(), 0) << r.body;
    return r.data().value("file_path", "");
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
  std::string file = File(0, 10);
  EXPECT_EQ(UploadFile(file, "EMAIL_SHA256", Md5Hex("other")).code(),
            kSignatureMismatch);
  EXPECT_EQ(UploadFile(file, "EMAIL_PLAIN").code(), kBadCalculateType);
  EXPECT_EQ(UploadFile("Email_SHA256\nnot-a-digest\n").code(), kParamError);
  EXPECT_EQ(UploadFile(file, "IDFA_MD5").code(), kParamError);  // 64 != 32
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
