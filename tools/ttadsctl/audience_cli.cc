#include "tools/ttadsctl/audience_cli.h"

#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "tools/ttadsctl/audience_jobs.h"
#include "tools/ttadsctl/interrupt.h"

namespace ttads::ttadsctl {

AudienceCli::AudienceCli(CLI::App& app) {
  audience_ = app.add_subcommand("audience", "custom audiences");
  audience_->require_subcommand(1);
  job_ = audience_->add_subcommand("job", "audience sync jobs");
  job_->require_subcommand(1);
  show_ = job_->add_subcommand(
      "show", "a sync job's state, total, done, percent and ETA");
  show_->add_option("job_id", job_id_, "the job id (SyncMembers' answer)")
      ->required();
  watch_ = job_->add_subcommand(
      "watch",
      "follow a sync job until it ends (one line, or one JSON object, per "
      "update); exit 0 when it SUCCEEDED, 1 when it FAILED, 130 on Ctrl-C");
  watch_->add_option("job_id", job_id_, "the job id")->required();
}

int AudienceCli::Run(const ApiConnection& api, const Console& console) const {
  if (watch_->parsed()) return Watch(api, console);
  absl::StatusOr<audience::v1::SyncJob> job = GetSyncJob(api, job_id_);
  if (!job.ok()) return PrintFailure(console.err, job.status());
  console.out << (console.json ? SyncJobJson(*job).dump(2) + "\n"
                               : SyncJobText(*job));
  return kExitOk;
}

int AudienceCli::Watch(const ApiConnection& api, const Console& console) const {
  grpc::ClientContext context;
  CancelOnInterrupt interrupt(&context);
  absl::StatusOr<audience::v1::SyncJob> last = WatchSyncJob(
      api, job_id_, &context, [&](const audience::v1::SyncJob& job) {
        console.out << (console.json ? SyncJobJson(job).dump() + "\n"
                                     : SyncJobLine(job));
        console.out.flush();
      });
  if (interrupt.interrupted()) {
    console.err << "ttadsctl: stopped watching " << job_id_
                << " (the job goes on)\n";
    return kExitInterrupted;
  }
  if (!last.ok()) return PrintFailure(console.err, last.status());
  if (!IsFinal(*last)) {
    console.err << "ttadsctl: the stream of " << job_id_
                << " ended before the job did; watch again\n";
    return kExitFailed;
  }
  if (last->state() == audience::v1::SYNC_JOB_STATE_FAILED) {
    console.err << "ttadsctl: job " << job_id_
                << " FAILED: " << last->error_code() << " "
                << last->error_reason() << "\n";
    for (const std::string& e : last->errors()) {
      console.err << "  " << e << "\n";
    }
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace ttads::ttadsctl
