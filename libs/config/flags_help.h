#ifndef TTADS_LIBS_CONFIG_FLAGS_HELP_H_
#define TTADS_LIBS_CONFIG_FLAGS_HELP_H_

// The command-line half of `--help` (libs/config/usage.h adds the
// configuration keys). Header-only on absl's flag reflection, so a binary
// that does not link ttads_config (the TikTok simulator) can use it too.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ttads::config {

// Whether argv asks for help: --help, -help, -h, --helpfull or --helpshort
// before any "--" (absl's own --help prints only the flags and exits 1).
inline bool HelpRequested(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--help" || arg == "-help" || arg == "-h" ||
        arg == "--helpfull" || arg == "--helpshort") {
      return true;
    }
  }
  return false;
}

// argv[0] without its directory.
inline std::string_view ProgramName(int argc, char** argv) {
  std::string_view program = argc > 0 ? argv[0] : "";
  if (size_t slash = program.rfind('/'); slash != std::string_view::npos) {
    program.remove_prefix(slash + 1);
  }
  return program;
}

// "Flags:" and the binary's own absl flags, sorted by name, each as
//   --name (default "value")
//       help
// then --help itself. absl's built-in flags (--flagfile, --fromenv, ...),
// defined in absl's own sources, are left out.
inline std::string FlagsUsage() {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::StrContains(flag->Filename(), "absl/")) continue;
    flags.push_back(flag);
  }
  std::sort(flags.begin(), flags.end(),
            [](absl::CommandLineFlag* a, absl::CommandLineFlag* b) {
              return a->Name() < b->Name();
            });
  std::string out = "\nFlags:\n";
  for (absl::CommandLineFlag* flag : flags) {
    absl::StrAppend(&out, "  --", flag->Name(), " (default \"",
                    flag->DefaultValue(), "\")\n      ", flag->Help(), "\n");
  }
  absl::StrAppend(&out, "  --help\n      this text; exits 0\n");
  return out;
}

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_FLAGS_HELP_H_
