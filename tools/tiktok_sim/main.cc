// ttads-tiktok-sim: serves the TikTok Marketing API simulator until SIGINT or
// SIGTERM. See docs/simulator.md.

#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/config/flags_help.h"
#include "tools/tiktok_sim/sim.h"

ABSL_FLAG(std::string, address, "127.0.0.1", "Listen address.");
ABSL_FLAG(int, port, 9090, "Listen port (0 = ephemeral).");
ABSL_FLAG(std::string, seed, "demo", "Initial state: demo or empty.");
ABSL_FLAG(std::string, app_id, "",
          "TikTok app id (default: $TTADS_TIKTOK_APP_ID or ttads-local-app).");
ABSL_FLAG(std::string, app_secret, "",
          "TikTok app secret (default: $TTADS_TIKTOK_APP_SECRET or "
          "local-sim-secret).");
ABSL_FLAG(std::string, tier, "basic",
          "Rate-limit tier: basic, advanced, premium, ultimate, unlimited.");
ABSL_FLAG(int, threads, 2, "I/O threads.");

namespace {

std::string FlagOrEnv(const std::string& flag, const char* env,
                      const char* fallback) {
  if (!flag.empty()) return flag;
  const char* v = std::getenv(env);
  return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (ttads::config::HelpRequested(argc, argv)) {
    std::cout << "ttads-tiktok-sim: the TikTok Marketing API simulator "
                 "(docs/simulator.md).\n\nUsage: "
              << ttads::config::ProgramName(argc, argv) << " [flags]\n"
              << ttads::config::FlagsUsage()
              << "\nEnvironment (when the flag is not given):\n"
                 "  TTADS_TIKTOK_APP_ID (default ttads-local-app)\n"
                 "      the app id the simulator accepts (--app_id)\n"
                 "  TTADS_TIKTOK_APP_SECRET (default local-sim-secret)\n"
                 "      the app secret the simulator accepts "
                 "(--app_secret)\n";
    return 0;
  }
  absl::ParseCommandLine(argc, argv);
  using ttads::tiktok_sim::TikTokSim;
  TikTokSim::Options options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = absl::GetFlag(FLAGS_port);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.app_id = FlagOrEnv(absl::GetFlag(FLAGS_app_id), "TTADS_TIKTOK_APP_ID",
                             "ttads-local-app");
  options.app_secret = FlagOrEnv(absl::GetFlag(FLAGS_app_secret),
                                 "TTADS_TIKTOK_APP_SECRET", "local-sim-secret");
  auto tier = ttads::tiktok_sim::ParseTier(absl::GetFlag(FLAGS_tier));
  if (!tier) {
    std::cerr << "--tier: must be basic, advanced, premium, ultimate or "
                 "unlimited\n";
    return 2;
  }
  options.tier = *tier;

  // Block the signals before any thread starts so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto sim = TikTokSim::Start(options);
  if (!sim.ok()) {
    std::cerr << "ttads-tiktok-sim: " << sim.status() << "\n";
    return 1;
  }
  std::cout << "ttads-tiktok-sim listening on " << (*sim)->base_url()
            << " (seed " << options.seed << ", tier "
            << ttads::tiktok_sim::TierName(options.tier) << ")" << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "ttads-tiktok-sim: stopping" << std::endl;
  sim->reset();
  return 0;
}
