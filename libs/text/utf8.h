#ifndef TTADS_LIBS_TEXT_UTF8_H_
#define TTADS_LIBS_TEXT_UTF8_H_

// UTF-8 text as the suite checks, counts and cuts it. Well-formed means RFC
// 3629: the shortest form only, no surrogates (U+D800..U+DFFF), nothing past
// U+10FFFF. Bytes that break these rules can never become a proto3 `string`
// or a JSON string, so they are refused at the boundary and never echoed raw.
//
// Decoding is ICU's (unicode/utf8.h, U8_NEXT: header-only macros that follow
// the Unicode standard's well-formedness table and its "maximal subpart"
// practice for replacement), not a hand-written decoder.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace ttads::text {

// True when `text` is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence (each maximal subpart, as the
// Unicode standard recommends) replaced by U+FFFD, for putting untrusted
// bytes into an error message. Valid input comes back unchanged.
std::string SanitizeUtf8(std::string_view text);

// Calls `visit` with each code point of `text` in order. Returns false, after
// visiting the code points before it, at the first ill-formed sequence.
bool ForEachCodePoint(std::string_view text,
                      absl::FunctionRef<void(char32_t)> visit);

// Number of code points ("characters" in TikTok's and the seeds' limits) of
// well-formed `text`; nullopt when it is not well-formed.
std::optional<size_t> CodePointCount(std::string_view text);

// The longest prefix of well-formed `text` with at most `max_code_points`
// code points (never cuts a sequence); nullopt when `text` is not well-formed.
std::optional<std::string_view> PrefixOfCodePoints(std::string_view text,
                                                   size_t max_code_points);

}  // namespace ttads::text

#endif  // TTADS_LIBS_TEXT_UTF8_H_
