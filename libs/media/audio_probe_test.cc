// ProbeAudio on real files made by FFmpeg's encoders, on noise and on
// truncated files.

#include "libs/media/audio_probe.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/media/test_audio.h"
#include "libs/testing/status_matchers.h"

namespace ttads::media {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class AudioProbeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(AudioProbeTest, ReadsFormatAndDurationFromTheBytes) {
  const std::string format = GetParam();
  auto file = testing::MakeTone(format, absl::Seconds(20));
  ASSERT_THAT(file, IsOk());
  auto info = ProbeAudio(*file);
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->format, format);
  EXPECT_GT(info->duration, absl::Milliseconds(19500));
  EXPECT_LT(info->duration, absl::Milliseconds(20500));
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->sample_rate, 22050);
}

TEST_P(AudioProbeTest, ShortFileHasItsShortDuration) {
  auto file = testing::MakeTone(GetParam(), absl::Seconds(5));
  ASSERT_THAT(file, IsOk());
  auto info = ProbeAudio(*file);
  ASSERT_THAT(info, IsOk());
  EXPECT_LT(info->duration, absl::Seconds(6));
}

INSTANTIATE_TEST_SUITE_P(Formats, AudioProbeTest,
                         ::testing::Values("mp3", "wav", "flac"));

TEST(AudioProbeNoiseTest, JunkIsNotAudio) {
  EXPECT_THAT(ProbeAudio(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ProbeAudio("hello, this is not a sound"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::mt19937 rng(7);
  for (size_t size : {size_t{4096}, size_t{3} << 20}) {
    std::string noise(size, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    EXPECT_THAT(ProbeAudio(noise), StatusIs(absl::StatusCode::kInvalidArgument))
        << size;
  }
  // An MP4/PNG-like header is not one of the three.
  EXPECT_THAT(
      ProbeAudio(std::string("\x89PNG\r\n\x1a\n", 8) + std::string(1000, 'x')),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::media
