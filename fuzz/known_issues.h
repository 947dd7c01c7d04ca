#ifndef TTADS_FUZZ_KNOWN_ISSUES_H_
#define TTADS_FUZZ_KNOWN_ISSUES_H_

// Open findings of the fuzzers (docs/reliability.md, "Fuzz findings"). Until
// they are fixed, the fuzzers step around inputs that hit them so a short
// run keeps exploring instead of stopping on the same crash; with
// TTADS_FUZZ_STRICT=1 nothing is skipped, which reproduces them
// (fuzz/findings/ holds one input for each).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace ttads::fuzz {

inline bool Strict() {
  static const bool strict = [] {
    const char* v = std::getenv("TTADS_FUZZ_STRICT");
    return v != nullptr && v[0] == '1';
  }();
  return strict;
}

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
inline bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// Finding 1 (transcoder): a query/path value for a message-typed field that
// is not valid UTF-8 makes SetScalar's nlohmann::json dump() throw
// type_error 316 out of the transcoder.
inline bool HitsInvalidUtf8MessageParam(std::string_view value) {
  return !Strict() && !IsValidUtf8(value);
}

// Finding 2 (image_info): stb_image (Debian 0.0~git20220908) does not check
// that a JPEG DHT segment's 16 code counts sum to at most 256, so
// stbi__build_huffman writes past stbi__huffman::size[257] and the values
// loop past values[256] (inside the decoder struct: UBSan sees it, ASan
// does not). True for a JPEG holding such a segment.
inline bool HitsOversizedJpegHuffmanTable(std::string_view b) {
  if (Strict() || b.size() < 4 || static_cast<uint8_t>(b[0]) != 0xFF ||
      static_cast<uint8_t>(b[1]) != 0xD8) {
    return false;
  }
  for (size_t i = 2; i + 1 < b.size(); ++i) {
    if (static_cast<uint8_t>(b[i]) != 0xFF ||
        static_cast<uint8_t>(b[i + 1]) != 0xC4) {
      continue;
    }
    // Check every table of the segment conservatively: any 16-count group
    // after the marker that sums past 256 counts.
    // (stb reads zeros past the end, so a truncated group counts too.)
    for (size_t t = i + 4; t < b.size(); ++t) {
      int n = 0;
      for (size_t k = 1; k <= 16 && t + k < b.size(); ++k) {
        n += static_cast<uint8_t>(b[t + k]);
      }
      if (n > 256) return true;
    }
  }
  return false;
}

}  // namespace ttads::fuzz

#endif  // TTADS_FUZZ_KNOWN_ISSUES_H_
