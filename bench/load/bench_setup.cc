// ttads-bench-setup: prepares a benchmark tenant on a running suite and
// prints its API key on stdout: creates a team with an owner and a key
// (straight in Redis, as ttadsctl does), then gives the owner a TikTok
// connection, either
//   - the real way, through the identity service's OAuth flow
//     (StartConnection, then CompleteConnection with --auth_code minted by
//     the simulator's POST /_sim/auth_codes), or
//   - with --access_token and --encryption_key, by writing the connection
//     encrypted into Redis directly (when no identity service runs).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/auth/redis_team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/status/grpc_status.h"
#include "libs/store/redis.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

ABSL_FLAG(std::string, redis, "127.0.0.1:6390", "Redis host:port");
ABSL_FLAG(std::string, identity_address, "",
          "identity service host:port (OAuth path)");
ABSL_FLAG(std::string, auth_code, "", "auth code minted by the simulator");
ABSL_FLAG(std::string, access_token, "",
          "simulator access token (direct path)");
ABSL_FLAG(std::string, encryption_key, "",
          "TTADS_TOKEN_ENCRYPTION_KEY (direct path)");
ABSL_FLAG(std::string, advertiser_ids, "7101000000000000001",
          "comma-separated advertisers of the token (direct path)");

namespace {

int Fail(const std::string& what, const absl::Status& s) {
  std::cerr << "ttads-bench-setup: " << what << ": " << s << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ttads;
  absl::ParseCommandLine(argc, argv);
  auto options = store::ParseRedisAddress(absl::GetFlag(FLAGS_redis));
  if (!options.ok()) return Fail("--redis", options.status());
  auto redis = store::RedisPool::Connect(*options);
  if (!redis.ok()) return Fail("redis", redis.status());
  auth::RedisTeamStore teams(**redis);
  auto team = teams.CreateTeam("Bench team", auth::kTierEnterprise, true);
  if (!team.ok()) return Fail("team", team.status());
  auto owner = teams.AddMember(team->id, "Bench Owner", auth::Role::kOwner);
  if (!owner.ok()) return Fail("member", owner.status());
  auto key = teams.IssueApiKey(team->id, owner->id);
  if (!key.ok()) return Fail("key", key.status());

  if (!absl::GetFlag(FLAGS_identity_address).empty()) {
    auto stub = identity::v1::IdentityService::NewStub(
        grpc::CreateChannel(absl::GetFlag(FLAGS_identity_address),
                            grpc::InsecureChannelCredentials()));
    auto call = [&](grpc::ClientContext* ctx) {
      ctx->AddMetadata("authorization", "Bearer " + key->plaintext);
      ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    };
    identity::v1::StartConnectionRequest start;
    start.set_redirect_uri("http://127.0.0.1/bench/callback");
    identity::v1::StartConnectionResponse started;
    grpc::ClientContext c1;
    call(&c1);
    grpc::Status s = stub->StartConnection(&c1, start, &started);
    if (!s.ok()) return Fail("StartConnection", status::FromGrpcStatus(s));
    identity::v1::CompleteConnectionRequest complete;
    complete.set_state(started.state());
    complete.set_auth_code(absl::GetFlag(FLAGS_auth_code));
    identity::v1::Connection connection;
    grpc::ClientContext c2;
    call(&c2);
    s = stub->CompleteConnection(&c2, complete, &connection);
    if (!s.ok()) return Fail("CompleteConnection", status::FromGrpcStatus(s));
  } else {
    auto aead = crypto::ParseKey(absl::GetFlag(FLAGS_encryption_key));
    if (!aead.ok()) return Fail("--encryption_key", aead.status());
    connections::RedisConnectionStore store(redis->get(), *aead);
    connections::Connection c;
    c.connection_id = "cn_bench";
    c.team_id = team->id;
    c.member_id = owner->id;
    c.create_time = absl::Now();
    for (absl::string_view id :
         absl::StrSplit(absl::GetFlag(FLAGS_advertiser_ids), ',')) {
      c.advertisers.push_back({std::string(id), ""});
    }
    auto created = store.Create(c, absl::GetFlag(FLAGS_access_token));
    if (!created.ok()) return Fail("connection", created);
  }
  std::cout << key->plaintext << std::endl;
  return 0;
}
