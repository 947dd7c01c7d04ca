// The seeds' shapes of CreateAd (ttads.compat.v1) against the core's: field
// for field, converted without loss, and the Adspirer envelope's content;
// the Ad CreateAd composes from an outcome.
#include "services/ads/compat_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/ads/ad_name.h"
#include "services/ads/created_ad.h"

namespace ttads::ads {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;

// Every field of `a` is in `b` under the same number, name, type and label,
// and the other way round; `a` holds `words` (field names) as strings where
// `b` has enums.
void ExpectSameFields(const Descriptor* a, const Descriptor* b,
                      const std::vector<std::string>& words = {}) {
  ASSERT_EQ(a->field_count(), b->field_count())
      << a->full_name() << " vs " << b->full_name();
  for (int i = 0; i < a->field_count(); ++i) {
    const FieldDescriptor* fa = a->field(i);
    const FieldDescriptor* fb = b->FindFieldByNumber(fa->number());
    ASSERT_NE(fb, nullptr) << fa->full_name();
    EXPECT_EQ(fa->name(), fb->name());
    if (std::find(words.begin(), words.end(), fa->name()) != words.end()) {
      EXPECT_EQ(fa->type(), FieldDescriptor::TYPE_STRING) << fa->full_name();
      EXPECT_EQ(fb->type(), FieldDescriptor::TYPE_ENUM) << fb->full_name();
      EXPECT_FALSE(fa->is_repeated() || fa->has_presence()) << fa->full_name();
      EXPECT_FALSE(fb->is_repeated() || fb->has_presence()) << fb->full_name();
      continue;
    }
    EXPECT_EQ(fa->type(), fb->type()) << fa->full_name();
    EXPECT_EQ(fa->is_repeated(), fb->is_repeated()) << fa->full_name();
    EXPECT_EQ(fa->has_presence(), fb->has_presence()) << fa->full_name();
    if (fa->message_type() != nullptr) {
      EXPECT_EQ(fa->message_type(), fb->message_type()) << fa->full_name();
    }
    if (fa->enum_type() != nullptr) {
      EXPECT_EQ(fa->enum_type(), fb->enum_type()) << fa->full_name();
    }
  }
}

TEST(CompatShapes, AreTheCoreMessagesFieldForField) {
  ExpectSameFields(compat::v1::CreateAdRequest::descriptor(),
                   v1::AdInput::descriptor(), AdEnumFields());
  ExpectSameFields(compat::v1::CreateAdResponse::descriptor(),
                   v1::AdCreation::descriptor());
}

TEST(CompatShapes, ConvertWithoutLoss) {
  compat::v1::CreateAdRequest zernio;
  zernio.set_advertiser_id("7000000000000000001");
  zernio.set_adgroup_id("1800");
  zernio.set_ad_text("Hello");
  zernio.add_image_urls("https://cdn.example.com/a.png");
  zernio.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  zernio.mutable_brand_identity()->set_display_name("Acme");
  zernio.set_promotional_music_disabled(false);
  zernio.set_request_id("r-1");
  CoreRequest converted = ToCore(zernio);
  EXPECT_TRUE(converted.words.empty());
  const v1::AdInput& core = converted.request;
  EXPECT_EQ(core.adgroup_id(), "1800");
  EXPECT_EQ(core.image_urls(0), "https://cdn.example.com/a.png");
  EXPECT_EQ(core.identity_type(), common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  EXPECT_EQ(core.brand_identity().display_name(), "Acme");
  // Explicit presence survives: "false" is not "unset".
  EXPECT_TRUE(core.has_promotional_music_disabled());
  EXPECT_EQ(core.SerializeAsString(), zernio.SerializeAsString());

  v1::AdCreation created;
  created.add_ad_ids("ad_1");
  created.set_replayed(true);
  created.add_notes("call_to_action DOWNLOAD -> DOWNLOAD_NOW");
  created.mutable_identity()->set_identity_id("id_1");
  compat::v1::CreateAdResponse answer = ToZernio(created);
  EXPECT_EQ(answer.ad_ids(0), "ad_1");
  EXPECT_TRUE(answer.replayed());
  EXPECT_EQ(answer.notes(0), "call_to_action DOWNLOAD -> DOWNLOAD_NOW");
  EXPECT_EQ(answer.identity().identity_id(), "id_1");
}

TEST(CompatShapes, WordsBecomeEnumsAndAreKeptForValidation) {
  compat::v1::CreateAdRequest zernio;
  zernio.set_ad_text("Hello");
  zernio.set_ad_format("single_image");
  zernio.set_deeplink_type("DEFERRED");
  zernio.set_fallback_type("WEBSITE");
  zernio.set_dark_post_status("ENABLE");
  zernio.set_brand_safety_postbid_partner("DV");
  zernio.set_vertical_video_strategy("LIVE_STREAMING");
  zernio.set_item_duet_status("MAYBE");
  // The enum's own name is not one of the seed's words.
  zernio.set_item_stitch_status("ITEM_INTERACTION_STATUS_ENABLE");
  CoreRequest core = ToCore(zernio);
  EXPECT_EQ(core.request.ad_text(), "Hello");
  EXPECT_EQ(core.request.ad_format(), v1::AD_FORMAT_SINGLE_IMAGE);
  EXPECT_EQ(core.request.deeplink_type(), v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  EXPECT_EQ(core.request.fallback_type(), v1::FALLBACK_TYPE_WEBSITE);
  EXPECT_EQ(core.request.dark_post_status(), v1::DARK_POST_STATUS_ON);
  EXPECT_EQ(core.request.brand_safety_postbid_partner(),
            v1::BRAND_SAFETY_PARTNER_DOUBLE_VERIFY);
  EXPECT_EQ(core.request.vertical_video_strategy(),
            v1::VERTICAL_VIDEO_STRATEGY_LIVE_STREAM);
  EXPECT_EQ(core.request.item_duet_status(),
            v1::ITEM_INTERACTION_STATUS_UNSPECIFIED);
  EXPECT_EQ(core.request.item_stitch_status(),
            v1::ITEM_INTERACTION_STATUS_UNSPECIFIED);
  EXPECT_EQ(
      core.words,
      (AdWords{{"ad_format", "single_image"},
               {"deeplink_type", "DEFERRED"},
               {"fallback_type", "WEBSITE"},
               {"dark_post_status", "ENABLE"},
               {"brand_safety_postbid_partner", "DV"},
               {"vertical_video_strategy", "LIVE_STREAMING"},
               {"item_duet_status", "MAYBE"},
               {"item_stitch_status", "ITEM_INTERACTION_STATUS_ENABLE"}}));
  // The core's request keys as the seed's with TikTok's words.
  compat::v1::CreateAdRequest keyed = KeyedRequest(core.request);
  EXPECT_EQ(keyed.deeplink_type(), "DEFERRED_DEEPLINK");
  EXPECT_EQ(keyed.ad_format(), "SINGLE_IMAGE");
  EXPECT_EQ(keyed.item_duet_status(), "");
  EXPECT_EQ(keyed.ad_text(), "Hello");
}

TEST(ToolResponse, CreatedAdWithTikTokNamesAndAText) {
  v1::AdCreation created;
  created.add_ad_ids("ad_1");
  created.set_advertiser_id("adv_1");
  created.set_ad_format("SINGLE_VIDEO");
  created.mutable_identity()->set_identity_type(
      common::v1::IDENTITY_TYPE_TT_USER);
  compat::v1::ExecuteAddTikTokAdResponse out =
      ToToolResponse(absl::OkStatus(), created);
  EXPECT_TRUE(out.success());
  EXPECT_FALSE(out.is_error());
  EXPECT_EQ(out.tool(), "add_tiktok_ad");
  const auto& data = out.data().fields();
  EXPECT_EQ(data.at("ad_ids").list_value().values(0).string_value(), "ad_1");
  EXPECT_EQ(data.at("identity")
                .struct_value()
                .fields()
                .at("identity_type")
                .string_value(),
            "TT_USER");
  EXPECT_EQ(data.at("text").string_value(),
            "Created TikTok ad ad_1 (SINGLE_VIDEO) on advertiser adv_1");

  created.set_validated_only(true);
  EXPECT_EQ(ToToolResponse(absl::OkStatus(), created)
                .data()
                .fields()
                .at("text")
                .string_value(),
            "Validated: the ad would be created in ad group with format "
            "SINGLE_VIDEO");
}

TEST(ToolResponse, FailureIsAnErrorEnvelope) {
  compat::v1::ExecuteAddTikTokAdResponse out = ToToolResponse(
      absl::InvalidArgumentError("ad_text is required"), v1::AdCreation());
  EXPECT_FALSE(out.success());
  EXPECT_TRUE(out.is_error());
  EXPECT_EQ(out.error(), "ad_text is required");
  EXPECT_EQ(out.tool(), "add_tiktok_ad");
  EXPECT_FALSE(out.has_data());
}

TEST(ComposedAd, HoldsWhatTheRequestAndTheOutcomeSay) {
  v1::AdInput req;
  req.set_adgroup_id("1800");
  req.set_ad_name("Spring");
  req.set_ad_text("Hello");
  req.set_landing_page_url("https://shop.example.com");
  req.add_image_ids("img_1");
  req.set_call_to_action("DOWNLOAD");
  v1::AdCreation created;
  created.add_ad_ids("ad_1");
  created.set_advertiser_id("adv_1");
  created.set_ad_format("SINGLE_VIDEO");
  created.set_call_to_action("DOWNLOAD_NOW");
  created.mutable_identity()->set_identity_id("id_1");
  created.mutable_identity()->set_identity_type(
      common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  v1::Ad ad = ComposedAd(req, created);
  EXPECT_EQ(ad.ad_id(), "ad_1");
  EXPECT_EQ(ad.advertiser_id(), "adv_1");
  EXPECT_EQ(ad.adgroup_id(), "1800");
  EXPECT_EQ(ad.ad_name(), "Spring");
  EXPECT_EQ(ad.ad_text(), "Hello");
  EXPECT_EQ(ad.ad_format(), v1::AD_FORMAT_SINGLE_VIDEO);
  // The corrected call to action, as sent to TikTok.
  EXPECT_EQ(ad.call_to_action(), "DOWNLOAD_NOW");
  EXPECT_EQ(ad.identity_id(), "id_1");
  EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  EXPECT_EQ(ad.landing_page_url(), "https://shop.example.com");
  EXPECT_EQ(ad.image_ids(0), "img_1");

  // validate_only: no id; the advertiser the request named when the outcome
  // names none.
  req.set_advertiser_id("adv_2");
  v1::Ad draft = ComposedAd(req, v1::AdCreation());
  EXPECT_TRUE(draft.ad_id().empty());
  EXPECT_EQ(draft.advertiser_id(), "adv_2");
}

}  // namespace
}  // namespace ttads::ads
