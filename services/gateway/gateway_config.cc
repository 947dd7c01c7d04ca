#include "services/gateway/gateway_config.h"

#include <sched.h>

#include <algorithm>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/config/common_settings.h"
#include "libs/status/status_macros.h"
#include "libs/store/redis_config.h"

namespace ttads::gateway {
namespace {

using config::Key;

std::string PackageOf(const google::protobuf::ServiceDescriptor* service) {
  // ttads.<pkg>.v1 -> <pkg>
  std::vector<std::string> parts =
      absl::StrSplit(service->file()->package(), '.');
  return parts.size() >= 2 ? parts[1] : parts[0];
}

const std::map<std::string, std::string>& LocalDefaults() {
  static const auto* defaults =
      new std::map<std::string, std::string>{{"identity", "127.0.0.1:50051"},
                                             {"preflight", "127.0.0.1:50052"},
                                             {"ads", "127.0.0.1:50053"},
                                             {"audience", "127.0.0.1:50054"},
                                             {"content", "127.0.0.1:50055"}};
  return *defaults;
}

// Packages served by another package's binary (the admin API by identity,
// the seeds' shapes of CreateAd by ads): their address defaults to that
// binary's.
const std::map<std::string, std::string>& HostedBy() {
  static const auto* hosts = new std::map<std::string, std::string>{
      {"admin", "identity"}, {"compat", "ads"}};
  return *hosts;
}

}  // namespace

std::string AddressKeyFor(const google::protobuf::ServiceDescriptor* service) {
  const std::string package = PackageOf(service);
  // A hosted package's key gets "_API": TTADS_ADMIN_ADDRESS is every
  // binary's /metrics listen address (common_settings.h), not a backend.
  return absl::StrCat("TTADS_", absl::AsciiStrToUpper(package),
                      HostedBy().count(package) > 0 ? "_API" : "", "_ADDRESS");
}

config::Schema GatewaySchema(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  config::Schema s;
  s.Add(Key::HostPort("TTADS_HTTP_ADDRESS")
            .Default("0.0.0.0:8080")
            .Help("HTTP listen address of the gateway"));
  // The Redis keys (address, ACL user, password, pool, timeout, TLS,
  // Sentinel, Cluster, WAIT) and the log keys are the services' own,
  // declared once in libs/config.
  config::AddRedisKeys(s);
  config::AddLogKeys(s);
  std::set<std::string> packages;
  for (const auto* service : services) {
    std::string package = PackageOf(service);
    if (!packages.insert(package).second) continue;
    Key key =
        Key::GrpcTarget(AddressKeyFor(service))
            .Help(absl::StrCat("gRPC address of the ", package, " service"));
    auto it = LocalDefaults().find(package);
    if (it != LocalDefaults().end()) key.Default(it->second);
    if (HostedBy().count(package) > 0) {
      s.Add(std::move(key.Help(absl::StrCat(
          "gRPC address of the ", package, " service (default: TTADS_",
          absl::AsciiStrToUpper(HostedBy().at(package)), "_ADDRESS)"))));
      continue;
    }
    s.Add(std::move(key.Required()));
  }
  s.Add(Key::Int("TTADS_GATEWAY_MAX_TIMEOUT_MS", 1, 3600000)
            .Default("30000")
            .Help("cap and default of the backend deadline"));
  s.Add(Key::Int("TTADS_GATEWAY_MAX_BODY_BYTES", 1024, int64_t{1} << 32)
            .Default(absl::StrCat(kBackendMaxMessageBytes))
            .Help("largest request body except uploads; larger → 413 "
                  "(default: the backends' gRPC receive limit)"));
  s.Add(Key::Int("TTADS_GATEWAY_MAX_UPLOAD_BYTES", 1024, int64_t{1} << 40)
            .Default("1073741824")
            .Help("largest upload body (NDJSON/CSV into a client-streaming "
                  "RPC, read as it arrives); larger → 413"));
  s.Add(Key::Int("TTADS_GATEWAY_MAX_RAW_UPLOAD_BYTES", 0, int64_t{1} << 40)
            .Default("50000000")
            .Help("largest raw upload body (audio/*, application/octet-stream "
                  "into UploadSound); larger → 413 (0 = no raw limit)"));
  s.Add(Key::Int("TTADS_GATEWAY_MAX_HEADER_BYTES", 1024, 1 << 20)
            .Default("16384")
            .Help("largest request head; larger → 431"));
  s.Add(Key::Int("TTADS_GATEWAY_READ_TIMEOUT_S", 1, 3600)
            .Default("15")
            .Help("a request must arrive whole within this time"));
  s.Add(Key::Int("TTADS_GATEWAY_IDLE_TIMEOUT_S", 1, 3600)
            .Default("30")
            .Help("idle keep-alive connections are closed after this"));
  s.Add(Key::Int("TTADS_GATEWAY_THREADS", 0, 256)
            .Default("0")
            .Help("HTTP I/O threads; 0 = one per CPU this process may run on"));
  s.Add(Key::Int("TTADS_GATEWAY_BACKEND_CHANNELS", 1, 64)
            .Default("4")
            .Help("gRPC connections per backend address, used in turn"));
  s.Add(Key::Int("TTADS_GATEWAY_BLOCKING_THREADS", 1, 256)
            .Default("4")
            .Help("threads for requests whose key, tier or quota lease must "
                  "be read from Redis (HTTP I/O threads never block)"));
  s.Add(Key::Int("TTADS_QUOTA_MAX_LEASE", 1, 100000)
            .Default("256")
            .Help("most quota units leased from Redis at once (1 = count "
                  "every call in Redis)"));
  s.Add(Key::Int("TTADS_GATEWAY_CSV_BATCH_ROWS", 1, 100000)
            .Default("1000")
            .Help("CSV rows per streamed upload message"));
  s.Add(Key::String("TTADS_QUOTA_TIERS")
            .Default("free:100,standard:5000,enterprise:0")
            .Help("monthly calls per tier, tier:limit,... (0 = unlimited)"));
  s.Add(Key::String("TTADS_QUOTA_DEFAULT_TIER")
            .Default("free")
            .Help("tier for teams whose tier is not in TTADS_QUOTA_TIERS"));
  s.Add(Key::String("TTADS_QUOTA_UPGRADE_URL")
            .Help("where the quota 429 tells people to upgrade"));
  return s;
}

namespace {

// The CPUs this process may run on (its affinity mask; in a container that
// is the cpuset, not a CPU quota).
int UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    return std::max(1, CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

absl::StatusOr<GatewaySettings> SettingsFromConfig(
    const config::Config& config,
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  GatewaySettings out;
  const std::string& http_address = config.GetString("TTADS_HTTP_ADDRESS");
  size_t colon = http_address.rfind(':');
  out.http.address = http_address.substr(0, colon);
  if (out.http.address.size() >= 2 && out.http.address.front() == '[') {
    out.http.address = out.http.address.substr(1, out.http.address.size() - 2);
  }
  out.http.port = std::stoi(http_address.substr(colon + 1));
  out.http.threads = static_cast<int>(config.GetInt("TTADS_GATEWAY_THREADS"));
  if (out.http.threads == 0) out.http.threads = UsableCpus();
  out.backend_channels =
      static_cast<int>(config.GetInt("TTADS_GATEWAY_BACKEND_CHANNELS"));
  out.gateway.blocking_threads =
      static_cast<int>(config.GetInt("TTADS_GATEWAY_BLOCKING_THREADS"));
  out.http.max_body_bytes =
      static_cast<size_t>(config.GetInt("TTADS_GATEWAY_MAX_BODY_BYTES"));
  out.http.max_streamed_body_bytes =
      static_cast<uint64_t>(config.GetInt("TTADS_GATEWAY_MAX_UPLOAD_BYTES"));
  out.http.max_header_bytes =
      static_cast<size_t>(config.GetInt("TTADS_GATEWAY_MAX_HEADER_BYTES"));
  out.http.read_timeout =
      std::chrono::seconds(config.GetInt("TTADS_GATEWAY_READ_TIMEOUT_S"));
  out.http.idle_timeout =
      std::chrono::seconds(config.GetInt("TTADS_GATEWAY_IDLE_TIMEOUT_S"));

  TTADS_ASSIGN_OR_RETURN(
      out.redis, store::RedisOptionsFrom(config::RedisSettingsFrom(config)));

  for (const auto* service : services) {
    std::string address = config.GetString(AddressKeyFor(service));
    auto host = HostedBy().find(PackageOf(service));
    if (address.empty() && host != HostedBy().end()) {
      address = config.GetString(absl::StrCat(
          "TTADS_", absl::AsciiStrToUpper(host->second), "_ADDRESS"));
    }
    out.backends[service->full_name()] = address;
  }

  auto tiers = ParseQuotaTiers(config.GetString("TTADS_QUOTA_TIERS"));
  if (!tiers.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_QUOTA_TIERS: ", tiers.status().message()));
  }
  out.quota.limits = *tiers;
  out.quota.default_tier = config.GetString("TTADS_QUOTA_DEFAULT_TIER");
  if (!out.quota.limits.count(out.quota.default_tier)) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_QUOTA_DEFAULT_TIER: \"", out.quota.default_tier,
                     "\" is not a tier of TTADS_QUOTA_TIERS"));
  }
  out.quota.upgrade_url = config.GetString("TTADS_QUOTA_UPGRADE_URL");
  out.quota.max_lease = config.GetInt("TTADS_QUOTA_MAX_LEASE");

  out.gateway.max_timeout =
      std::chrono::milliseconds(config.GetInt("TTADS_GATEWAY_MAX_TIMEOUT_MS"));
  out.gateway.csv_batch_rows =
      static_cast<int>(config.GetInt("TTADS_GATEWAY_CSV_BATCH_ROWS"));
  out.gateway.max_raw_upload_bytes =
      static_cast<size_t>(config.GetInt("TTADS_GATEWAY_MAX_RAW_UPLOAD_BYTES"));
  return out;
}

}  // namespace ttads::gateway
