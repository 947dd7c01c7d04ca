#include "services/ads/ad_creator.h"

#include <set>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "libs/crypto/crypto.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/tiktok/error_class.h"

namespace ttads::ads {
namespace {

using nlohmann::json;

std::string TikTokTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::UTCTimeZone());
}

std::string RequestHash(const v1::CreateAdRequest& req) {
  v1::CreateAdRequest copy = req;
  copy.clear_request_id();
  copy.clear_validate_only();
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return crypto::Sha256Hex(bytes);
}

std::string JsonStr(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

void SetIf(json& c, const char* key, const std::string& value) {
  if (!value.empty()) c[key] = value;
}

// An enum field in TikTok's spelling (validation accepted `value`).
void SetWire(json& c, const char* key, const std::string& value) {
  if (value.empty()) return;
  c[key] = WireEnum(key, value).value_or(value);
}

// Fields the reference types as number (tracking_pixel_id, page_id) go out
// as JSON numbers; validation checked they are decimal ids.
void SetNumber(json& c, const char* key, const std::string& value) {
  int64_t n = 0;
  if (!value.empty() && absl::SimpleAtoi(value, &n)) c[key] = n;
}

// The creative sent to /ad/create/ (docs/ads.md "What goes to TikTok").
json BuildCreative(const v1::CreateAdRequest& r, const ValidatedAd& v,
                   const common::v1::Identity& identity,
                   const std::string& ad_name,
                   const std::vector<std::string>& image_ids,
                   const std::string& video_id) {
  json c = json::object();
  c["ad_name"] = ad_name;
  c["ad_format"] = v.ad_format;
  c["ad_text"] = r.ad_text();
  c["landing_page_url"] = r.landing_page_url();
  c["identity_id"] = identity.identity_id();
  c["identity_type"] = common::v1::IdentityType_Name(identity.identity_type());
  SetIf(c, "identity_authorized_bc_id", identity.identity_authorized_bc_id());
  SetIf(c, "call_to_action", v.call_to_action);
  SetIf(c, "display_name", r.display_name());
  SetIf(c, "video_id", video_id);
  SetIf(c, "tiktok_item_id", r.tiktok_item_id());
  if (!image_ids.empty()) c["image_ids"] = image_ids;
  if (v.ad_format == "CAROUSEL_ADS") SetIf(c, "music_id", r.music_id());
  SetIf(c, "card_id", r.card_id());
  SetIf(c, "click_tracking_url", r.click_tracking_url());
  SetIf(c, "impression_tracking_url", r.impression_tracking_url());
  SetIf(c, "video_view_tracking_url", r.video_view_tracking_url());
  SetNumber(c, "tracking_pixel_id", r.tracking_pixel_id());
  SetIf(c, "deeplink", r.deeplink());
  SetWire(c, "deeplink_type", r.deeplink_type());
  SetWire(c, "fallback_type", r.fallback_type());
  if (!r.disclaimer_text().empty() || r.disclaimer_clickable_texts_size() > 0) {
    c["disclaimer_type"] =
        r.disclaimer_type().empty()
            ? (r.disclaimer_clickable_texts_size() > 0 ? "TEXT_LINK"
                                                       : "TEXT_ONLY")
            : r.disclaimer_type();
    if (!r.disclaimer_text().empty()) {
      c["disclaimer_text"] = {{"text", r.disclaimer_text()}};
    }
    json texts = json::array();
    for (const auto& t : r.disclaimer_clickable_texts()) {
      texts.push_back({{"text", t.text()}, {"url", t.url()}});
    }
    if (!texts.empty()) c["disclaimer_clickable_texts"] = texts;
  }
  SetWire(c, "vertical_video_strategy", r.vertical_video_strategy());
  SetWire(c, "item_duet_status", r.item_duet_status());
  SetWire(c, "item_stitch_status", r.item_stitch_status());
  SetWire(c, "dark_post_status", r.dark_post_status());
  if (r.has_promotional_music_disabled()) {
    c["promotional_music_disabled"] = r.promotional_music_disabled();
  }
  if (r.has_creative_authorized())
    c["creative_authorized"] = r.creative_authorized();
  SetWire(c, "brand_safety_postbid_partner", r.brand_safety_postbid_partner());
  SetIf(c, "brand_safety_vast_url", r.brand_safety_vast_url());
  SetWire(c, "viewability_postbid_partner", r.viewability_postbid_partner());
  SetIf(c, "viewability_vast_url", r.viewability_vast_url());
  // vast_moat_enabled is not a Create ads field; TikTok's page recommends
  // viewability_postbid_partner MOAT for the same measurement.
  if (r.has_vast_moat_enabled() && r.vast_moat_enabled()) {
    c["viewability_postbid_partner"] = "MOAT";
  }
  SetNumber(c, "page_id", r.page_id());
  return c;
}

std::string GeneratedName(const v1::CreateAdRequest& r, const ValidatedAd& v) {
  std::string text = r.ad_text().substr(0, 40);
  // Do not cut a UTF-8 sequence in half.
  while (!text.empty() &&
         (static_cast<unsigned char>(text.back()) & 0xc0) == 0x80) {
    text.pop_back();
  }
  if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80))
    text.pop_back();
  return absl::StrCat(
      v.ad_format, " ", text, " ",
      absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone()));
}

}  // namespace

std::string AdNameMarker(const std::string& team_id, const std::string& key,
                         const std::string& request_hash) {
  return absl::StrCat(
      " [tt:",
      crypto::Sha256Hex(absl::StrCat(team_id, "|", key, "|", request_hash))
          .substr(0, 12),
      "]");
}

struct AdCreator::Attempt {
  server::CallContext call;
  v1::CreateAdResponse* out;
  Done done;
  std::string team_id, request_id, owner, token, advertiser_id, adgroup_id;
  std::string marker;
  json creative;
  absl::Time sent_at;
  int sends = 0;
  bool idempotent = false;
};

absl::StatusOr<std::vector<connections::AdvertiserRef>>
AdCreator::ReachableAdvertisers(const server::CallContext& call) {
  auto list = deps_.connections->List(call.caller.team_id);
  if (!list.ok()) return list.status();
  const bool borrow = connections::TokenResolver::MayBorrow(call.caller.role);
  std::vector<connections::AdvertiserRef> out;
  std::set<std::string> seen;
  for (const auto& c : *list) {
    if (!c.active()) continue;
    if (c.member_id != call.caller.member_id && !borrow) continue;
    for (const auto& a : c.advertisers) {
      if (seen.insert(a.advertiser_id).second) out.push_back(a);
    }
  }
  return out;
}

void AdCreator::Create(const server::CallContext& call,
                       const v1::CreateAdRequest& req,
                       v1::CreateAdResponse* out, Done done) {
  auto validated = ValidateCreateAd(req, deps_.http_media_hosts);
  if (!validated.ok()) return done(validated.status());
  const ValidatedAd& v = *validated;

  // The advertiser.
  std::string advertiser = req.advertiser_id();
  if (advertiser.empty() && req.account_id().empty()) {
    auto reachable = ReachableAdvertisers(call);
    if (!reachable.ok()) return done(reachable.status());
    if (reachable->size() > 1) {
      std::string msg = absl::StrCat(
          "You have ", reachable->size(),
          " tiktok_ads accounts connected. Please specify which account to use "
          "by passing the advertiser_id parameter:");
      for (const auto& a : *reachable) {
        absl::StrAppend(
            &msg, "\n - ",
            a.advertiser_name.empty() ? a.advertiser_id : a.advertiser_name,
            " (advertiser_id=\"", a.advertiser_id, "\")");
      }
      return done(status::InvalidArgument(
          msg,
          {{"advertiser_id",
            "required: the caller reaches several advertisers"}},
          "ADVERTISER_REQUIRED"));
    }
    if (reachable->size() == 1) advertiser = (*reachable)[0].advertiser_id;
  }

  auto attempt = std::make_shared<Attempt>();
  attempt->call = call;
  attempt->out = out;
  attempt->done = std::move(done);
  attempt->team_id = call.caller.team_id;
  attempt->request_id = req.request_id();
  attempt->adgroup_id = req.adgroup_id();
  const std::string hash = RequestHash(req);

  // Idempotency.
  bool must_reconcile_first = false;
  if (!req.request_id().empty() && !req.validate_only()) {
    absl::Time wait_until = std::min(call.deadline - absl::Milliseconds(200),
                                     absl::Now() + absl::Seconds(30));
    auto claim = deps_.idempotency->Begin(call.caller.team_id, req.request_id(),
                                          hash, wait_until);
    if (!claim.ok()) return attempt->done(claim.status());
    if (claim->state == IdempotencyStore::State::kDone) {
      if (!out->ParseFromString(claim->record.result)) {
        return attempt->done(
            absl::InternalError("stored result is unreadable"));
      }
      out->set_replayed(true);
      return attempt->done(absl::OkStatus());
    }
    attempt->owner = claim->owner;
    attempt->idempotent = true;
    must_reconcile_first = claim->state == IdempotencyStore::State::kUnresolved;
  }
  // From here on, a failure before anything is sent gives the key back.
  auto fail = [&](absl::Status s) {
    if (attempt->idempotent) {
      (void)deps_.idempotency->Release(attempt->team_id, attempt->request_id,
                                       attempt->owner);
    }
    attempt->done(std::move(s));
  };

  // Inline Brand Identity (Zernio), then identity resolution. Opting in to
  // the Brand Identity (inline, or identity_type CUSTOMIZED_USER with an
  // account) makes it the explicit identity of this ad.
  std::string brand_identity_id;
  if (req.has_brand_identity()) {
    identity::v1::ConfigureBrandIdentityRequest breq;
    breq.set_account_id(req.account_id());
    breq.set_display_name(req.brand_identity().display_name());
    breq.set_image_url(req.brand_identity().image_url());
    identity::v1::ConfigureBrandIdentityResponse bresp;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = deps_.identity->ConfigureBrandIdentity(&ctx, breq, &bresp);
    if (!s.ok()) return fail(status::FromGrpcStatus(s));
    out->add_notes(absl::StrCat("brand identity ", bresp.identity_id(),
                                bresp.created() ? " created" : " unchanged"));
    brand_identity_id = bresp.identity_id();
  } else if (req.identity_type() == common::v1::CUSTOMIZED_USER &&
             req.identity_id().empty() && !req.account_id().empty()) {
    identity::v1::GetBrandIdentityRequest breq;
    breq.set_account_id(req.account_id());
    identity::v1::BrandIdentity brand;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    if (deps_.identity->GetBrandIdentity(&ctx, breq, &brand).ok()) {
      brand_identity_id = brand.identity_id();
    }
  }
  identity::v1::ResolveIdentityRequest ireq;
  ireq.set_advertiser_id(advertiser);
  ireq.set_account_id(req.account_id());
  ireq.set_identity_id(req.identity_id());
  if (req.identity_type() != common::v1::CUSTOMIZED_USER ||
      !req.identity_id().empty()) {
    ireq.set_identity_type(req.identity_type());
  }
  if (!brand_identity_id.empty()) {
    ireq.set_identity_id(brand_identity_id);
    ireq.set_identity_type(common::v1::CUSTOMIZED_USER);
  }
  ireq.set_allow_customized_user(v.customized_user_opt_in);
  ireq.set_spark_ad(!req.tiktok_item_id().empty());
  identity::v1::ResolveIdentityResponse iresp;
  {
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = deps_.identity->ResolveIdentity(&ctx, ireq, &iresp);
    if (!s.ok()) return fail(status::FromGrpcStatus(s));
  }
  if (v.customized_user_opt_in &&
      iresp.identity().identity_type() != common::v1::CUSTOMIZED_USER) {
    out->add_notes(
        "identity: a " +
        common::v1::IdentityType_Name(iresp.identity().identity_type()) +
        " is preferred over the CUSTOMIZED_USER opt-in");
  }
  attempt->advertiser_id =
      iresp.advertiser_id().empty() ? advertiser : iresp.advertiser_id();
  auto token = deps_.tokens->Resolve(
      {call.caller.team_id, call.caller.member_id, call.caller.role},
      attempt->advertiser_id);
  if (!token.ok()) return fail(token.status());
  attempt->token = token->access_token;

  out->set_advertiser_id(attempt->advertiser_id);
  *out->mutable_identity() = iresp.identity();
  out->set_ad_format(v.ad_format);
  out->set_call_to_action(v.call_to_action);
  for (const auto& n : v.notes) out->add_notes(n);

  if (req.validate_only()) {
    // The ad group must exist; its campaign's objective drives the preflight.
    auto group = deps_.tiktok->Call(
        tiktok::HttpCall::Get(
            "adgroup/get/",
            {{"advertiser_id", attempt->advertiser_id},
             {"filtering", {{"adgroup_ids", {req.adgroup_id()}}}}},
            attempt->token),
        call.deadline);
    if (!group.ok()) return fail(group.status());
    const json& list =
        group->data.contains("list") ? group->data["list"] : json::array();
    if (!list.is_array() || list.empty()) {
      return fail(status::InvalidArgument(
          "ad group " + req.adgroup_id() + " does not exist in advertiser " +
              attempt->advertiser_id,
          {{"adgroup_id", "not found in this advertiser"}}));
    }
    std::string objective = JsonStr(list[0], "objective_type");
    if (objective.empty()) {
      auto campaign = deps_.tiktok->Call(
          tiktok::HttpCall::Get(
              "campaign/get/",
              {{"advertiser_id", attempt->advertiser_id},
               {"filtering",
                {{"campaign_ids", {JsonStr(list[0], "campaign_id")}}}}},
              attempt->token),
          call.deadline);
      if (campaign.ok() && campaign->data.contains("list") &&
          !campaign->data["list"].empty()) {
        objective = JsonStr(campaign->data["list"][0], "objective_type");
      }
    }
    if (deps_.preflight != nullptr && !objective.empty()) {
      preflight::v1::PublishCheckRequest preq;
      preq.set_advertiser_id(attempt->advertiser_id);
      preq.set_objective(objective);
      preflight::v1::PublishCheckResponse presp;
      grpc::ClientContext ctx;
      server::PrepareOutbound(call, &ctx, absl::Seconds(10));
      grpc::Status s = deps_.preflight->PublishCheck(&ctx, preq, &presp);
      if (s.ok() && !presp.ready()) {
        return fail(status::PreconditionFailed(
            absl::StrCat(
                "the advertiser is not ready to publish ", objective,
                " ads; missing: ", absl::StrJoin(presp.missing(), ", ")),
            "PREFLIGHT", attempt->advertiser_id,
            absl::StrJoin(presp.missing(), ", ")));
      }
      out->add_notes(s.ok() ? "preflight " + objective + ": ready"
                            : "preflight skipped: " + s.error_message());
    } else {
      out->add_notes("preflight skipped: no preflight service configured");
    }
    out->set_validated_only(true);
    return attempt->done(absl::OkStatus());
  }

  // Media.
  std::vector<std::string> image_ids(req.image_ids().begin(),
                                     req.image_ids().end());
  std::string video_id = req.video_id();
  if (v.source == CreativeSource::kVideoUrl) {
    auto video =
        deps_.creatives->UploadVideo(attempt->token, attempt->advertiser_id,
                                     req.video_url(), "", "", call.deadline);
    if (!video.ok()) return fail(video.status());
    video_id = video->video_id();
    if (!video->cover_image_id().empty()) {
      image_ids.push_back(video->cover_image_id());
    } else if (v.ad_format == "SINGLE_VIDEO") {
      // The upload answer had no cover URL; ask /file/video/ad/info/.
      auto cover = deps_.creatives->CoverOfVideo(
          attempt->token, attempt->advertiser_id, video_id, call.deadline);
      if (!cover.ok()) return fail(cover.status());
      image_ids.push_back(cover->image_id());
    }
  } else if (v.slideshow) {
    auto show = deps_.creatives->UploadSlideshow(
        attempt->token, attempt->advertiser_id,
        {req.image_urls().begin(), req.image_urls().end()},
        {req.image_ids().begin(), req.image_ids().end()}, call.deadline);
    if (!show.ok()) return fail(show.status());
    video_id = show->video_id;
    image_ids = {show->cover_image_id};
    out->add_notes(absl::StrFormat(
        "slideshow: rendered %d images into a %dx%d H.264 video of %.1f s "
        "(%.1f s each), uploaded as video %s with the first slide as cover "
        "image %s; ad_format SINGLE_VIDEO",
        show->images, show->render.width, show->render.height,
        show->render.plan.duration_seconds, show->render.plan.seconds_per_image,
        show->video_id, show->cover_image_id));
  } else if (v.source == CreativeSource::kVideoId &&
             v.ad_format == "SINGLE_VIDEO" && image_ids.empty()) {
    // Non-Spark SINGLE_VIDEO needs one cover image (Create ads, image_ids).
    auto cover = deps_.creatives->CoverOfVideo(
        attempt->token, attempt->advertiser_id, video_id, call.deadline);
    if (!cover.ok()) return fail(cover.status());
    image_ids.push_back(cover->image_id());
    out->add_notes(
        absl::StrCat("cover: the video's own cover uploaded as "
                     "image ",
                     cover->image_id()));
  } else if (v.source == CreativeSource::kImageUrls) {
    for (int i = 0; i < req.image_urls_size(); ++i) {
      auto img = deps_.creatives->UploadImageUrl(
          attempt->token, attempt->advertiser_id, req.image_urls(i),
          absl::StrCat("image_urls[", i, "]"), call.deadline);
      if (!img.ok()) return fail(img.status());
      image_ids.push_back(img->image_id());
    }
  }

  // The marker: deterministic from the request id (or a nonce without one).
  std::string key = req.request_id();
  if (key.empty()) {
    absl::BitGen gen;
    key = absl::StrCat("nonce:", absl::Hex(absl::Uniform<uint64_t>(gen)));
  }
  attempt->marker = AdNameMarker(attempt->team_id, key, hash);
  std::string name =
      req.ad_name().empty() ? GeneratedName(req, v) : req.ad_name();
  attempt->creative = BuildCreative(
      req, v, iresp.identity(), name + attempt->marker, image_ids, video_id);
  attempt->sent_at = absl::Now();

  if (must_reconcile_first) {
    // An earlier attempt with this request id ended unresolved.
    attempt->sent_at = absl::Now() - absl::Hours(25);
    auto found = FindByMarker(*attempt);
    if (!found.ok()) {
      (void)deps_.idempotency->MarkUnresolved(
          attempt->team_id, attempt->request_id, attempt->owner);
      return attempt->done(status::WithRetryInfo(
          absl::UnavailableError(
              "an earlier attempt's outcome is still unknown "
              "and TikTok could not be asked; retry with the "
              "same request_id"),
          absl::Seconds(2)));
    }
    if (!found->empty()) {
      for (const auto& id : *found) out->add_ad_ids(id);
      out->add_notes("reconciled: an earlier attempt had created the ad");
      return Finish(attempt, absl::OkStatus());
    }
    attempt->sent_at = absl::Now();
  }
  Send(attempt);
}

void AdCreator::Send(std::shared_ptr<Attempt> attempt) {
  ++attempt->sends;
  tiktok::HttpCall call =
      tiktok::HttpCall::Post("ad/create/",
                             {{"advertiser_id", attempt->advertiser_id},
                              {"adgroup_id", attempt->adgroup_id},
                              {"creatives", json::array({attempt->creative})}},
                             attempt->token);
  call.idempotent = false;
  deps_.tiktok->Send(
      std::move(call), attempt->call.deadline,
      [this, attempt](absl::StatusOr<tiktok::Envelope> result) {
        // The loop thread must not block: continue on the queue.
        deps_.work->Post([this, attempt, result = std::move(result)] {
          OnSent(attempt, result);
        });
      });
}

void AdCreator::OnSent(std::shared_ptr<Attempt> attempt,
                       absl::StatusOr<tiktok::Envelope> result) {
  if (result.ok()) {
    const json& ids = result->data.contains("ad_ids") ? result->data["ad_ids"]
                                                      : json::array();
    for (const auto& id : ids) {
      attempt->out->add_ad_ids(id.is_string()
                                   ? id.get<std::string>()
                                   : std::to_string(id.get<int64_t>()));
    }
    return Finish(attempt, absl::OkStatus());
  }
  if (!tiktok::IsAmbiguous(result.status())) {
    // Definitely not created.
    if (attempt->idempotent) {
      (void)deps_.idempotency->Release(attempt->team_id, attempt->request_id,
                                       attempt->owner);
    }
    return attempt->done(result.status());
  }
  // Ambiguous: TikTok may have created the ad. Look before resending.
  auto found = FindByMarker(*attempt);
  if (found.ok() && !found->empty()) {
    for (const auto& id : *found) attempt->out->add_ad_ids(id);
    attempt->out->add_notes(
        "reconciled: the ad was created although TikTok's answer was lost");
    return Finish(attempt, absl::OkStatus());
  }
  const bool time_left =
      attempt->call.deadline - absl::Now() > absl::Seconds(1);
  // Each resend follows a lookup that proved the previous send created
  // nothing, so resending cannot duplicate; the bound keeps a flapping
  // upstream from eating the caller's whole deadline.
  constexpr int kMaxSends = 3;
  if (found.ok() && attempt->sends < kMaxSends && time_left) {
    attempt->out->add_notes(
        "reconciled: not created by the first attempt; sent again");
    return Send(attempt);
  }
  if (attempt->idempotent) {
    (void)deps_.idempotency->MarkUnresolved(
        attempt->team_id, attempt->request_id, attempt->owner);
  }
  absl::Status s = status::WithRetryInfo(
      status::WithErrorInfo(
          absl::UnavailableError(absl::StrCat(
              "TikTok's answer to /ad/create/ was lost and the ad could not be "
              "confirmed; retry with the same request_id",
              attempt->request_id.empty()
                  ? " (set request_id to make retries safe)"
                  : "",
              ": ", result.status().message())),
          "CREATE_OUTCOME_UNKNOWN"),
      absl::Seconds(2));
  attempt->done(s);
}

absl::StatusOr<std::vector<std::string>> AdCreator::FindByMarker(
    const Attempt& attempt) {
  std::vector<std::string> ids;
  absl::Time deadline =
      std::max(attempt.call.deadline, absl::Now() + absl::Seconds(10));
  for (int page = 1; page <= 10; ++page) {
    json filtering = {{"adgroup_ids", {attempt.adgroup_id}},
                      {"primary_status", "STATUS_ALL"},
                      {"creation_filter_start_time",
                       TikTokTime(attempt.sent_at - absl::Minutes(10))}};
    auto env = deps_.tiktok->Call(
        tiktok::HttpCall::Get("ad/get/",
                              {{"advertiser_id", attempt.advertiser_id},
                               {"filtering", filtering},
                               {"fields", {"ad_id", "ad_name"}},
                               {"page", page},
                               {"page_size", 1000}},
                              attempt.token),
        deadline);
    if (!env.ok()) return env.status();
    const json& list =
        env->data.contains("list") ? env->data["list"] : json::array();
    for (const auto& ad : list) {
      if (absl::EndsWith(JsonStr(ad, "ad_name"), attempt.marker)) {
        ids.push_back(JsonStr(ad, "ad_id"));
      }
    }
    int64_t total_page = 1;
    if (env->data.contains("page_info") &&
        env->data["page_info"].contains("total_page")) {
      total_page = env->data["page_info"].value("total_page", 1);
    }
    if (page >= total_page) break;
  }
  return ids;
}

void AdCreator::Finish(std::shared_ptr<Attempt> attempt, absl::Status status) {
  if (status.ok() && attempt->idempotent) {
    absl::Status stored = deps_.idempotency->Complete(
        attempt->team_id, attempt->request_id, attempt->owner,
        attempt->out->SerializeAsString());
    if (!stored.ok()) {
      attempt->out->add_notes("the result could not be recorded for replay");
    }
  }
  attempt->done(std::move(status));
}

}  // namespace ttads::ads
