// The sound upload (sound_upload.h) over real HTTP: token, scope, file
// part, size limit and format by signature.

#include <string>

#include "gmock/gmock.h"
#include "tools/tiktok_sim/open_platform_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;

TEST_F(SimOpenPlatformTest, SoundUploadChecksTokenScopePartSizeAndSignature) {
  const std::string url = sim_->root_url() + "/v2/share/sound/upload/";
  const std::string with_scope = sim_->IssueUserAccessToken(
      seed::kTikTokUserDemo, {"user.info.basic", "share.sound.create"});
  const std::string without = sim_->IssueUserAccessToken(
      seed::kTikTokUserDemo, {"user.info.basic", "video.list"});
  std::string wav("RIFF\x24\0\0\0WAVEfmt ", 16);
  wav += std::string(64, '\0');
  auto send = [&](const std::string& token, const std::string& part,
                  const std::string& bytes) {
    return Parse(client_.PostMultipart(
        url, {{part, bytes, std::string("a.mp3"), "audio/mpeg"}},
        {"Authorization: Bearer " + token}));
  };
  auto ok = send(with_scope, "sound", wav);
  ASSERT_EQ(ok.http_status, 200) << ok.body;
  EXPECT_EQ(ok.json["error"]["code"], "ok");
  const std::string id = ok.json["data"]["share_id"];
  EXPECT_EQ(sim_->WithState([&](SimState& s) {
    return s.open.sounds.at(id).format;  // By signature, not the .mp3 name.
  }),
            "wav");
  EXPECT_EQ(send(without, "sound", wav).json["error"]["code"],
            "scope_not_authorized");
  EXPECT_EQ(send("nope", "sound", wav).json["error"]["code"],
            "access_token_invalid");
  EXPECT_EQ(send(with_scope, "file", wav).json["error"]["code"],
            "invalid_params");
  EXPECT_EQ(send(with_scope, "sound", "just text").json["error"]["code"],
            "invalid_params");
  auto big = send(with_scope, "sound", wav + std::string(50'000'000, 'a'));
  EXPECT_EQ(big.http_status, 400);
  EXPECT_THAT(big.json["error"]["message"].get<std::string>(),
              HasSubstr("50 MB"));
  EXPECT_EQ(sim_->WithState([](SimState& s) { return s.open.sounds.size(); }),
            1u);
}

}  // namespace
}  // namespace ttads::tiktok_sim
