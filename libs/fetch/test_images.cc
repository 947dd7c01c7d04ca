#include "libs/fetch/test_images.h"

#include <vector>

#include "stb/stb_image_write.h"

namespace ttads::fetch::testing {
namespace {

void Append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             size);
}

std::vector<unsigned char> Pixels(int width, int height, int seed) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < pixels.size(); ++i) {
    pixels[i] = static_cast<unsigned char>((i * 7 + seed * 31) & 0xff);
  }
  return pixels;
}

}  // namespace

std::string MakePng(int width, int height, int seed) {
  std::string out;
  auto pixels = Pixels(width, height, seed);
  stbi_write_png_to_func(Append, &out, width, height, 3, pixels.data(),
                         width * 3);
  return out;
}

std::string MakeJpeg(int width, int height, int seed) {
  std::string out;
  auto pixels = Pixels(width, height, seed);
  stbi_write_jpg_to_func(Append, &out, width, height, 3, pixels.data(), 90);
  return out;
}

std::string MakeGif() {
  static const unsigned char kGif[] = {
      'G',  'I',  'F',  '8',  '9',  'a',  1,    0,    1,    0,    0x80,
      0,    0,    0,    0,    0,    0xff, 0xff, 0xff, 0x21, 0xf9, 4,
      1,    0,    0,    0,    0,    0x2c, 0,    0,    0,    0,    1,
      0,    1,    0,    0,    2,    2,    0x44, 1,    0,    0x3b};
  return std::string(reinterpret_cast<const char*>(kGif), sizeof(kGif));
}

}  // namespace ttads::fetch::testing
