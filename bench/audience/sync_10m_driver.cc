// Load driver for bench/audience/sync_10m.sh: sets up a team, an API key and
// a TikTok connection in Redis, creates an audience through the audience
// service, streams N email identifiers through SyncMembers, waits for the
// job to finish and prints timings as key=value lines.
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "libs/auth/redis_team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/contracts/enum_names.h"
#include "libs/crypto/sealing.h"
#include "libs/store/redis.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

ABSL_FLAG(std::string, redis, "127.0.0.1:6390", "Redis host:port");
ABSL_FLAG(std::string, encryption_key, "", "TTADS_TOKEN_ENCRYPTION_KEY");
ABSL_FLAG(std::string, audience, "127.0.0.1:50054", "audience service");
ABSL_FLAG(std::string, token, "", "TikTok access token for the advertiser");
ABSL_FLAG(std::string, advertiser, "7101000000000000001", "advertiser id");
ABSL_FLAG(int64_t, n, 10000000, "identifiers to sync");
ABSL_FLAG(int, per_message, 5000, "identifiers per stream message");

namespace v1 = ttads::audience::v1;

int Fail(const std::string& what) {
  std::cerr << "sync_10m_driver: " << what << "\n";
  return 1;
}

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto opts = ttads::store::ParseRedisAddress(absl::GetFlag(FLAGS_redis));
  if (!opts.ok()) return Fail(std::string(opts.status().message()));
  auto pool = ttads::store::RedisPool::Connect(*opts);
  if (!pool.ok()) return Fail(std::string(pool.status().message()));
  ttads::auth::RedisTeamStore teams(**pool);
  auto team = teams.CreateTeam("bench", "enterprise", true);
  if (!team.ok()) return Fail(std::string(team.status().message()));
  auto owner = teams.AddMember(team->id, "owner", ttads::auth::Role::kOwner);
  if (!owner.ok()) return Fail(std::string(owner.status().message()));
  auto key = teams.IssueApiKey(team->id, owner->id);
  if (!key.ok()) return Fail(std::string(key.status().message()));
  auto aead = ttads::crypto::ParseKey(absl::GetFlag(FLAGS_encryption_key));
  if (!aead.ok()) return Fail("bad --encryption_key");
  ttads::connections::RedisConnectionStore conns(pool->get(), *aead);
  ttads::connections::Connection c;
  c.connection_id = "conn_bench";
  c.team_id = team->id;
  c.member_id = owner->id;
  c.advertisers = {{absl::GetFlag(FLAGS_advertiser), "bench"}};
  c.create_time = absl::Now();
  if (auto s = conns.Create(c, absl::GetFlag(FLAGS_token)); !s.ok()) {
    return Fail(std::string(s.message()));
  }

  auto stub = v1::AudienceService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_audience), grpc::InsecureChannelCredentials()));
  const std::string bearer = "Bearer " + key->plaintext;
  v1::Audience audience;
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    v1::CreateAudienceRequest req;
    req.set_advertiser_id(absl::GetFlag(FLAGS_advertiser));
    req.mutable_audience()->set_name("bench 10m");
    req.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
    grpc::Status s = stub->CreateAudience(&ctx, req, &audience);
    if (!s.ok()) return Fail("CreateAudience: " + s.error_message());
  }
  const int64_t n = absl::GetFlag(FLAGS_n);
  const int per = absl::GetFlag(FLAGS_per_message);
  const absl::Time start = absl::Now();
  v1::SyncJob job;
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    auto writer = stub->SyncMembers(&ctx, &job);
    v1::SyncMembersRequest req;
    req.set_advertiser_id(absl::GetFlag(FLAGS_advertiser));
    req.set_audience_id(audience.audience_id());
    req.set_operation(v1::MEMBER_OPERATION_ADD);
    char buf[64];
    for (int64_t i = 0; i < n;) {
      auto* b = req.add_batches();
      b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
      for (int k = 0; k < per && i < n; ++k, ++i) {
        const int len =
            std::snprintf(buf, sizeof(buf), "Member.%09lld+x@Example.com",
                          static_cast<long long>(i));
        b->add_values(buf, len);
      }
      if (!writer->Write(req)) break;
      req.Clear();
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (!s.ok()) return Fail("SyncMembers: " + s.error_message());
  }
  const absl::Time received = absl::Now();
  for (;;) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    v1::GetSyncJobRequest req;
    req.set_job_id(job.job_id());
    grpc::Status s = stub->GetSyncJob(&ctx, req, &job);
    if (!s.ok()) return Fail("GetSyncJob: " + s.error_message());
    if (job.state() == v1::SYNC_JOB_STATE_SUCCEEDED ||
        job.state() == v1::SYNC_JOB_STATE_FAILED)
      break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  const absl::Time done = absl::Now();
  const double recv_s = absl::ToDoubleSeconds(received - start);
  const double total_s = absl::ToDoubleSeconds(done - start);
  std::cout << "job_state=" << ttads::contracts::ShortName(job.state()) << "\n"
            << "received=" << job.received() << "\n"
            << "uploaded=" << job.uploaded().at("EMAIL") << "\n"
            << "files=" << job.files_uploaded() << "\n"
            << "receive_seconds=" << recv_s << "\n"
            << "receive_rate=" << static_cast<int64_t>(n / recv_s) << "\n"
            << "total_seconds=" << total_s << "\n"
            << "end_to_end_rate=" << static_cast<int64_t>(n / total_s) << "\n";
  for (const auto& e : job.errors()) std::cout << "error=" << e << "\n";
  return job.state() == v1::SYNC_JOB_STATE_SUCCEEDED ? 0 : 2;
}
