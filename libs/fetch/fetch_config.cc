#include "libs/fetch/fetch_config.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace ttads::fetch {
namespace {

constexpr char kAllowPrivate[] = "TTADS_FETCH_ALLOW_PRIVATE";
constexpr char kPrivateAllowlist[] = "TTADS_FETCH_PRIVATE_ALLOWLIST";
constexpr char kMaxImageBytes[] = "TTADS_FETCH_MAX_IMAGE_BYTES";

}  // namespace

void AddFetchKeys(config::Schema& schema) {
  using config::Key;
  schema.Add(
      Key::Bool(kAllowPrivate)
          .Default("false")
          .Help("let user-supplied URLs reach private addresses (tests only)"));
  schema.Add(Key::String(kPrivateAllowlist)
                 .Help("comma-separated host:port targets user URLs may reach "
                       "although not public (e.g. an internal media proxy)"));
  schema.Add(Key::Int(kMaxImageBytes, 1, 64 << 20)
                 .Default(std::to_string(5 * 1024 * 1024))
                 .Help("largest image fetched from a URL"));
}

FetchOptions FetchOptionsFromConfig(const config::Config& config) {
  FetchOptions options;
  options.allow_private = config.GetBool(kAllowPrivate);
  for (absl::string_view entry :
       absl::StrSplit(config.GetString(kPrivateAllowlist), ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (!entry.empty()) options.private_allowlist.emplace_back(entry);
  }
  options.max_bytes = static_cast<size_t>(config.GetInt(kMaxImageBytes));
  return options;
}

}  // namespace ttads::fetch
