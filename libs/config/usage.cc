#include "libs/config/usage.h"

#include <cstdlib>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ttads::config {
namespace {

// "integer 1..256", "one of a, b", ... for a key's type.
std::string TypeText(const Key& key) {
  switch (key.type()) {
    case Key::Type::kString:
      return "text";
    case Key::Type::kInt:
      return absl::StrCat("integer ", key.min(), "..", key.max());
    case Key::Type::kBool:
      return "true/false";
    case Key::Type::kEnum:
      return absl::StrCat("one of ", absl::StrJoin(key.allowed(), ", "));
    case Key::Type::kHostPort:
      return "host:port";
    case Key::Type::kGrpcTarget:
      return "host:port or gRPC target";
    case Key::Type::kUrl:
      return "http(s) URL";
    case Key::Type::kBase64Key32:
      return "base64 of 32 bytes";
  }
  return "";
}

}  // namespace

std::string Usage(std::string_view program, std::string_view about,
                  const Schema& schema) {
  std::string out = std::string(about) + "\n\nUsage: " + std::string(program) +
                    " [flags]\n" + FlagsUsage();
  if (schema.keys().empty()) return out;
  absl::StrAppend(
      &out,
      "\nConfiguration (docs/configuration.md): built-in defaults, then the "
      "env-file\ngiven by --config or TTADS_CONFIG (KEY=value lines), then "
      "the environment;\nlater wins. Every value is checked at start.\n\n");
  for (const Key& key : schema.keys()) {
    std::vector<std::string> facts = {TypeText(key)};
    facts.push_back(key.default_value().empty()
                        ? "no default"
                        : absl::StrCat("default ", key.default_value()));
    if (key.required()) facts.push_back("required");
    if (key.secret()) facts.push_back("secret");
    absl::StrAppend(&out, "  ", key.name(), " (", absl::StrJoin(facts, ", "),
                    ")\n");
    if (!key.help().empty()) absl::StrAppend(&out, "      ", key.help(), "\n");
  }
  return out;
}

void ExitWithHelpIfAsked(int argc, char** argv, std::string_view about,
                         const Schema& schema) {
  if (!HelpRequested(argc, argv)) return;
  std::cout << Usage(ProgramName(argc, argv), about, schema) << std::flush;
  std::exit(0);
}

}  // namespace ttads::config
