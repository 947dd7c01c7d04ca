#include "libs/text/utf8.h"

#include <cstdint>
#include <limits>

#include "unicode/utf8.h"

namespace ttads::text {
namespace {

// ICU indexes with int32_t; the suite's texts are bounded far below that
// (request bodies by 4 MiB), and anything longer is treated as ill-formed.
bool Indexable(std::string_view text) {
  return text.size() <=
         static_cast<size_t>(std::numeric_limits<int32_t>::max());
}

// Decodes the code point at `*offset` and advances past it (past the maximal
// ill-formed subpart when there is none); negative for ill-formed bytes.
UChar32 Next(std::string_view text, int32_t* offset) {
  UChar32 code_point;
  U8_NEXT(text.data(), *offset, static_cast<int32_t>(text.size()), code_point);
  return code_point;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  if (!Indexable(text)) return false;
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t offset = 0; offset < size;) {
    // ASCII runs are the common case.
    if (static_cast<unsigned char>(text[offset]) < 0x80) {
      ++offset;
      continue;
    }
    if (Next(text, &offset) < 0) return false;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  if (!Indexable(text)) return out;
  out.reserve(text.size() + 8);
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t offset = 0; offset < size;) {
    const int32_t start = offset;
    if (Next(text, &offset) < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out.append(text.substr(start, offset - start));
    }
  }
  return out;
}

bool ForEachCodePoint(std::string_view text,
                      absl::FunctionRef<void(char32_t)> visit) {
  if (!Indexable(text)) return false;
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t offset = 0; offset < size;) {
    const UChar32 code_point = Next(text, &offset);
    if (code_point < 0) return false;
    visit(static_cast<char32_t>(code_point));
  }
  return true;
}

std::optional<size_t> CodePointCount(std::string_view text) {
  size_t count = 0;
  if (!ForEachCodePoint(text, [&](char32_t) { ++count; })) return std::nullopt;
  return count;
}

std::optional<std::string_view> PrefixOfCodePoints(std::string_view text,
                                                   size_t max_code_points) {
  if (!Indexable(text)) return std::nullopt;
  const auto size = static_cast<int32_t>(text.size());
  int32_t offset = 0;
  int32_t cut = -1;
  for (size_t count = 0; offset < size; ++count) {
    if (count == max_code_points && cut < 0) cut = offset;
    if (Next(text, &offset) < 0) return std::nullopt;
  }
  return cut < 0 ? text : text.substr(0, cut);
}

}  // namespace ttads::text
