// Upload a Sound's rules on real audio made by FFmpeg's encoders: format by
// content (not name), duration bounds, the 50 MB cap while streaming, the
// connection and scope checked first, and nothing sent to TikTok on any
// refusal.

#include "services/content/sound_upload.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_refresh_lease.h"
#include "libs/connections/fake_tiktok_account_store.h"
#include "libs/media/test_audio.h"
#include "libs/server/test_call_context.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/fake_login_api.h"

namespace ttads::content {
namespace {

using connections::TikTokAccount;
using ::testing::HasSubstr;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RecordingSoundApi : public tiktok_open::SoundApi {
 public:
  absl::StatusOr<std::string> UploadSound(const std::string& token,
                                          const tiktok_open::SoundFile& file,
                                          absl::Time) override {
    ++calls;
    last_token = token;
    last_name = file.file_name;
    last_type = file.content_type;
    last_size = file.data->size();
    if (!error.ok()) return error;
    return std::string("sd0001");
  }
  int calls = 0;
  std::string last_token, last_name, last_type;
  size_t last_size = 0;
  absl::Status error;
};

server::CallContext Owner(const std::string& team = "t1") {
  return server::testing::Caller("m1", "owner", team);
}

std::string Tone(const std::string& format, absl::Duration d) {
  auto t = media::testing::MakeTone(format, d);
  EXPECT_THAT(t, IsOk());
  return t.ok() ? *t : "";
}

class SoundUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add("c1", {"user.info.basic", "share.sound.create"}, "act.c1");
    Add("c2", {"user.info.basic", "video.list"}, "act.c2");
  }
  void Add(const std::string& id, std::vector<std::string> scopes,
           const std::string& token) {
    TikTokAccount a;
    a.connection_id = id;
    a.team_id = "t1";
    a.member_id = "m1";
    a.scopes = std::move(scopes);
    ASSERT_THAT(
        store_.Create(a, {token, "rft." + id, absl::Now() + absl::Hours(20),
                          absl::Now() + absl::Hours(9000)}),
        IsOk());
  }
  // The whole stream in one: Begin, the bytes in 1 MiB pieces, Finish.
  absl::StatusOr<UploadedSound> Upload(const std::string& name,
                                       const std::string& bytes,
                                       const std::string& conn = "c1") {
    TTADS_RETURN_IF_ERROR(uploader_.Begin(Owner(), conn, name));
    SoundBuffer buffer;
    for (size_t at = 0; at < bytes.size(); at += 1 << 20) {
      TTADS_RETURN_IF_ERROR(
          buffer.Append(absl::string_view(bytes).substr(at, 1 << 20)));
    }
    return uploader_.Finish(Owner(), conn, name, buffer.bytes());
  }

  connections::FakeTikTokAccountStore store_;
  connections::FakeRefreshLease lease_;
  tiktok_open::FakeLoginApi login_;
  connections::AccountTokenSource tokens_{&store_, &lease_, &login_};
  AccountAccess access_{&store_, &tokens_};
  RecordingSoundApi api_;
  SoundUploader uploader_{&access_, &api_};
};

TEST_F(SoundUploadTest, TwentySecondsOfEachFormatIsUploaded) {
  for (const char* format : {"mp3", "wav", "flac"}) {
    auto up = Upload(absl::StrCat("jingle.", format),
                     Tone(format, absl::Seconds(20)));
    ASSERT_THAT(up, IsOk()) << format;
    EXPECT_EQ(up->sound_id, "sd0001");
    EXPECT_EQ(up->info.format, format);
    EXPECT_GT(up->info.duration, absl::Seconds(19));
    EXPECT_EQ(api_.last_token, "act.c1");
    EXPECT_EQ(api_.last_name, absl::StrCat("jingle.", format));
    EXPECT_EQ(api_.last_size, static_cast<size_t>(up->size_bytes));
  }
  EXPECT_EQ(api_.calls, 3);
}

TEST_F(SoundUploadTest, ContentDecidesTheFormatNotTheName) {
  auto up = Upload("renamed.mp3", Tone("wav", absl::Seconds(20)));
  ASSERT_THAT(up, IsOk());
  EXPECT_EQ(up->info.format, "wav");
  EXPECT_EQ(api_.last_type, "audio/wav");
  EXPECT_EQ(api_.last_name, "renamed.mp3");
}

TEST_F(SoundUploadTest, DurationBoundsAreExclusive) {
  for (const char* format : {"mp3", "wav", "flac"}) {
    auto short_one = Upload("a.mp3", Tone(format, absl::Seconds(5)));
    EXPECT_THAT(short_one, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(FirstViolatedField(short_one.status()), "data");
    EXPECT_THAT(short_one.status().message(), HasSubstr("lasts"));
  }
  // 10 s exactly is not longer than 10 s (WAV states it to the sample).
  EXPECT_THAT(Upload("a.wav", Tone("wav", absl::Seconds(10))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Upload("a.wav", Tone("wav", absl::Seconds(300))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Upload("a.wav", Tone("wav", absl::Milliseconds(10100))), IsOk());
  EXPECT_THAT(Upload("a.wav", Tone("wav", absl::Seconds(299))), IsOk());
  EXPECT_EQ(api_.calls, 2);
}

TEST_F(SoundUploadTest, JunkAndEmptyFilesAreRefused) {
  std::string junk(200000, '\0');
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>(i * 7);
  for (const std::string& bytes :
       {std::string(), std::string("not a sound at all"), junk}) {
    auto up = Upload("x.mp3", bytes);
    EXPECT_THAT(up, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(FirstViolatedField(up.status()), "data");
  }
  EXPECT_EQ(api_.calls, 0);
}

TEST_F(SoundUploadTest, FiftyMegabytesIsRefusedWhileStreaming) {
  SoundBuffer buffer;
  const std::string mib(1 << 20, 'a');
  int accepted = 0;
  absl::Status s;
  while ((s = buffer.Append(mib)).ok()) {
    ++accepted;
    ASSERT_LT(buffer.bytes().size(), static_cast<size_t>(kMaxSoundBytes));
  }
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "data");
  // 47 MiB < 50,000,000 bytes < 48 MiB: the 48th piece is refused.
  EXPECT_EQ(accepted, 47);
  EXPECT_TRUE(buffer.bytes().empty());
  // Just under the cap is taken.
  SoundBuffer exact;
  EXPECT_THAT(exact.Append(std::string(kMaxSoundBytes - 1, 'a')), IsOk());
  EXPECT_THAT(exact.Append("b"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SoundUploadTest, ConnectionNameAndScopeAreCheckedFirst) {
  EXPECT_THAT(uploader_.Begin(Owner(), "c1", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(uploader_.Begin(Owner(), "c1", "")),
            "file_name");
  EXPECT_THAT(uploader_.Begin(Owner(), "c1", std::string(256, 'n')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(uploader_.Begin(Owner(), "", "a.mp3"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(uploader_.Begin(Owner("t2"), "c1", "a.mp3"),
              StatusIs(absl::StatusCode::kNotFound));
  // c2 did not grant share.sound.create.
  EXPECT_THAT(uploader_.Begin(Owner(), "c2", "a.mp3"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(uploader_.Begin(Owner(), "c1", "a.mp3"), IsOk());
  EXPECT_EQ(api_.calls, 0);
}

TEST_F(SoundUploadTest, TikTokErrorsPassThrough) {
  api_.error = absl::UnavailableError("TikTok down");
  EXPECT_THAT(Upload("a.flac", Tone("flac", absl::Seconds(20))),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::content
