#include "tools/tiktok_sim/sim.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/status_macros.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::tiktok_sim {

TikTokSim::TikTokSim(Options options)
    : options_(std::move(options)),
      routes_(AllRoutes()),
      tier_(options_.tier),
      contract_(Contract::Embedded()) {
  state_.app_id = options_.app_id;
  state_.app_secret = options_.app_secret;
  state_.auth_code_ttl = options_.auth_code_ttl;
}

absl::StatusOr<std::unique_ptr<TikTokSim>> TikTokSim::Start(Options options) {
  std::unique_ptr<TikTokSim> sim(new TikTokSim(std::move(options)));
  TTADS_RETURN_IF_ERROR(sim->Reset(sim->options_.seed));
  http::HttpServer::Options http_options;
  http_options.address = sim->options_.address;
  http_options.port = sim->options_.port;
  http_options.threads = sim->options_.threads;
  // Video uploads can be large; TikTok allows 500 MB, the sim 64 MB.
  http_options.max_body_bytes = 64 * 1024 * 1024;
  TikTokSim* self = sim.get();
  sim->server_ = std::make_unique<http::HttpServer>(
      http_options, [self](http::HttpRequest req, http::HttpResponder r) {
        self->Handle(std::move(req), std::move(r));
      });
  TTADS_RETURN_IF_ERROR(sim->server_->Start());
  return sim;
}

TikTokSim::~TikTokSim() {
  if (server_) server_->Stop();
}

int TikTokSim::port() const { return server_->port(); }

std::string TikTokSim::root_url() const {
  return absl::StrCat("http://", options_.address, ":", port());
}

void TikTokSim::ServeMedia(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.media_root = on ? root_url() : "";
}

std::string TikTokSim::base_url() const {
  return absl::StrCat(root_url(), "/open_api/v1.3/");
}

absl::Status TikTokSim::Reset(const std::string& seed) {
  std::lock_guard<std::mutex> lock(mu_);
  return ResetLocked(seed);
}

absl::Status TikTokSim::ResetLocked(const std::string& seed) {
  if (seed == "demo") {
    seed::LoadDemo(state_);
  } else if (seed == "empty") {
    state_.Clear();
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("seed: must be demo or empty, got \"", seed, "\""));
  }
  faults_.Clear();
  limiter_.Clear();
  calls_.clear();
  return absl::OkStatus();
}

std::string TikTokSim::MintAuthCode(
    const std::vector<std::string>& advertiser_ids, std::chrono::seconds ttl,
    std::vector<int> scopes) {
  std::lock_guard<std::mutex> lock(mu_);
  return MintAuthCodeLocked(advertiser_ids, ttl, std::move(scopes));
}

std::string TikTokSim::MintAuthCodeLocked(const std::vector<std::string>& ids,
                                          std::chrono::seconds ttl,
                                          std::vector<int> scopes) {
  if (scopes.empty()) scopes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::string code = state_.NewSecret("");
  state_.auth_codes[code] = {ids, std::move(scopes),
                             std::chrono::system_clock::now() + ttl, false};
  return code;
}

std::string TikTokSim::IssueAccessToken(
    const std::vector<std::string>& advertiser_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string token = state_.NewSecret("act.");
  state_.tokens[token] = {state_.app_id, advertiser_ids, {1, 2, 3}, false};
  return token;
}

int TikTokSim::AddFault(const FaultRule& rule) {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_.Add(rule);
}

void TikTokSim::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.Clear();
}

nlohmann::json TikTokSim::Faults() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_.ToJson();
}

void TikTokSim::SetTier(Tier tier) {
  std::lock_guard<std::mutex> lock(mu_);
  tier_ = tier;
  limiter_.Clear();
}

Tier TikTokSim::tier() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tier_;
}

TikTokSim::Stats TikTokSim::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return StatsLocked();
}

void TikTokSim::RecordViolationLocked(const std::string& path,
                                      const std::string& message) {
  ++violations_[path];
  ++violations_total_;
  if (violation_log_.size() == 100) {
    violation_log_.erase(violation_log_.begin());
  }
  violation_log_.push_back(absl::StrCat(path, " ", message));
}

int64_t TikTokSim::violations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return violations_total_;
}

std::vector<std::string> TikTokSim::violation_log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return violation_log_;
}

void TikTokSim::ExpectViolations(int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  violations_expected_ += n;
}

void TikTokSim::ForgiveViolations() {
  std::lock_guard<std::mutex> lock(mu_);
  violations_expected_ = violations_total_;
}

absl::Status TikTokSim::CheckViolations() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (violations_total_ <= violations_expected_) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(violations_total_, " TikTok contract violation(s), ",
                   violations_expected_, " expected; the last ones:\n  ",
                   absl::StrJoin(violation_log_, "\n  ")));
}

TikTokSim::Stats TikTokSim::StatsLocked() const {
  Stats s;
  s.calls = calls_;
  s.violations = violations_;
  s.identities = state_.identities.size();
  s.images = state_.images.size();
  s.videos = state_.videos.size();
  s.ads = state_.ads.size();
  for (const auto& [id, a] : state_.audiences) {
    if (a.deleted) continue;
    ++s.audiences;
    s.audience[id] = {a.members.size(), a.digests_received};
  }
  for (const auto& [path, f] : state_.audience_files) {
    s.digests_uploaded += f.digests.size();
  }
  return s;
}

nlohmann::json TikTokSim::Stats::ToJson() const {
  nlohmann::json calls_json = nlohmann::json::object();
  for (const auto& [path, c] : calls) {
    calls_json[path] = {{"total", c.total}, {"ok", c.ok}};
  }
  nlohmann::json audiences_json = nlohmann::json::object();
  for (const auto& [id, a] : audience) {
    audiences_json[id] = {{"members", a.members},
                          {"digests_received", a.digests_received}};
  }
  nlohmann::json violations_json = nlohmann::json::object();
  int64_t total = 0;
  for (const auto& [path, n] : violations) {
    violations_json[path] = n;
    total += n;
  }
  return {{"calls", calls_json},
          {"contract_violations", violations_json},
          {"contract_violations_total", total},
          {"objects",
           {{"identities", identities},
            {"images", images},
            {"videos", videos},
            {"ads", ads},
            {"audiences", audiences}}},
          {"digests_uploaded", digests_uploaded},
          {"audiences", audiences_json}};
}

nlohmann::json TikTokSim::DumpAdvertiser(
    const std::string& advertiser_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  const SimState& s = state_;
  auto it = s.advertisers.find(advertiser_id);
  if (it == s.advertisers.end()) return nullptr;
  auto list = [&](const std::map<std::string, Json>& m) {
    return Json(SimState::OfAdvertiser(m, advertiser_id));
  };
  Json audiences = Json::array();
  for (const auto& [id, a] : s.audiences) {
    if (a.advertiser_id != advertiser_id) continue;
    Json j = a.info;
    j["members"] = a.members.size();
    j["digests_received"] = a.digests_received;
    j["deleted"] = a.deleted;
    audiences.push_back(j);
  }
  Json files = Json::array();
  for (const auto& [path, f] : s.audience_files) {
    if (f.advertiser_id != advertiser_id) continue;
    files.push_back({{"file_path", path},
                     {"calculate_type", f.calculate_type},
                     {"digests", f.digests.size()}});
  }
  return {{"advertiser", it->second},
          {"identities", list(s.identities)},
          {"images", list(s.images)},
          {"videos", list(s.videos)},
          {"campaigns", list(s.campaigns)},
          {"adgroups", list(s.adgroups)},
          {"ads", list(s.ads)},
          {"pixels", list(s.pixels)},
          {"apps", list(s.apps)},
          {"pages", list(s.pages)},
          {"audiences", audiences},
          {"audience_files", files}};
}

std::string Envelope(int code, const std::string& message,
                     const std::string& request_id,
                     const nlohmann::json& data) {
  nlohmann::json j = {{"code", code},
                      {"message", message},
                      {"request_id", request_id},
                      {"data", data}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ttads::tiktok_sim
