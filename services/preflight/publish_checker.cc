#include "services/preflight/publish_checker.h"

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok/error_class.h"
#include "services/preflight/publish_response.h"

namespace ttads::preflight {
namespace {

using P = Prerequisite;

Finding& At(Findings& f, P p) { return f.by_prerequisite[static_cast<int>(p)]; }

std::string ErrorInfoReason(const absl::Status& s) {
  google::rpc::ErrorInfo info;
  if (status::GetDetail(s, &info)) return info.reason();
  return "";
}

// An upstream failure as the caller sees it: TikTok's code and request id
// when TikTok answered (directly, or relayed by the identity service).
Finding ApiError(const absl::Status& s, const std::string& what) {
  Finding f;
  f.reason = kReasonApiError;
  f.tiktok_message = std::string(s.message());
  if (auto info = tiktok::GetTikTokErrorInfo(s)) {
    f.tiktok_code = info->code;
    f.tiktok_request_id = info->request_id;
    if (!info->message.empty()) f.tiktok_message = info->message;
  } else {
    google::rpc::ErrorInfo relayed;
    if (status::GetDetail(s, &relayed)) {
      const auto& md = relayed.metadata();
      auto code = md.find("tiktok_code");
      if (code != md.end())
        (void)absl::SimpleAtoi(code->second, &f.tiktok_code);
      auto rid = md.find("tiktok_request_id");
      if (rid != md.end()) f.tiktok_request_id = rid->second;
    }
  }
  f.fix_hint = absl::StrCat(
      "Could not check the ", what, ": TikTok did not answer",
      f.tiktok_code != 0 ? absl::StrCat(" (code ", f.tiktok_code, ")") : "",
      ". Re-run the check",
      f.tiktok_request_id.empty()
          ? "."
          : absl::StrCat("; if it keeps failing, quote request id ",
                         f.tiktok_request_id, " to TikTok support."));
  return f;
}

// Errors the caller must see as errors (bad key, foreign advertiser, bad
// request) rather than as a finding.
bool IsCallerError(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
      return !tiktok::GetTikTokErrorInfo(s).has_value();
    default:
      return false;
  }
}

Finding NoToken(P p) {
  Finding f;
  f.reason = kReasonNoToken;
  f.fix_hint =
      p == P::kIdentity
          ? "Connect TikTok first. Owners and managers can also use a "
            "teammate's connection; mediabuyers need a connection of their own."
          : absl::StrCat(
                "Not checked: no TikTok connection. Connect TikTok, "
                "then re-run the check for the ",
                std::string(PrerequisiteName(p)), ".");
  return f;
}

Finding FromAssets(P p, const AssetList& list, const std::string& bc) {
  Finding f;
  f.found = list.usable;
  f.satisfied = !list.usable.empty();
  if (f.satisfied) return f;
  f.reason = kReasonNotFound;
  switch (p) {
    case P::kPixel:
      f.fix_hint =
          "Create a TikTok Pixel for this advertiser (TikTok Events Manager), "
          "then re-run the check.";
      break;
    case P::kCatalog:
      f.fix_hint = absl::StrCat(
          "Create a product catalog in Business Center ", bc,
          " (TikTok Catalog Manager) and give the advertiser access, then "
          "re-run the check.");
      break;
    case P::kApp:
      f.fix_hint =
          "Register your app for this advertiser (TikTok Ads Manager > "
          "Assets > Apps), then re-run the check.";
      break;
    case P::kLeadForm:
      f.fix_hint =
          list.unusable.empty()
              ? "Create and publish an instant form (lead form) for this "
                "advertiser in TikTok Ads Manager, then re-run the check."
              : absl::StrCat("Publish the draft instant form \"",
                             list.unusable.front().name, "\" (",
                             list.unusable.front().id,
                             ") in TikTok Ads Manager, then re-run the check.");
      break;
    case P::kIdentity:
      break;
  }
  return f;
}

std::optional<AssetType> AssetTypeOf(P p) {
  switch (p) {
    case P::kPixel:
      return AssetType::kPixel;
    case P::kCatalog:
      return AssetType::kCatalog;
    case P::kApp:
      return AssetType::kApp;
    case P::kLeadForm:
      return AssetType::kLeadForm;
    case P::kIdentity:
      return std::nullopt;
  }
  return std::nullopt;
}

absl::Status ValidateBusinessCenter(const std::string& bc) {
  if (bc.empty() || store::IsValidKeyId(bc)) return absl::OkStatus();
  return status::InvalidArgument(
      "business_center_id: not a Business Center id",
      {{"business_center_id", "must be a TikTok Business Center id (digits)"}});
}

}  // namespace

PublishChecker::PublishChecker(const connections::TokenResolver* tokens,
                               AssetSource* assets, IdentitySource* identities,
                               CheckerOptions options)
    : tokens_(tokens),
      assets_(assets),
      identities_(identities),
      options_(std::move(options)),
      cache_({.ttl = options_.result_ttl,
              .max_entries = options_.max_cached_results,
              .clock = options_.clock}) {}

absl::StatusOr<v1::PublishCheckResponse> PublishChecker::Check(
    const server::CallContext& call, const v1::PublishCheckRequest& request) {
  TTADS_ASSIGN_OR_RETURN(Objective objective,
                         ParseObjective(request.objective(), "objective"));
  TTADS_RETURN_IF_ERROR(ValidateBusinessCenter(request.business_center_id()));
  TTADS_ASSIGN_OR_RETURN(Findings findings,
                         Gather(call, request.advertiser_id(),
                                request.business_center_id(), objective.needs));
  return BuildResponse(objective, findings);
}

std::optional<absl::StatusOr<v1::PublishCheckResponse>>
PublishChecker::TryCheckFromCache(const server::CallContext& call,
                                  const v1::PublishCheckRequest& request) {
  TTADS_ASSIGN_OR_RETURN(Objective objective,
                         ParseObjective(request.objective(), "objective"));
  TTADS_RETURN_IF_ERROR(ValidateBusinessCenter(request.business_center_id()));
  auto cached =
      cache_.Find(PublishCheckCache::Key(call, request.advertiser_id(),
                                         request.business_center_id()),
                  objective.needs);
  if (cached == nullptr) return std::nullopt;
  return BuildResponse(objective, *cached);
}

absl::StatusOr<v1::BatchPublishCheckResponse> PublishChecker::CheckBatch(
    const server::CallContext& call,
    const v1::BatchPublishCheckRequest& request) {
  if (request.objectives().empty() ||
      request.objectives_size() > options_.max_batch) {
    std::string d =
        absl::StrCat("give 1 to ", options_.max_batch, " objectives, got ",
                     request.objectives_size());
    return status::InvalidArgument(absl::StrCat("objectives: ", d),
                                   {{"objectives", d}});
  }
  std::vector<Objective> objectives;
  PrerequisiteSet needs;
  for (int i = 0; i < request.objectives_size(); ++i) {
    TTADS_ASSIGN_OR_RETURN(Objective o,
                           ParseObjective(request.objectives(i),
                                          absl::StrCat("objectives[", i, "]")));
    needs.Add(o.needs);
    objectives.push_back(std::move(o));
  }
  TTADS_RETURN_IF_ERROR(ValidateBusinessCenter(request.business_center_id()));
  TTADS_ASSIGN_OR_RETURN(
      Findings findings,
      Gather(call, request.advertiser_id(), request.business_center_id(),
             needs));
  v1::BatchPublishCheckResponse out;
  for (const Objective& o : objectives) {
    *out.add_results() = BuildResponse(o, findings);
  }
  return out;
}

absl::StatusOr<Findings> PublishChecker::Gather(
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& business_center_id, PrerequisiteSet needs) {
  const std::string key =
      PublishCheckCache::Key(call, advertiser_id, business_center_id);
  if (auto cached = cache_.Find(key, needs)) return *cached;
  std::string flight_key = key;
  for (int i = 0; i < kPrerequisiteCount; ++i) {
    flight_key.push_back(needs.Has(P(i)) ? '1' : '0');
  }
  return flights_.Do(flight_key, [&]() -> absl::StatusOr<Findings> {
    auto findings = Compute(call, advertiser_id, business_center_id, needs);
    if (findings.ok()) cache_.Remember(key, *findings);
    return findings;
  });
}

absl::StatusOr<Findings> PublishChecker::Compute(
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& business_center_id, PrerequisiteSet needs) {
  Findings out;
  out.known = needs;
  out.known.Add(PrerequisiteSet::Of({P::kIdentity}));

  auto token = tokens_->Resolve({.team_id = call.caller.team_id,
                                 .member_id = call.caller.member_id,
                                 .role = call.caller.role},
                                advertiser_id);
  if (!token.ok()) {
    if (status::ReasonOf(token.status()) != "NO_TOKEN") return token.status();
    out.advertiser_id = advertiser_id;
    out.cacheable = false;
    for (int i = 0; i < kPrerequisiteCount; ++i) {
      out.by_prerequisite[i] = NoToken(P(i));
    }
    return out;
  }
  out.advertiser_id = token->advertiser_id;
  const std::string& adv = out.advertiser_id;

  // The identity list is asked for at most once, and only when needed: to
  // tell "policy rejected" from "no TT_USER", or to find the Business Center.
  std::optional<absl::StatusOr<std::vector<IdentitySource::Listed>>> listed;
  auto list =
      [&]() -> const absl::StatusOr<std::vector<IdentitySource::Listed>>& {
    if (!listed.has_value()) listed.emplace(identities_->List(call, adv));
    return *listed;
  };

  // Identity: always.
  Finding& identity = At(out, P::kIdentity);
  auto resolved = identities_->Resolve(call, adv);
  if (resolved.ok()) {
    identity.satisfied = true;
    identity.found.push_back(resolved->identity);
  } else if (IsCallerError(resolved.status())) {
    return resolved.status();
  } else if (resolved.status().code() ==
             absl::StatusCode::kFailedPrecondition) {
    const std::string reason = ErrorInfoReason(resolved.status());
    if (reason == "NO_TOKEN") {
      identity = NoToken(P::kIdentity);
      out.cacheable = false;
    } else {
      bool has_custom = false;
      if (const auto& l = list(); l.ok()) {
        for (const auto& i : *l)
          has_custom |= i.identity.type == "CUSTOMIZED_USER";
      }
      if (has_custom) {
        identity.reason = kReasonPolicyRejected;
        identity.fix_hint =
            "CUSTOMIZED_USER identities are not accepted for new ads here: "
            "authorize a TT_USER in the TikTok app or add a TikTok account to "
            "your Business Center (BC_AUTH_TT), then re-run the check.";
      } else {
        identity.reason = kReasonNoTtUser;
        identity.fix_hint =
            "Authorize a TT_USER in the TikTok app, or create a "
            "CUSTOMIZED_USER identity, then re-run the check.";
      }
    }
  } else {
    identity = ApiError(resolved.status(), "identity");
    out.cacheable = false;
  }

  // Assets: only the ones some objective needs.
  AssetQuery query{.team_id = call.caller.team_id,
                   .advertiser_id = adv,
                   .access_token = token->access_token,
                   .business_center_id = business_center_id,
                   .deadline = call.deadline};
  for (int i = 1; i < kPrerequisiteCount; ++i) {
    const P p = P(i);
    if (!needs.Has(p)) continue;
    Finding& f = At(out, p);
    if (p == P::kCatalog && query.business_center_id.empty()) {
      const auto& l = list();
      if (!l.ok()) {
        if (IsCallerError(l.status())) return l.status();
        f = ApiError(l.status(), "catalog");
        out.cacheable = false;
        continue;
      }
      for (const auto& id : *l) {
        if (!id.authorized_bc_id.empty()) {
          query.business_center_id = id.authorized_bc_id;
          break;
        }
      }
    }
    auto assets = assets_->List(query, *AssetTypeOf(p));
    if (assets.ok()) {
      f = FromAssets(p, *assets, query.business_center_id);
    } else if (status::ReasonOf(assets.status()) == "NO_BUSINESS_CENTER") {
      f.reason = kReasonNoBusinessCenter;
      f.fix_hint =
          "Catalogs live in a Business Center: add this advertiser to a "
          "Business Center (or pass business_center_id), then re-run the "
          "check.";
    } else {
      f = ApiError(assets.status(), std::string(PrerequisiteName(p)));
      out.cacheable = false;
    }
  }
  return out;
}

}  // namespace ttads::preflight
