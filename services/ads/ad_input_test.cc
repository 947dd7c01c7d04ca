// CreateAd's AIP-133 request against the flat AdInput the domain takes: no
// field of the Ad is lost, a REST body reads as it did when it was the flat
// request, and a request keys as the flat one did (request-id records
// written before replay).
#include "services/ads/ad_input.h"

#include <string>

#include "gmock/gmock.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/contracts/enum_names.h"
#include "libs/idempotency/request_digest.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_name.h"

namespace ttads::ads {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

bool OutputOnly(const FieldDescriptor* f) {
  const auto& options = f->options();
  for (int i = 0; i < options.ExtensionSize(google::api::field_behavior); ++i) {
    if (options.GetExtension(google::api::field_behavior, i) ==
        google::api::OUTPUT_ONLY) {
      return true;
    }
  }
  return false;
}

// A flat request as REST callers sent it before CreateAd took an Ad: every
// field an ad can carry (the path held the advertiser; the request id came
// as Idempotency-Key).
constexpr char kFlatBody[] = R"({
  "adgroupId": "7112000000000000101", "adText": "Our new drop",
  "landingPageUrl": "https://example.com/drop", "adName": "Drop",
  "adFormat": "SINGLE_VIDEO", "displayName": "Demo Shop",
  "callToAction": "BUY_NOW", "imageIds": ["img1"],
  "imageUrls": ["https://example.com/a.png", "https://example.com/b.png"],
  "videoId": "v1", "videoUrl": "https://example.com/v.mp4",
  "identityId": "7000000000000000010", "identityType": "TT_USER",
  "tiktokItemId": "item1", "cardId": "card1", "cardType": "IMAGE",
  "clickTrackingUrl": "https://t.example.com/c",
  "impressionTrackingUrl": "https://t.example.com/i",
  "videoViewTrackingUrl": "https://t.example.com/v",
  "trackingPixelId": "px1", "deeplink": "app://x",
  "deeplinkType": "DEFERRED_DEEPLINK", "fallbackType": "WEBSITE",
  "disclaimerText": "Terms apply",
  "disclaimerClickableTexts": [{"text": "Terms", "url": "https://e.com/t"}],
  "disclaimerType": "TEXT_LINK", "verticalVideoStrategy": "LIVE_STREAM",
  "itemDuetStatus": "DISABLE", "itemStitchStatus": "ENABLE",
  "promotionalMusicDisabled": false, "creativeAuthorized": true,
  "darkPostStatus": "ON", "brandSafetyPostbidPartner": "IAS",
  "brandSafetyVastUrl": "https://v.example.com/b",
  "viewabilityPostbidPartner": "MOAT",
  "viewabilityVastUrl": "https://v.example.com/v", "vastMoatEnabled": true,
  "pageId": "page1",
  "brandIdentity": {"displayName": "Demo", "imageUrl": "https://e.com/l.png"},
  "accountId": "acct1", "useBrandIdentity": true, "musicId": "m1"
})";

TEST(AdInputTest, EveryAdFieldButOutputOnlyHasItsFlatCounterpart) {
  const auto* ad = v1::Ad::descriptor();
  const auto* flat = v1::AdInput::descriptor();
  for (int i = 0; i < ad->field_count(); ++i) {
    const FieldDescriptor* f = ad->field(i);
    const FieldDescriptor* g = flat->FindFieldByName(f->name());
    if (OutputOnly(f)) {
      EXPECT_EQ(g, nullptr) << f->name();
      continue;
    }
    ASSERT_NE(g, nullptr) << f->name();
    EXPECT_EQ(f->cpp_type(), g->cpp_type()) << f->name();
    EXPECT_EQ(f->is_repeated(), g->is_repeated()) << f->name();
    EXPECT_EQ(f->message_type(), g->message_type()) << f->name();
    EXPECT_EQ(f->enum_type(), g->enum_type()) << f->name();
  }
  // And the other way: every flat field is the Ad's or the request's.
  for (int i = 0; i < flat->field_count(); ++i) {
    const std::string& name = flat->field(i)->name();
    EXPECT_TRUE(ad->FindFieldByName(name) != nullptr ||
                v1::CreateAdRequest::descriptor()->FindFieldByName(name) !=
                    nullptr)
        << name;
  }
}

TEST(AdInputTest, AFlatRestBodyReadsAsTheSameAdInput) {
  v1::AdInput before;
  ASSERT_THAT(contracts::JsonToMessage(kFlatBody, &before), IsOk());
  before.set_advertiser_id("7101000000000000001");
  before.set_request_id("demo-ad-2");
  v1::CreateAdRequest now;
  ASSERT_THAT(contracts::JsonToMessage(kFlatBody, now.mutable_ad()), IsOk());
  now.set_advertiser_id("7101000000000000001");
  now.set_request_id("demo-ad-2");
  absl::StatusOr<v1::AdInput> input = ToAdInput(now);
  ASSERT_THAT(input, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*input, before))
      << input->DebugString() << "\nvs\n"
      << before.DebugString();
  // Keyed alike: a record written for the flat request replays.
  EXPECT_EQ(idempotency::RequestDigest(KeyedRequest(*input)),
            idempotency::RequestDigest(KeyedRequest(before)));
  EXPECT_EQ(CreateRequestHash(KeyedRequest(*input)),
            CreateRequestHash(KeyedRequest(before)));
}

TEST(AdInputTest, ToCreateAdRequestIsTheInverse) {
  v1::AdInput flat;
  ASSERT_THAT(contracts::JsonToMessage(kFlatBody, &flat), IsOk());
  flat.set_advertiser_id("7101000000000000001");
  flat.set_request_id("r1");
  flat.set_validate_only(true);
  v1::CreateAdRequest req = ToCreateAdRequest(flat);
  EXPECT_TRUE(req.ad().advertiser_id().empty());
  EXPECT_TRUE(req.validate_only());
  absl::StatusOr<v1::AdInput> back = ToAdInput(req);
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*back, flat)) << back->DebugString();
}

TEST(AdInputTest, OutputOnlyFieldsAreIgnored) {
  v1::CreateAdRequest req;
  req.mutable_ad()->set_ad_text("hi");
  req.mutable_ad()->set_ad_id("123");
  req.mutable_ad()->set_campaign_id("c1");
  req.mutable_ad()->set_secondary_status("AD_STATUS_DELIVERY_OK");
  req.mutable_ad()->mutable_create_time()->set_seconds(1);
  (*req.mutable_ad()->mutable_fields()->mutable_fields())["x"].set_string_value(
      "y");
  absl::StatusOr<v1::AdInput> input = ToAdInput(req);
  ASSERT_THAT(input, IsOk());
  v1::AdInput expected;
  expected.set_ad_text("hi");
  EXPECT_TRUE(MessageDifferencer::Equals(*input, expected))
      << input->DebugString();
}

TEST(AdInputTest, TheParentAdvertiserWinsAndMustAgreeWithTheAds) {
  v1::CreateAdRequest req;
  req.mutable_ad()->set_advertiser_id("7101000000000000002");
  absl::StatusOr<v1::AdInput> input = ToAdInput(req);
  ASSERT_THAT(input, IsOk());
  EXPECT_EQ(input->advertiser_id(), "7101000000000000002");
  req.set_advertiser_id("7101000000000000002");
  ASSERT_THAT(ToAdInput(req), IsOk());
  req.set_advertiser_id("7101000000000000001");
  absl::StatusOr<v1::AdInput> mismatch = ToAdInput(req);
  EXPECT_THAT(mismatch, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("invalid fields")));
  EXPECT_EQ(FirstViolatedField(mismatch), "ad.advertiser_id");
  req.mutable_ad()->clear_advertiser_id();
  input = ToAdInput(req);
  ASSERT_THAT(input, IsOk());
  EXPECT_EQ(input->advertiser_id(), "7101000000000000001");
}

}  // namespace
}  // namespace ttads::ads
