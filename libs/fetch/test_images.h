#ifndef TTADS_LIBS_FETCH_TEST_IMAGES_H_
#define TTADS_LIBS_FETCH_TEST_IMAGES_H_

#include <string>

// Real, decodable images made in memory for tests (stb_image_write), so
// tests never ship binary fixtures.
namespace ttads::fetch::testing {

// A PNG of the given size; `seed` varies the pixels (different bytes).
std::string MakePng(int width, int height, int seed = 0);
// A baseline JPEG of the given size.
std::string MakeJpeg(int width, int height, int seed = 0);
// A tiny GIF89a (1×1).
std::string MakeGif();

}  // namespace ttads::fetch::testing

#endif  // TTADS_LIBS_FETCH_TEST_IMAGES_H_
