#include "services/ads/ad_creator.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/contracts/enum_names.h"
#include "libs/idempotency/request_digest.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/error_class.h"
#include "libs/trace/trace_context.h"
#include "services/ads/ad_name.h"

namespace ttads::ads {

absl::StatusOr<std::vector<connections::AdvertiserRef>>
AdCreator::ReachableAdvertisers(const server::CallContext& call) {
  TTADS_ASSIGN_OR_RETURN(std::vector<connections::Connection> list,
                         deps_.connections->List(call.caller.team_id));
  const bool borrow = connections::TokenResolver::MayBorrow(call.caller.role);
  std::vector<connections::AdvertiserRef> out;
  std::set<std::string> seen;
  for (const auto& c : list) {
    if (!c.active()) continue;
    if (c.member_id != call.caller.member_id && !borrow) continue;
    for (const auto& a : c.advertisers) {
      if (seen.insert(a.advertiser_id).second) out.push_back(a);
    }
  }
  return out;
}

void AdCreator::Create(const server::CallContext& call, const v1::AdInput& req,
                       v1::AdCreation* out, Done done) {
  auto keyed =
      std::make_shared<const compat::v1::CreateAdRequest>(KeyedRequest(req));
  Create(
      call, req, CoreWords(req), *keyed, out,
      [keyed, done = std::move(done)](absl::Status s) { done(std::move(s)); });
}

void AdCreator::Create(const server::CallContext& call, const v1::AdInput& req,
                       AdWords words, const google::protobuf::Message& sent,
                       v1::AdCreation* out, Done done) {
  auto a = std::make_shared<Attempt>();
  a->call = call;
  a->request = &req;
  a->words = std::move(words);
  a->sent = &sent;
  a->out = out;
  a->done = std::move(done);
  if (absl::Status valid = Validate(*a); !valid.ok()) return a->done(valid);
  absl::StatusOr<std::string> advertiser = PickAdvertiser(*a);
  if (!advertiser.ok()) return a->done(advertiser.status());
  a->advertiser = *std::move(advertiser);
  // validate_only creates nothing: it neither claims nor replays.
  idempotency::IdempotencyStore* store =
      req.validate_only() ? nullptr : deps_.idempotency;
  idempotency::AsyncOperation op;
  op.apply = [this, a](std::shared_ptr<idempotency::Attempt> claim,
                       google::protobuf::Message*,
                       std::function<void(absl::Status)> applied) {
    a->claim = std::move(claim);
    a->applied = std::move(applied);
    Apply(a);
  };
  idempotency::RunOnceAsync(
      store, {call.caller.team_id, "ads.CreateAd", req.request_id()},
      idempotency::RequestDigest(sent), call.deadline, out, op,
      [a](absl::Status s, idempotency::RunResult result) {
        if (s.ok() && result.replayed) a->out->set_replayed(true);
        Done done = std::move(a->done);
        // Break the cycle a -> applied -> a.
        a->applied = nullptr;
        done(std::move(s));
      });
}

void AdCreator::Apply(std::shared_ptr<Attempt> a) {
  absl::StatusOr<Next> next = Prepare(a);
  if (!next.ok()) return Finish(a, next.status());
  if (*next == Next::kReply) return Finish(a, absl::OkStatus());
  if (!a->claim->earlier_intent().empty()) {
    return ReconcileFirst(a, a->claim->earlier_intent());
  }
  SendFirst(std::move(a));
}

absl::StatusOr<AdCreator::Next> AdCreator::Prepare(
    const std::shared_ptr<Attempt>& a) {
  TTADS_RETURN_IF_ERROR(ResolveIdentity(*a, a->advertiser));
  a->out->set_advertiser_id(a->access.advertiser_id);
  *a->out->mutable_identity() = a->identity;
  a->out->set_ad_format(a->validated.ad_format);
  a->out->set_call_to_action(a->validated.call_to_action);
  for (const auto& n : a->validated.notes) a->out->add_notes(n);
  if (a->request->validate_only()) {
    TTADS_RETURN_IF_ERROR(Preflight(*a));
    a->out->set_validated_only(true);
    return Next::kReply;
  }
  TTADS_ASSIGN_OR_RETURN(Media media, UploadMedia(*a));
  ComposeCreative(*a, std::move(media));
  return Next::kSend;
}

absl::Status AdCreator::Validate(Attempt& a) {
  TTADS_ASSIGN_OR_RETURN(a.validated, ValidateCreateAd(*a.request, a.words,
                                                       deps_.http_media_hosts));
  a.request_hash = CreateRequestHash(*a.sent);
  return absl::OkStatus();
}

absl::StatusOr<std::string> AdCreator::PickAdvertiser(Attempt& a) {
  const v1::AdInput& req = *a.request;
  if (!req.advertiser_id().empty() || !req.account_id().empty()) {
    return req.advertiser_id();
  }
  TTADS_ASSIGN_OR_RETURN(std::vector<connections::AdvertiserRef> reachable,
                         ReachableAdvertisers(a.call));
  if (reachable.size() == 1) return reachable[0].advertiser_id;
  if (reachable.empty()) return std::string();
  std::string msg = absl::StrCat(
      "You have ", reachable.size(),
      " tiktok_ads accounts connected. Please specify which account to use "
      "by passing the advertiser_id parameter:");
  for (const auto& r : reachable) {
    absl::StrAppend(
        &msg, "\n - ",
        r.advertiser_name.empty() ? r.advertiser_id : r.advertiser_name,
        " (advertiser_id=\"", r.advertiser_id, "\")");
  }
  return status::InvalidArgument(
      msg,
      {{"advertiser_id", "required: the caller reaches several advertisers"}},
      "ADVERTISER_REQUIRED");
}

absl::Status AdCreator::ResolveIdentity(Attempt& a,
                                        const std::string& advertiser_id) {
  const v1::AdInput& req = *a.request;
  // Inline Brand Identity (Zernio), then identity resolution. Opting in to
  // the Brand Identity (inline, or identity_type CUSTOMIZED_USER with an
  // account) makes it the explicit identity of this ad.
  std::string brand_identity_id;
  if (req.has_brand_identity()) {
    identity::v1::ConfigureBrandIdentityRequest breq;
    breq.set_account_id(req.account_id());
    breq.set_display_name(req.brand_identity().display_name());
    breq.set_image_url(req.brand_identity().image_url());
    TTADS_ASSIGN_OR_RETURN(
        identity::v1::ConfigureBrandIdentityResponse brand,
        deps_.identity->ConfigureBrandIdentity(a.call, breq));
    a.out->add_notes(absl::StrCat("brand identity ", brand.identity_id(),
                                  brand.created() ? " created" : " unchanged"));
    brand_identity_id = brand.identity_id();
  } else if (req.identity_type() == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER &&
             req.identity_id().empty() && !req.account_id().empty()) {
    auto brand = deps_.identity->GetBrandIdentity(a.call, req.account_id());
    if (brand.ok()) brand_identity_id = brand->identity_id();
  }
  identity::v1::ResolveIdentityRequest ireq;
  ireq.set_advertiser_id(advertiser_id);
  ireq.set_account_id(req.account_id());
  ireq.set_identity_id(req.identity_id());
  if (req.identity_type() != common::v1::IDENTITY_TYPE_CUSTOMIZED_USER ||
      !req.identity_id().empty()) {
    ireq.set_identity_type(req.identity_type());
  }
  if (!brand_identity_id.empty()) {
    ireq.set_identity_id(brand_identity_id);
    ireq.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  }
  ireq.set_allow_customized_user(a.validated.customized_user_opt_in);
  ireq.set_spark_ad(!req.tiktok_item_id().empty());
  TTADS_ASSIGN_OR_RETURN(identity::v1::ResolveIdentityResponse resolved,
                         deps_.identity->ResolveIdentity(a.call, ireq));
  if (a.validated.customized_user_opt_in &&
      resolved.identity().identity_type() !=
          common::v1::IDENTITY_TYPE_CUSTOMIZED_USER) {
    a.out->add_notes("identity: a " +
                     contracts::ShortName(resolved.identity().identity_type()) +
                     " is preferred over the CUSTOMIZED_USER opt-in");
  }
  const std::string chosen = resolved.advertiser_id().empty()
                                 ? advertiser_id
                                 : resolved.advertiser_id();
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         deps_.tokens->For(a.call, chosen));
  a.access = {chosen, access.token};
  a.identity = resolved.identity();
  return absl::OkStatus();
}

absl::Status AdCreator::Preflight(Attempt& a) {
  const v1::AdInput& req = *a.request;
  // The ad group must exist; its campaign's objective drives the preflight.
  TTADS_ASSIGN_OR_RETURN(
      std::optional<TikTokAdGroup> group,
      deps_.tiktok->GetAdGroup(a.access, req.adgroup_id(), a.call.deadline));
  if (!group.has_value()) {
    return status::InvalidArgument(
        "ad group " + req.adgroup_id() + " does not exist in advertiser " +
            a.access.advertiser_id,
        {{"adgroup_id", "not found in this advertiser"}});
  }
  std::string objective = group->objective_type;
  if (objective.empty()) {
    auto campaign = deps_.tiktok->CampaignObjective(
        a.access, group->campaign_id, a.call.deadline);
    if (campaign.ok()) objective = *campaign;
  }
  if (deps_.preflight == nullptr || objective.empty()) {
    a.out->add_notes("preflight skipped: no preflight service configured");
    return absl::OkStatus();
  }
  auto check =
      deps_.preflight->PublishCheck(a.call, a.access.advertiser_id, objective);
  if (check.ok() && !check->ready()) {
    return status::PreconditionFailed(
        absl::StrCat("the advertiser is not ready to publish ", objective,
                     " ads; missing: ", absl::StrJoin(check->missing(), ", ")),
        "PREFLIGHT", a.access.advertiser_id,
        absl::StrJoin(check->missing(), ", "));
  }
  a.out->add_notes(check.ok() ? "preflight " + objective + ": ready"
                              : absl::StrCat("preflight skipped: ",
                                             check.status().message()));
  return absl::OkStatus();
}

absl::StatusOr<AdCreator::Media> AdCreator::UploadMedia(Attempt& a) {
  const v1::AdInput& req = *a.request;
  const ValidatedAd& v = a.validated;
  const std::string& token = a.access.token;
  const std::string& advertiser = a.access.advertiser_id;
  const absl::Time deadline = a.call.deadline;
  Media media{req.video_id(), {req.image_ids().begin(), req.image_ids().end()}};
  if (v.source == CreativeSource::kVideoUrl) {
    TTADS_ASSIGN_OR_RETURN(
        v1::Video video,
        deps_.creatives->UploadVideo(token, advertiser, req.video_url(), "", "",
                                     deadline));
    media.video_id = video.video_id();
    if (!video.cover_image_id().empty()) {
      media.image_ids.push_back(video.cover_image_id());
    } else if (v.ad_format == "SINGLE_VIDEO") {
      // The upload answer had no cover URL; ask /file/video/ad/info/.
      TTADS_ASSIGN_OR_RETURN(v1::Image cover,
                             deps_.creatives->CoverOfVideo(
                                 token, advertiser, media.video_id, deadline));
      media.image_ids.push_back(cover.image_id());
    }
  } else if (v.slideshow) {
    TTADS_ASSIGN_OR_RETURN(
        UploadedSlideshow show,
        deps_.creatives->UploadSlideshow(
            token, advertiser,
            {req.image_urls().begin(), req.image_urls().end()},
            {req.image_ids().begin(), req.image_ids().end()}, deadline));
    media.video_id = show.video_id;
    media.image_ids = {show.cover_image_id};
    a.out->add_notes(absl::StrFormat(
        "slideshow: rendered %d images into a %dx%d H.264 video of %.1f s "
        "(%.1f s each), uploaded as video %s with the first slide as cover "
        "image %s; ad_format SINGLE_VIDEO",
        show.images, show.render.width, show.render.height,
        show.render.plan.duration_seconds, show.render.plan.seconds_per_image,
        show.video_id, show.cover_image_id));
  } else if (v.source == CreativeSource::kVideoId &&
             v.ad_format == "SINGLE_VIDEO" && media.image_ids.empty()) {
    // Non-Spark SINGLE_VIDEO needs one cover image (Create ads, image_ids).
    TTADS_ASSIGN_OR_RETURN(v1::Image cover,
                           deps_.creatives->CoverOfVideo(
                               token, advertiser, media.video_id, deadline));
    media.image_ids.push_back(cover.image_id());
    a.out->add_notes(absl::StrCat(
        "cover: the video's own cover uploaded as image ", cover.image_id()));
  } else if (v.source == CreativeSource::kImageUrls) {
    for (int i = 0; i < req.image_urls_size(); ++i) {
      TTADS_ASSIGN_OR_RETURN(
          v1::Image img, deps_.creatives->UploadImageUrl(
                             token, advertiser, req.image_urls(i),
                             absl::StrCat("image_urls[", i, "]"), deadline));
      media.image_ids.push_back(img.image_id());
    }
  }
  return media;
}

void AdCreator::ComposeCreative(Attempt& a, Media media) {
  const v1::AdInput& req = *a.request;
  // The marker: deterministic from the request id (or a nonce without one).
  std::string key = req.request_id();
  if (key.empty()) {
    absl::BitGen gen;
    key = absl::StrCat("nonce:", absl::Hex(absl::Uniform<uint64_t>(gen)));
  }
  a.marker = AdNameMarker(a.call.caller.team_id, key, a.request_hash);
  const std::string name =
      req.ad_name().empty()
          ? GeneratedAdName(a.validated.ad_format, req.ad_text(), absl::Now())
          : req.ad_name();
  a.creative.request = req;
  a.creative.ad_name = name + a.marker;
  a.creative.ad_format = a.validated.ad_format;
  a.creative.call_to_action = a.validated.call_to_action;
  a.creative.identity = a.identity;
  a.creative.video_id = std::move(media.video_id);
  a.creative.image_ids = std::move(media.image_ids);
  a.sent_at = absl::Now();
}

void AdCreator::ReconcileFirst(std::shared_ptr<Attempt> a,
                               const std::string& intent) {
  // The earlier attempt recorded "<advertiser id> <marker>" before it sent;
  // the marker is this request's (same team, request id and body), the
  // advertiser the one it resolved, normally this call's too.
  const std::string earlier_advertiser =
      std::pair<std::string, std::string>(
          absl::StrSplit(intent, absl::MaxSplits(' ', 1)))
          .first;
  const AdvertiserAccess own = a->access;
  if (!earlier_advertiser.empty() && earlier_advertiser != own.advertiser_id) {
    absl::StatusOr<AdvertiserAccess> access =
        deps_.tokens->For(a->call, earlier_advertiser);
    if (!access.ok()) {
      return Finish(a,
                    status::WithRetryInfo(
                        absl::UnavailableError(absl::StrCat(
                            "an earlier attempt sent the ad to advertiser ",
                            earlier_advertiser, ", which cannot be checked (",
                            access.status().message(),
                            "); retry with the same request_id")),
                        absl::Seconds(2)));
    }
    a->access = *std::move(access);
  }
  a->sent_at = absl::Now() - absl::Hours(25);
  auto found = FindByMarker(*a);
  if (!found.ok()) {
    return Finish(
        a, status::WithRetryInfo(
               absl::UnavailableError(
                   "an earlier attempt's outcome is still unknown and TikTok "
                   "could not be asked; retry with the same request_id"),
               absl::Seconds(2)));
  }
  if (!found->empty()) {
    a->out->set_advertiser_id(a->access.advertiser_id);
    for (const auto& id : *found) a->out->add_ad_ids(id);
    a->out->add_notes("reconciled: an earlier attempt had created the ad");
    return Finish(a, absl::OkStatus());
  }
  a->access = own;
  SendFirst(std::move(a));
}

void AdCreator::SendFirst(std::shared_ptr<Attempt> a) {
  // From here a failure that may have created the ad leaves the key
  // unresolved, and whoever takes it over looks the ad up first.
  absl::Status intent = a->claim->SaveIntent(
      absl::StrCat(a->access.advertiser_id, " ", a->marker));
  if (!intent.ok()) return Finish(a, intent);
  a->sent_at = absl::Now();
  Send(std::move(a));
}

void AdCreator::Send(std::shared_ptr<Attempt> a) {
  ++a->sends;
  // A resend runs on a queue thread: the call's span still names it.
  trace::ScopedTrace traced(&a->call.trace);
  deps_.tiktok->CreateAd(
      a->access, a->request->adgroup_id(), a->creative, a->call.deadline,
      [this, a](absl::StatusOr<std::vector<std::string>> result) {
        // The loop thread must not block: continue on the queue.
        deps_.work->Post(
            [this, a, result = std::move(result)] { OnSent(a, result); });
      });
}

void AdCreator::OnSent(std::shared_ptr<Attempt> a,
                       absl::StatusOr<std::vector<std::string>> result) {
  if (result.ok()) {
    for (const auto& id : *result) a->out->add_ad_ids(id);
    return Finish(a, absl::OkStatus());
  }
  // Definitely not created (and every earlier send of this request was
  // looked up and found absent before this one went out).
  if (!tiktok::IsAmbiguous(result.status())) {
    a->claim->WroteNothing();
    return Finish(a, result.status());
  }
  Reconcile(std::move(a), result.status());
}

void AdCreator::Reconcile(std::shared_ptr<Attempt> a,
                          const absl::Status& send_error) {
  // Ambiguous: TikTok may have created the ad. Look before resending.
  auto found = FindByMarker(*a);
  if (found.ok() && !found->empty()) {
    for (const auto& id : *found) a->out->add_ad_ids(id);
    a->out->add_notes(
        "reconciled: the ad was created although TikTok's answer was lost");
    return Finish(a, absl::OkStatus());
  }
  const bool time_left = a->call.deadline - absl::Now() > absl::Seconds(1);
  // Each resend follows a lookup that proved the previous send created
  // nothing, so resending cannot duplicate; the bound keeps a flapping
  // upstream from eating the caller's whole deadline.
  constexpr int kMaxSends = 3;
  if (found.ok() && a->sends < kMaxSends && time_left) {
    a->out->add_notes(
        "reconciled: not created by the first attempt; sent again");
    return Send(std::move(a));
  }
  Finish(a,
         status::WithRetryInfo(
             status::WithErrorInfo(
                 absl::UnavailableError(absl::StrCat(
                     "TikTok's answer to /ad/create/ was lost and the ad could "
                     "not be confirmed; retry with the same request_id",
                     a->request->request_id().empty()
                         ? " (set request_id to make retries safe)"
                         : "",
                     ": ", send_error.message())),
                 "CREATE_OUTCOME_UNKNOWN"),
             absl::Seconds(2)));
}

absl::StatusOr<std::vector<std::string>> AdCreator::FindByMarker(
    const Attempt& a) {
  std::vector<std::string> ids;
  const absl::Time deadline =
      std::max(a.call.deadline, absl::Now() + absl::Seconds(10));
  AdQuery query;
  query.adgroup_ids = {a.request->adgroup_id()};
  query.primary_status = "STATUS_ALL";
  query.created_after = a.sent_at - absl::Minutes(10);
  query.fields = {"ad_id", "ad_name"};
  query.page_size = 1000;
  for (query.page = 1; query.page <= 10; ++query.page) {
    TTADS_ASSIGN_OR_RETURN(AdPage page,
                           deps_.tiktok->GetAds(a.access, query, deadline));
    for (const auto& ad : page.ads) {
      if (absl::EndsWith(ad.ad.ad_name(), a.marker)) {
        ids.push_back(ad.ad.ad_id());
      }
    }
    if (query.page >= page.total_page) break;
  }
  return ids;
}

void AdCreator::Finish(const std::shared_ptr<Attempt>& a, absl::Status status) {
  std::function<void(absl::Status)> applied = a->applied;
  applied(std::move(status));
}

}  // namespace ttads::ads
