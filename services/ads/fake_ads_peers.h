#ifndef TTADS_SERVICES_ADS_FAKE_ADS_PEERS_H_
#define TTADS_SERVICES_ADS_FAKE_ADS_PEERS_H_

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/ads/identity_client.h"
#include "services/ads/preflight_client.h"

namespace ttads::ads {

// The identity service for unit tests: resolves every ad to one configured
// identity (or to the Brand Identity asked for), records what it was asked
// and fails on demand.
class FakeIdentityClient : public IdentityClient {
 public:
  absl::StatusOr<identity::v1::ConfigureBrandIdentityResponse>
  ConfigureBrandIdentity(
      const server::CallContext&,
      const identity::v1::ConfigureBrandIdentityRequest& request) override {
    std::lock_guard<std::mutex> lock(mu);
    configured.push_back(request);
    if (!configure_error.ok()) return configure_error;
    identity::v1::ConfigureBrandIdentityResponse response;
    response.set_identity_id(brand_identity_id);
    response.set_created(true);
    return response;
  }
  absl::StatusOr<identity::v1::BrandIdentity> GetBrandIdentity(
      const server::CallContext&, const std::string&) override {
    std::lock_guard<std::mutex> lock(mu);
    if (brand_identity_id.empty()) return absl::NotFoundError("no brand");
    identity::v1::BrandIdentity brand;
    brand.set_identity_id(brand_identity_id);
    return brand;
  }
  absl::StatusOr<identity::v1::ResolveIdentityResponse> ResolveIdentity(
      const server::CallContext&,
      const identity::v1::ResolveIdentityRequest& request) override {
    std::lock_guard<std::mutex> lock(mu);
    resolved.push_back(request);
    if (!resolve_error.ok()) return resolve_error;
    identity::v1::ResolveIdentityResponse response;
    response.set_advertiser_id(request.advertiser_id().empty()
                                   ? account_advertiser_id
                                   : request.advertiser_id());
    common::v1::Identity* id = response.mutable_identity();
    if (!request.identity_id().empty()) {
      id->set_identity_id(request.identity_id());
      id->set_identity_type(request.identity_type());
    } else {
      id->set_identity_id(identity_id);
      id->set_identity_type(identity_type);
    }
    return response;
  }
  absl::StatusOr<std::string> AuthorizedBc(const server::CallContext&,
                                           const std::string&,
                                           const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu);
    bc_asked.push_back(id);
    return bc_id;
  }

  std::mutex mu;
  // What ResolveIdentity answers without an explicit identity.
  std::string identity_id = "6900000000000000001";
  common::v1::IdentityType identity_type = common::v1::IDENTITY_TYPE_TT_USER;
  // The advertiser of the account when the request names none.
  std::string account_advertiser_id;
  std::string brand_identity_id = "6900000000000000777";
  std::string bc_id = "7300000000000000001";
  absl::Status resolve_error;
  absl::Status configure_error;
  std::vector<identity::v1::ResolveIdentityRequest> resolved;
  std::vector<identity::v1::ConfigureBrandIdentityRequest> configured;
  std::vector<std::string> bc_asked;
};

// The preflight service for unit tests: ready unless `missing` is set.
class FakePreflightClient : public PreflightClient {
 public:
  absl::StatusOr<preflight::v1::PublishCheckResponse> PublishCheck(
      const server::CallContext&, const std::string&,
      const std::string& objective) override {
    std::lock_guard<std::mutex> lock(mu);
    objectives.push_back(objective);
    if (!error.ok()) return error;
    preflight::v1::PublishCheckResponse response;
    response.set_ready(missing.empty());
    for (const auto& m : missing) response.add_missing(m);
    return response;
  }

  std::mutex mu;
  std::vector<std::string> missing;
  absl::Status error;
  std::vector<std::string> objectives;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_FAKE_ADS_PEERS_H_
