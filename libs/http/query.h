#ifndef TTADS_LIBS_HTTP_QUERY_H_
#define TTADS_LIBS_HTTP_QUERY_H_

#include <map>
#include <string>
#include <string_view>

namespace ttads::http {

// Query parameters in arrival order per key; a key may repeat.
using QueryParams = std::multimap<std::string, std::string>;

// Decodes RFC 3986 percent-escapes ("%2F" -> "/"). When `plus_as_space` is
// true (form/query encoding) '+' becomes ' '. A malformed escape ("%G1", a
// trailing "%") is kept literally rather than rejected, so a sloppy client
// still gets a best-effort value.
std::string PercentDecode(std::string_view in, bool plus_as_space);

// Encodes everything except RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~) as %XX with upper-case hex. Safe for both path
// segments and query keys/values.
std::string PercentEncode(std::string_view in);

// Parses "a=1&b=x%20y&flag" (no leading '?'). Keys and values are decoded
// with '+' as space; a key without '=' gets an empty value; empty pieces
// ("a=1&&b=2") are skipped.
QueryParams ParseQuery(std::string_view raw);

// Splits a request target "/p/a%20th?x=1" into its raw path and raw query
// (without '?'). Either may be empty.
void SplitTarget(std::string_view target, std::string_view* path,
                 std::string_view* query);

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_QUERY_H_
