#include "services/identity/identity_listing.h"

#include <functional>
#include <set>

#include "libs/status/status_macros.h"

namespace ttads::identity {
namespace {

using common::v1::Identity;
using IdentitySink = std::function<void(Identity)>;

// Reads one listing (`request` without its page) into `sink`, each identity
// once; returns the number of pages read.
absl::StatusOr<int> ReadListing(TikTokIdentityApi& tiktok,
                                const std::string& access_token,
                                IdentityPageRequest request,
                                absl::Time deadline, const IdentitySink& sink) {
  const bool typed = request.type != common::v1::IDENTITY_TYPE_UNSPECIFIED;
  request.page_size = kIdentityPageSize;
  std::set<std::string> seen;
  int pages = 0;
  for (request.page = 1; request.page <= kMaxIdentityPages; ++request.page) {
    TTADS_ASSIGN_OR_RETURN(
        IdentityPage page,
        tiktok.ListIdentityPage(access_token, request, deadline));
    ++pages;
    bool fresh = false;
    for (auto& identity : page.identities) {
      if (!seen.insert(identity.identity_id()).second) continue;
      fresh = true;
      sink(std::move(identity));
    }
    if (!typed) {
      const bool short_page =
          page.identities.size() < static_cast<size_t>(kIdentityPageSize);
      if (short_page || !fresh) break;
      continue;
    }
    if (request.page >= page.total_page) break;
  }
  return pages;
}

}  // namespace

absl::StatusOr<std::vector<Identity>> ListEveryIdentity(
    TikTokIdentityApi& tiktok, const std::string& access_token,
    const std::string& advertiser_id, absl::Time deadline) {
  // The untyped listing first: its items are right, only its page_info is
  // not.
  std::vector<Identity> untyped;
  std::set<std::string> bcs;
  IdentityPageRequest request;
  request.advertiser_id = advertiser_id;
  TTADS_ASSIGN_OR_RETURN(
      int pages,
      ReadListing(tiktok, access_token, request, deadline,
                  [&](Identity identity) {
                    if (identity.identity_type() ==
                            common::v1::IDENTITY_TYPE_BC_AUTH_TT &&
                        !identity.identity_authorized_bc_id().empty()) {
                      bcs.insert(identity.identity_authorized_bc_id());
                    }
                    untyped.push_back(std::move(identity));
                  }));
  if (pages == 1 && untyped.size() < static_cast<size_t>(kIdentityPageSize)) {
    return untyped;
  }
  std::vector<Identity> out;
  std::set<std::string> ids;
  auto keep = [&](Identity identity) {
    if (ids.insert(identity.identity_id()).second) {
      out.push_back(std::move(identity));
    }
  };
  for (common::v1::IdentityType type :
       {common::v1::IDENTITY_TYPE_TT_USER,
        common::v1::IDENTITY_TYPE_CUSTOMIZED_USER,
        common::v1::IDENTITY_TYPE_AUTH_CODE}) {
    request.type = type;
    TTADS_RETURN_IF_ERROR(
        ReadListing(tiktok, access_token, request, deadline, keep));
  }
  request.type = common::v1::IDENTITY_TYPE_BC_AUTH_TT;
  for (const auto& bc : bcs) {
    request.authorized_bc_id = bc;
    TTADS_RETURN_IF_ERROR(
        ReadListing(tiktok, access_token, request, deadline, keep));
  }
  return out;
}

}  // namespace ttads::identity
