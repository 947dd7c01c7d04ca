// ttadsctl: operator CLI for teams, members and API keys (see Usage()).
#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "libs/auth/redis_team_store.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/commands.h"

int main(int argc, char** argv) {
  using namespace ttads;
  std::vector<std::string> raw(argv + 1, argv + argc);
  absl::StatusOr<ttadsctl::Args> args = ttadsctl::ParseArgs(raw);
  if (!args.ok()) {
    std::cerr << "ttadsctl: " << args.status().message() << "\n"
              << ttadsctl::Usage();
    return 2;
  }
  if (args->words.empty() || args->flags.count("help")) {
    std::cout << ttadsctl::Usage();
    return args->words.empty() && !args->flags.count("help") ? 2 : 0;
  }

  std::string address = "127.0.0.1:6390";
  if (const char* env = std::getenv("TTADS_REDIS_ADDRESS"); env && *env) {
    address = env;
  }
  if (auto it = args->flags.find("redis"); it != args->flags.end()) {
    address = it->second;
  }
  absl::StatusOr<store::RedisOptions> options =
      store::ParseRedisAddress(address);
  if (!options.ok()) {
    std::cerr << "ttadsctl: " << options.status().message() << "\n";
    return 2;
  }
  if (const char* pw = std::getenv("TTADS_REDIS_PASSWORD"); pw != nullptr) {
    options->password = pw;
  }
  options->pool_size = 1;
  options->timeout = std::chrono::milliseconds(3000);
  absl::StatusOr<std::unique_ptr<store::RedisPool>> redis =
      store::RedisPool::Connect(*options);
  if (!redis.ok()) {
    std::cerr << "ttadsctl: redis " << address << ": "
              << redis.status().message() << "\n";
    return 1;
  }
  auth::RedisTeamStore teams(**redis);
  absl::Status status =
      ttadsctl::Run(*args, teams, **redis, std::cout, std::cerr);
  if (!status.ok()) {
    std::cerr << "ttadsctl: " << status.ToString() << "\n";
    if (status.code() == absl::StatusCode::kInvalidArgument &&
        absl::StartsWith(status.message(), "unknown command")) {
      std::cerr << ttadsctl::Usage();
    }
    return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
