// Differential test: PrintJson against protobuf's MessageToJsonString on
// randomly filled instances of every message of every linked ttads service
// (requests and responses, recursively) and of the well-known types, with
// both option sets the gateway uses. The two outputs must be the same JSON.
#include "services/gateway/json_printer.h"

#include <random>
#include <set>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "libs/contracts/enum_names.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/gateway/route_table.h"
#include "services/gateway/transcoder.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::gateway {
namespace {

using ::ttads::testing::IsOk;

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status FromProtobuf(const google::protobuf::util::Status& s) {
  return s.ok() ? absl::OkStatus()
                : absl::Status(static_cast<absl::StatusCode>(s.code()),
                               std::string(s.message()));
}

class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed) : rng_(seed) {}

  // Whether Struct/Value/ListValue get content. Off for the
  // always_print_primitive_fields comparison: there protobuf 3.21 adds a
  // bogus "values":[] to Structs nested in Values/ListValues (its
  // DefaultValueObjectWriter confuses the two types); PrintJson prints the
  // proto3 mapping.
  bool dynamic_json = true;

  void Fill(Message* m, int depth) {
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    const std::string& name = d->full_name();
    if (name == "google.protobuf.Any" || name == "google.protobuf.FieldMask") {
      return;  // Printed by protobuf itself in both cases.
    }
    if (name == "google.protobuf.Timestamp") {
      r->SetInt64(m, d->field(0), Int(-62135596800, 253402300799));
      r->SetInt32(m, d->field(1), static_cast<int32_t>(Nanos()));
      return;
    }
    if (name == "google.protobuf.Duration") {
      int64_t seconds = Int(-315576000000, 315576000000);
      int32_t nanos = static_cast<int32_t>(Nanos());
      if (seconds < 0 || (seconds == 0 && Chance(0.5))) nanos = -nanos;
      r->SetInt64(m, d->field(0), seconds);
      r->SetInt32(m, d->field(1), nanos);
      return;
    }
    if (!dynamic_json &&
        (name == "google.protobuf.Value" || name == "google.protobuf.Struct" ||
         name == "google.protobuf.ListValue")) {
      return;
    }
    if (name == "google.protobuf.Struct") {
      // Non-empty keys: protobuf 3.21 silently drops a "" key.
      auto& fields =
          *static_cast<google::protobuf::Struct*>(m)->mutable_fields();
      while (Chance(0.6)) Fill(&fields[String() + "k"], depth + 1);
      return;
    }
    if (name == "google.protobuf.Value") {
      auto* v = static_cast<google::protobuf::Value*>(m);
      switch (Int(0, depth > 2 ? 3 : 5)) {
        case 0:
          v->set_null_value(google::protobuf::NULL_VALUE);
          break;
        case 1:
          v->set_number_value(static_cast<double>(Int(-1000000, 1000000)) /
                              static_cast<double>(Int(1, 1000)));
          break;
        case 2:
          v->set_string_value(String());
          break;
        case 3:
          v->set_bool_value(Chance(0.5));
          break;
        // Never empty: protobuf 3.21 prints an empty Struct nested in a
        // Value as {"values":[]} with always_print_primitive_fields (a
        // known deviation from the proto3 JSON mapping; PrintJson prints
        // {}).
        case 4: {
          auto& fields = *v->mutable_struct_value()->mutable_fields();
          do {
            Fill(&fields[String() + "k"], depth + 1);
          } while (Chance(0.5));
          break;
        }
        default:
          do {
            Fill(v->mutable_list_value()->add_values(), depth + 1);
          } while (Chance(0.5));
      }
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->containing_oneof() != nullptr &&
          r->HasOneof(*m, f->containing_oneof())) {
        continue;  // One member per oneof.
      }
      if (!Chance(0.6)) continue;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 3) {
        continue;
      }
      const int n = f->is_repeated() ? static_cast<int>(Int(0, 3)) : 1;
      for (int k = 0; k < n; ++k) SetOne(m, r, f, depth);
    }
  }

 private:
  void SetOne(Message* m, const Reflection* r, const FieldDescriptor* f,
              int depth) {
    const bool rep = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v = static_cast<int32_t>(Int(INT32_MIN, INT32_MAX));
        rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v = static_cast<uint32_t>(Int(0, UINT32_MAX));
        rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = Chance(0.2) ? 0 : static_cast<int64_t>(rng_());
        rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v = rng_();
        rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v = Double();
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        float v = static_cast<float>(Double());
        rep ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = Chance(0.5);
        rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f->enum_type();
        int v =
            e->value(static_cast<int>(Int(0, e->value_count() - 1)))->number();
        if (Chance(0.1) && e->full_name() != "google.protobuf.NullValue") {
          v = 1000 + static_cast<int>(Int(0, 50));  // Unknown (open enum).
        }
        rep ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string v =
            f->type() == FieldDescriptor::TYPE_BYTES ? Bytes() : String();
        rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(rep ? r->AddMessage(m, f) : r->MutableMessage(m, f), depth + 1);
        break;
    }
  }

  int64_t Int(int64_t lo, int64_t hi) {
    if (Chance(0.15)) return std::clamp<int64_t>(0, lo, hi);
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int64_t Nanos() {
    switch (Int(0, 3)) {
      case 0:
        return 0;
      case 1:
        return Int(0, 999) * 1000000;
      case 2:
        return Int(0, 999999) * 1000;
      default:
        return Int(0, 999999999);
    }
  }
  double Double() {
    switch (Int(0, 6)) {
      case 0:
        return 0;
      case 1:
        return std::numeric_limits<double>::quiet_NaN();
      case 2:
        return Chance(0.5) ? std::numeric_limits<double>::infinity()
                           : -std::numeric_limits<double>::infinity();
      case 3:
        return std::uniform_real_distribution<double>(-1e300, 1e300)(rng_);
      case 4:
        return std::uniform_real_distribution<double>(-1e-300, 1e-300)(rng_);
      default:
        return static_cast<double>(Int(-100000, 100000)) / 8;
    }
  }
  std::string String() {
    static const std::vector<std::string> kPieces = {
        "a", "Z", " ", "\"", "\\", "/",    "\n", "\t",     "\x01", "\x1f",
        "<", ">", "&", "'",  "é",  "日本", "😀",  "\u2028", "=",    "\x7f"};
    std::string out;
    const int n = static_cast<int>(Int(0, 12));
    for (int i = 0; i < n; ++i) {
      out += kPieces[static_cast<size_t>(Int(0, kPieces.size() - 1))];
    }
    return out;
  }
  std::string Bytes() {
    std::string out(static_cast<size_t>(Int(0, 20)), '\0');
    for (char& c : out) c = static_cast<char>(rng_());
    return out;
  }

  std::mt19937_64 rng_;
};

// Every message type reachable from the linked services' methods.
std::vector<const Descriptor*> AllTypes() {
  std::set<const Descriptor*> seen;
  std::vector<const Descriptor*> todo;
  for (const auto* service : RouteTable::LinkedServices("ttads.")) {
    for (int i = 0; i < service->method_count(); ++i) {
      todo.push_back(service->method(i)->input_type());
      todo.push_back(service->method(i)->output_type());
    }
  }
  todo.push_back(google::protobuf::Timestamp::descriptor());
  todo.push_back(google::protobuf::Duration::descriptor());
  todo.push_back(google::protobuf::Struct::descriptor());
  todo.push_back(google::protobuf::Value::descriptor());
  // Not the wrappers on their own: protobuf 3.21 prints a default-valued
  // top-level wrapper as `false` whatever its type (none is a response).
  std::vector<const Descriptor*> out;
  while (!todo.empty()) {
    const Descriptor* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d).second) continue;
    if (!d->options().map_entry()) out.push_back(d);
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->message_type() != nullptr) {
        todo.push_back(d->field(i)->message_type());
      }
    }
  }
  return out;
}

TEST(JsonPrinterTest, PrintsWhatProtobufPrintsForEveryMessage) {
  std::vector<const Descriptor*> types = AllTypes();
  ASSERT_GT(types.size(), 40u);
  int compared = 0;
  for (uint32_t seed : {20261122u, 7u, 99u}) {
    RandomFiller filler(seed);
    for (const Descriptor* type : types) {
      for (int round = 0; round < 60; ++round) {
        for (bool api : {true, false}) {
          // The seeds' dialects print short enum names
          // (contracts::MessageToShortJson), the others proto3 JSON names.
          const bool short_names = round % 2 == 1;
          auto message = NewMessage(type);
          filler.dynamic_json = !api;
          if (round > 0) filler.Fill(message.get(), 0);
          if (!message->IsInitialized()) continue;  // proto2 required fields.
          google::protobuf::util::JsonPrintOptions theirs;
          theirs.always_print_primitive_fields = api;
          theirs.preserve_proto_field_names = !api;
          JsonPrintOptions ours;
          ours.always_print_primitive_fields = api;
          ours.preserve_proto_field_names = !api;
          ours.short_enum_names = short_names;
          std::string expected;
          absl::Status expected_status =
              short_names
                  ? contracts::MessageToShortJson(*message, theirs, &expected)
                  : FromProtobuf(google::protobuf::util::MessageToJsonString(
                        *message, &expected, theirs));
          std::string actual;
          absl::Status actual_status = PrintJson(*message, ours, &actual);
          ASSERT_EQ(expected_status.ok(), actual_status.ok())
              << type->full_name() << ": " << expected_status << " vs "
              << actual_status << "\n"
              << message->DebugString();
          if (!expected_status.ok()) continue;
          ++compared;
          if (expected == actual) continue;  // Also covers protobuf's quirks.
          auto e = nlohmann::json::parse(expected, nullptr, false);
          auto a = nlohmann::json::parse(actual, nullptr, false);
          ASSERT_FALSE(a.is_discarded()) << type->full_name() << " " << actual
                                         << " protobuf: " << expected;
          ASSERT_EQ(e, a) << type->full_name() << (api ? " (api)" : " (tool)")
                          << (short_names ? " (short enum names)" : "")
                          << "\nprotobuf: " << expected
                          << "\nours:     " << actual << "\n"
                          << message->DebugString();
        }
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST(JsonPrinterTest, SpecialForms) {
  google::protobuf::Timestamp t;
  t.set_seconds(1795334400);
  t.set_nanos(120000000);
  std::string out;
  ASSERT_THAT(PrintJson(t, {}, &out), IsOk());
  EXPECT_EQ(out, R"("2026-11-22T08:00:00.120Z")");
  google::protobuf::Duration d;
  d.set_seconds(-1);
  d.set_nanos(-500000000);
  out.clear();
  ASSERT_THAT(PrintJson(d, {}, &out), IsOk());
  EXPECT_EQ(out, R"("-1.500s")");
  google::protobuf::Value v;
  v.set_number_value(1.5);
  out.clear();
  ASSERT_THAT(PrintJson(v, {}, &out), IsOk());
  EXPECT_EQ(out, "1.5");
  google::protobuf::Int64Value big;
  big.set_value(9007199254740993);
  out.clear();
  ASSERT_THAT(PrintJson(big, {}, &out), IsOk());
  EXPECT_EQ(out, R"("9007199254740993")");
}

// AIP-203: an INPUT_ONLY field is not included in output. An Ad (whose
// creation inputs are INPUT_ONLY) prints without them, set or not, also
// nested in a list answer; without the option it prints as protobuf does.
TEST(JsonPrinterTest, InputOnlyFieldsAreLeftOutOnRequest) {
  ads::v1::ListAdsResponse list;
  ads::v1::Ad* ad = list.add_ads();
  ad->set_ad_text("Hi");
  ad->add_image_urls("https://e.com/a.png");
  ad->set_video_url("https://e.com/v.mp4");
  ad->set_account_id("acct1");
  ad->mutable_brand_identity()->set_display_name("Demo");
  auto* text = ad->add_disclaimer_clickable_texts();
  text->set_text("Terms");
  text->set_url("https://e.com/t");
  for (bool always : {true, false}) {
    JsonPrintOptions opts;
    opts.always_print_primitive_fields = always;
    opts.omit_input_only = true;
    std::string out;
    ASSERT_THAT(PrintJson(list, opts, &out), IsOk());
    nlohmann::json printed = nlohmann::json::parse(out)["ads"][0];
    EXPECT_EQ(printed["adText"], "Hi") << out;
    for (const char* name :
         {"imageUrls", "videoUrl", "accountId", "brandIdentity",
          "disclaimerClickableTexts", "cardType", "useBrandIdentity"}) {
      EXPECT_FALSE(printed.contains(name)) << name << " in " << out;
    }
    // A field that is not INPUT_ONLY still prints (its default included).
    EXPECT_EQ(printed.contains("imageIds"), always) << out;

    opts.omit_input_only = false;
    out.clear();
    ASSERT_THAT(PrintJson(list, opts, &out), IsOk());
    printed = nlohmann::json::parse(out)["ads"][0];
    EXPECT_EQ(printed["imageUrls"], nlohmann::json({"https://e.com/a.png"}));
    EXPECT_EQ(printed["disclaimerClickableTexts"][0]["text"], "Terms");
    EXPECT_EQ(printed["videoUrl"], "https://e.com/v.mp4");
  }
}

}  // namespace
}  // namespace ttads::gateway
