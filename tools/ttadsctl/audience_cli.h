#ifndef TTADS_TOOLS_TTADSCTL_AUDIENCE_CLI_H_
#define TTADS_TOOLS_TTADSCTL_AUDIENCE_CLI_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "tools/ttadsctl/api_connection.h"
#include "tools/ttadsctl/cli_output.h"

// `ttadsctl audience job show JOB` and `audience job watch JOB`, through
// the audience service (audience_jobs.h).
namespace ttads::ttadsctl {

class AudienceCli {
 public:
  // Adds `audience job show|watch` to `app`. `app` keeps pointers into this
  // object: it must not move.
  explicit AudienceCli(CLI::App& app);
  AudienceCli(const AudienceCli&) = delete;
  AudienceCli& operator=(const AudienceCli&) = delete;

  // `audience` and `audience job` (they take a subcommand).
  std::vector<CLI::App*> groups() const { return {audience_, job_}; }
  bool parsed() const { return show_->parsed() || watch_->parsed(); }

  // show: the job as text or (indented) JSON, kExitOk.
  // watch: each update as it comes (a SyncJobLine, or one JSON object per
  // line), until the job ends or Ctrl-C; kExitOk when it SUCCEEDED,
  // kExitFailed with its error code, reason and errors on stderr when it
  // FAILED or the stream ended before the job did, kExitInterrupted on
  // Ctrl-C/SIGTERM (the job goes on).
  // The service's errors through PrintFailure.
  int Run(const ApiConnection& api, const Console& console) const;

 private:
  int Watch(const ApiConnection& api, const Console& console) const;

  std::string job_id_;
  CLI::App* audience_;
  CLI::App* job_;
  CLI::App* show_;
  CLI::App* watch_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_AUDIENCE_CLI_H_
