// AdReader and AdUpdater against the fake TikTok: reads, search
// validation, and UpdateAd's patch or read-modify-write.
#include "services/ads/ad_updater.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_input.h"
#include "services/ads/ad_reader.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class AdUpdaterTest : public AdsDomainTest {
 protected:
  AdReader reader_{&tiktok_, &tokens_};
  AdUpdater updater_{&tiktok_, &reader_};
};

TEST_F(AdUpdaterTest, GetFindsDeletedAdsAndNamesUnknownOnes) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "spring");
  tiktok_.ads[id].deleted = true;
  v1::GetAdRequest req;
  req.set_ad_id(id);
  auto ad = reader_.Get(Call(), req);
  ASSERT_THAT(ad, IsOk());
  EXPECT_EQ(ad->ad_name(), "spring");
  req.set_ad_id("1899");
  EXPECT_THAT(reader_.Get(Call(), req),
              StatusIs(absl::StatusCode::kNotFound,
                       ::testing::HasSubstr("1899 not found")));
  req.clear_ad_id();
  EXPECT_THAT(reader_.Get(Call(), req),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AdUpdaterTest, SearchValidatesEverythingThenPages) {
  v1::ListAdsRequest bad;
  bad.set_page_size(1001);
  bad.set_primary_status("STATUS_SOMETIMES");
  for (int i = 0; i < 101; ++i) bad.add_ad_ids("1");
  bad.mutable_create_start_time()->set_seconds(2000);
  bad.mutable_create_end_time()->set_seconds(1000);
  auto refused = reader_.List(Call(), bad);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(refused.status()),
            (std::set<std::string>{"page_size", "primary_status", "ad_ids",
                                   "create_end_time"}));
  v1::ListAdsRequest token;
  token.set_page_token("x");
  EXPECT_EQ(Fields(reader_.List(Call(), token).status()),
            std::set<std::string>{"page_token"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));

  for (int i = 0; i < 3; ++i) tiktok_.AddAd(kAdvertiser, kAdgroup, "ad");
  v1::ListAdsRequest req;
  req.set_page_size(2);
  req.add_adgroup_ids(kAdgroup);
  auto first = reader_.List(Call(), req);
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->ads(), SizeIs(2));
  EXPECT_EQ(first->total_size(), 3);
  EXPECT_EQ(first->next_page_token(), "2");
  req.set_page_token(first->next_page_token());
  auto second = reader_.List(Call(), req);
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(second->ads(), SizeIs(1));
  EXPECT_EQ(second->next_page_token(), "");
}

TEST_F(AdUpdaterTest, PatchableFieldsArePatched) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  v1::UpdateAdRequest req;
  req.set_ad_id(id);
  google::protobuf::util::FieldMaskUtil::FromString("ad_name,ad_text",
                                                    req.mutable_update_mask());
  req.mutable_ad()->set_ad_name("new");
  req.mutable_ad()->set_ad_text("New text");
  auto ad = updater_.Update(Call(), req);
  ASSERT_THAT(ad, IsOk());
  EXPECT_EQ(ad->ad_name(), "new");
  EXPECT_EQ(ad->ad_text(), "New text");
  ASSERT_THAT(tiktok_.updates, SizeIs(1));
  EXPECT_TRUE(tiktok_.updates[0].patch);
  EXPECT_EQ(tiktok_.updates[0].adgroup_id, kAdgroup);
}

TEST_F(AdUpdaterTest, OtherFieldsAreAReadModifyWriteOfTheWholeCreative) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "ad");
  v1::UpdateAdRequest req;
  req.set_ad_id(id);
  google::protobuf::util::FieldMaskUtil::FromString(
      "landing_page_url,call_to_action", req.mutable_update_mask());
  req.mutable_ad()->set_landing_page_url("https://shop.example/new");
  req.mutable_ad()->set_call_to_action("shop");
  auto ad = updater_.Update(Call(), req);
  ASSERT_THAT(ad, IsOk());
  EXPECT_EQ(ad->landing_page_url(), "https://shop.example/new");
  EXPECT_EQ(ad->call_to_action(), "SHOP_NOW");
  ASSERT_THAT(tiktok_.updates, SizeIs(1));
  EXPECT_FALSE(tiktok_.updates[0].patch);
  // Read (the base of the full update), write, read back.
  EXPECT_EQ(tiktok_.CallLog(),
            (std::vector<std::string>{"GetAds", "UpdateAd", "GetAds"}));
}

TEST_F(AdUpdaterTest, BadMasksAndValuesAreRefusedBeforeAnyCall) {
  v1::UpdateAdRequest req;
  google::protobuf::util::FieldMaskUtil::FromString("card_type,ad_text,budget",
                                                    req.mutable_update_mask());
  req.mutable_ad()->set_landing_page_url("http://plain.example/");
  auto refused = updater_.Update(Call(), req);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(refused.status()),
            (std::set<std::string>{"ad_id", "update_mask", "landing_page_url",
                                   "ad.ad_text"}));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
  // No ad: nothing to read a value (or, without a mask, a field) from.
  v1::UpdateAdRequest empty;
  empty.set_ad_id("1800");
  EXPECT_EQ(Fields(updater_.Update(Call(), empty).status()),
            std::set<std::string>{"ad"});
  // An ad with nothing set that UpdateAd can change, and no mask.
  empty.mutable_ad()->set_ad_id("1800");
  EXPECT_EQ(Fields(updater_.Update(Call(), empty).status()),
            std::set<std::string>{"update_mask"});
  // The mask as the string it was before it became a FieldMask (field 4,
  // now reserved): no mask; without an ad, refused; nothing sent.
  v1::UpdateAdRequest old_string;
  old_string.set_ad_id("1800");
  const std::string old_mask = "ad_name";
  ASSERT_TRUE(old_string.MergeFromString(absl::StrCat(
      std::string(1, '\x22'),
      std::string(1, static_cast<char>(old_mask.size())), old_mask)));
  EXPECT_TRUE(old_string.update_mask().paths().empty());
  EXPECT_EQ(Fields(updater_.Update(Call(), old_string).status()),
            std::set<std::string>{"ad"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

// Every violation of `s`, as "field: description" lines.
std::string Described(const absl::Status& s) {
  google::rpc::BadRequest bad;
  std::string out;
  if (status::GetDetail(s, &bad)) {
    for (const auto& v : bad.field_violations()) {
      absl::StrAppend(&out, v.field(), ": ", v.description(), "\n");
    }
  }
  return out;
}

// AIP-134: a mask path names a field of the Ad that UpdateAd can change;
// an unknown path, an IMMUTABLE or OUTPUT_ONLY field or a creation input
// is a violation of `update_mask`, and nothing is sent.
TEST_F(AdUpdaterTest, MaskPathsMustNameFieldsUpdateAdCanChange) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  for (const char* path :
       {"budget", "ad.ad_text", "adText", "ad_format", "identity_id",
        "adgroup_id", "disclaimer_clickable_texts", "ad_id", "campaign_id",
        "operation_status", "create_time", "fields", "video_url", "image_urls",
        "brand_identity", "card_type"}) {
    v1::UpdateAdRequest req;
    req.set_ad_id(id);
    google::protobuf::util::FieldMaskUtil::FromString(
        absl::StrCat("ad_name,", path), req.mutable_update_mask());
    req.mutable_ad()->set_ad_name("new");
    auto refused = updater_.Update(Call(), req);
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(Fields(refused.status()), std::set<std::string>{"update_mask"})
        << path;
  }
  v1::UpdateAdRequest immutable;
  immutable.set_ad_id(id);
  google::protobuf::util::FieldMaskUtil::FromString(
      "ad_format", immutable.mutable_update_mask());
  EXPECT_THAT(Described(updater_.Update(Call(), immutable).status()),
              HasSubstr("update_mask: ad_format is immutable"));
  v1::UpdateAdRequest output;
  output.set_ad_id(id);
  google::protobuf::util::FieldMaskUtil::FromString(
      "campaign_id", output.mutable_update_mask());
  EXPECT_THAT(Described(updater_.Update(Call(), output).status()),
              HasSubstr("update_mask: campaign_id is output only"));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

// The changeable fields are the Ad's fields without a field behaviour.
TEST(WhyNotUpdatableTest, ExactlyTheAdFieldsWithoutABehaviour) {
  const auto* d = v1::Ad::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    const bool plain = !HasFieldBehavior(f, google::api::OUTPUT_ONLY) &&
                       !HasFieldBehavior(f, google::api::IMMUTABLE) &&
                       !HasFieldBehavior(f, google::api::INPUT_ONLY);
    EXPECT_EQ(WhyNotUpdatable(f->name()).empty(), plain) << f->name();
  }
}

// AIP-134: without a mask the fields set in `ad` change; OUTPUT_ONLY ones
// are ignored (AIP-203), IMMUTABLE ones equal to the ad's are accepted.
TEST_F(AdUpdaterTest, WithoutAMaskTheFieldsSetInTheAdChange) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  v1::UpdateAdRequest req;
  req.set_ad_id(id);
  req.mutable_ad()->set_ad_name("new");
  req.mutable_ad()->set_call_to_action("shop");
  req.mutable_ad()->set_ad_id("1899");
  req.mutable_ad()->set_campaign_id("7100");
  req.mutable_ad()->mutable_create_time()->set_seconds(1);
  req.mutable_ad()->set_adgroup_id(kAdgroup);
  auto ad = updater_.Update(Call(), req);
  ASSERT_THAT(ad, IsOk());
  EXPECT_EQ(ad->ad_id(), id);
  EXPECT_EQ(ad->ad_name(), "new");
  EXPECT_EQ(ad->call_to_action(), "SHOP_NOW");
  ASSERT_THAT(tiktok_.updates, SizeIs(1));
  EXPECT_EQ(tiktok_.updates[0].mask,
            (std::vector<std::string>{"ad_name", "call_to_action"}));
  EXPECT_FALSE(tiktok_.updates[0].patch);
}

// GetAd's answer, changed and sent back without a mask (AIP-134's
// read-modify-write): only the changeable fields it holds are written.
TEST_F(AdUpdaterTest, AnAdAsReadSentBackWithoutAMaskUpdates) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  v1::GetAdRequest get;
  get.set_ad_id(id);
  auto read = reader_.Get(Call(), get);
  ASSERT_THAT(read, IsOk());
  v1::UpdateAdRequest req;
  req.set_ad_id(id);
  *req.mutable_ad() = *read;
  req.mutable_ad()->set_ad_text("New text");
  auto ad = updater_.Update(Call(), req);
  ASSERT_THAT(ad, IsOk());
  EXPECT_EQ(ad->ad_text(), "New text");
  EXPECT_EQ(ad->ad_name(), "old");
  ASSERT_THAT(tiktok_.updates, SizeIs(1));
  EXPECT_EQ(tiktok_.updates[0].mask,
            (std::vector<std::string>{"ad_name", "ad_text"}));
  EXPECT_TRUE(tiktok_.updates[0].patch);
}

// Without a mask, an IMMUTABLE field set to another value than the ad's
// is refused once the ad is read, naming it; a creation input set is
// refused before; nothing is written either way.
TEST_F(AdUpdaterTest, WithoutAMaskAChangeUpdateAdCannotMakeIsRefused) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  v1::UpdateAdRequest req;
  req.set_ad_id(id);
  req.mutable_ad()->set_ad_name("new");
  req.mutable_ad()->set_adgroup_id("7112999999999999999");
  auto moved = updater_.Update(Call(), req);
  EXPECT_THAT(moved, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("invalid ad update")));
  EXPECT_EQ(Fields(moved.status()), std::set<std::string>{"ad.adgroup_id"});

  v1::UpdateAdRequest input;
  input.set_ad_id(id);
  input.mutable_ad()->set_ad_name("new");
  input.mutable_ad()->set_video_url("https://example.com/v.mp4");
  auto* text = input.mutable_ad()->add_disclaimer_clickable_texts();
  text->set_text("Terms");
  text->set_url("https://example.com/terms");
  EXPECT_EQ(
      Fields(updater_.Update(Call(), input).status()),
      (std::set<std::string>{"ad.video_url", "ad.disclaimer_clickable_texts"}));
  EXPECT_EQ(tiktok_.Calls("UpdateAd"), 0);
}

TEST_F(AdUpdaterTest, AnUnknownAdIsNotFoundAndNotWritten) {
  v1::UpdateAdRequest req;
  req.set_ad_id("1899");
  google::protobuf::util::FieldMaskUtil::FromString("ad_name",
                                                    req.mutable_update_mask());
  req.mutable_ad()->set_ad_name("x");
  EXPECT_THAT(updater_.Update(Call(), req),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(tiktok_.Calls("UpdateAd"), 0);
}

TEST(IsPatchableTest, OnlyTheFourPatchModeFields) {
  for (const char* f : {"ad_name", "ad_text", "video_id", "image_ids"}) {
    EXPECT_TRUE(IsPatchable(f)) << f;
  }
  for (const char* f : {"landing_page_url", "call_to_action", "card_id"}) {
    EXPECT_FALSE(IsPatchable(f)) << f;
  }
}

}  // namespace
}  // namespace ttads::ads
