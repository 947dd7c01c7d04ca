// ttadsctl: operator CLI for teams, members, API keys and stored-token
// re-encryption (tools/ttadsctl/cli.h; `ttadsctl --help`).
#include <unistd.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tools/ttadsctl/cli.h"

int main(int argc, char** argv) {
  std::map<std::string, std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) {
      environment[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  return ttads::ttadsctl::RunCli(
      std::vector<std::string>(argv + 1, argv + argc), environment, std::cout,
      std::cerr);
}
