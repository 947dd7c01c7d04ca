#ifndef TTADS_LIBS_HTTP_UTF8_H_
#define TTADS_LIBS_HTTP_UTF8_H_

// UTF-8 checks for text that arrives from the network (RFC 3629): the
// shortest form only, no surrogates (U+D800..U+DFFF), nothing past U+10FFFF.
// Bytes that break these rules can never become a proto3 `string` or a JSON
// string, so they are refused at the boundary and never echoed raw.

#include <string>
#include <string_view>

namespace ttads::http {

// True when `text` is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD, for putting
// untrusted bytes into an error message. Valid input comes back unchanged.
std::string SanitizeUtf8(std::string_view text);

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_UTF8_H_
