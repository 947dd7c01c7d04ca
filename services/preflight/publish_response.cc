#include "services/preflight/publish_response.h"

#include <string>

namespace ttads::preflight {
namespace {

using P = Prerequisite;

void FillCheck(P p, bool required, const Finding& f, v1::Prerequisite* out) {
  out->set_name(std::string(PrerequisiteName(p)));
  out->set_required(required);
  out->set_satisfied(f.satisfied);
  for (const FoundAsset& a : f.found) {
    v1::Asset* asset = out->add_found();
    asset->set_id(a.id);
    asset->set_name(a.name);
    asset->set_type(a.type);
  }
  out->set_reason(f.reason);
  out->set_fix_hint(f.fix_hint);
  if (f.reason == kReasonApiError) {
    out->mutable_tiktok_error()->set_code(f.tiktok_code);
    out->mutable_tiktok_error()->set_message(f.tiktok_message);
    out->mutable_tiktok_error()->set_request_id(f.tiktok_request_id);
  }
}

// A prerequisite is "missing" when the check established that it is absent.
// Unverified ones (api_error; no_token on assets) make the answer not ready
// without being listed as missing.
bool IsMissing(P p, const Finding& f) {
  if (f.satisfied || f.reason == kReasonApiError) return false;
  if (f.reason == kReasonNoToken) return p == P::kIdentity;
  return true;
}

}  // namespace

v1::PublishCheckResponse BuildResponse(const Objective& objective,
                                       const Findings& findings) {
  v1::PublishCheckResponse out;
  out.set_objective(objective.name);
  out.set_advertiser_id(findings.advertiser_id);
  bool ready = true;
  for (int i = 0; i < kPrerequisiteCount; ++i) {
    const P p = P(i);
    if (!objective.needs.Has(p)) continue;
    const Finding& f = findings.by_prerequisite[i];
    FillCheck(p, true, f, out.add_checks());
    if (!f.satisfied) ready = false;
    if (IsMissing(p, f)) out.add_missing(std::string(PrerequisiteName(p)));
  }
  out.set_ready(ready);
  return out;
}

}  // namespace ttads::preflight
