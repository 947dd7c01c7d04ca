#include "services/gateway/json_guard.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace ttads::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using json = nlohmann::json;

// A field's JSON key may be its json_name or its proto name.
const FieldDescriptor* FindField(const Descriptor* type,
                                 const std::string& key) {
  const FieldDescriptor* f = type->FindFieldByCamelcaseName(key);
  if (f == nullptr) f = type->FindFieldByName(key);
  for (int i = 0; f == nullptr && i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == key) f = type->field(i);
  }
  return f;
}

// Well-known types have their own JSON forms (Struct and Value take any
// JSON); their insides are not checked against a descriptor.
bool IsWellKnown(const Descriptor* type) {
  return absl::StartsWith(type->file()->name(), "google/protobuf/");
}

bool IsBool(const FieldDescriptor* f) {
  return f->type() == FieldDescriptor::TYPE_BOOL ||
         (f->type() == FieldDescriptor::TYPE_MESSAGE &&
          f->message_type()->full_name() == "google.protobuf.BoolValue");
}

enum class Kind { kNull, kBool, kNumber, kString, kObject, kArray };

class Checker {
 public:
  Checker(const Descriptor* root, absl::string_view what)
      : root_(root), what_(what) {}

  const absl::Status& status() const { return status_; }

  // nlohmann::json_sax interface.
  bool null() { return Scalar(Kind::kNull); }
  bool boolean(bool) { return Scalar(Kind::kBool); }
  bool number_integer(json::number_integer_t) { return Scalar(Kind::kNumber); }
  bool number_unsigned(json::number_unsigned_t) {
    return Scalar(Kind::kNumber);
  }
  bool number_float(json::number_float_t, const json::string_t&) {
    return Scalar(Kind::kNumber);
  }
  bool string(json::string_t&) { return Scalar(Kind::kString); }
  bool binary(json::binary_t&) { return Scalar(Kind::kString); }

  bool start_object(std::size_t) {
    Slot slot = CurrentSlot();
    if (!Shape(slot, Kind::kObject)) return false;
    Frame frame;
    if (slot.root) {
      frame.message = root_;
    } else if (slot.field != nullptr && !slot.element && slot.field->is_map()) {
      frame.map_value = slot.field->message_type()->map_value();
    } else if (slot.field != nullptr &&
               slot.field->type() == FieldDescriptor::TYPE_MESSAGE &&
               !IsWellKnown(slot.field->message_type())) {
      frame.message = slot.field->message_type();
    }
    return Push(std::move(frame));
  }

  bool key(json::string_t& key) {
    Frame& top = frames_.back();
    top.member = nullptr;
    top.segment = key;
    if (top.message != nullptr) {
      top.member = FindField(top.message, key);
      if (top.member != nullptr) top.segment = top.member->name();
    } else if (top.map_value != nullptr) {
      top.member = top.map_value;
    }
    return true;
  }

  bool end_object() { return Pop(); }

  bool start_array(std::size_t) {
    Slot slot = CurrentSlot();
    if (!Shape(slot, Kind::kArray)) return false;
    Frame frame;
    frame.array = true;
    if (slot.field != nullptr && !slot.element && slot.field->is_repeated()) {
      frame.member = slot.field;  // Elements are the repeated field's.
    }
    return Push(std::move(frame));
  }

  bool end_array() { return Pop(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    // "[json.exception.parse_error.101] parse error at line 1, column 9:
    // syntax error while parsing value - invalid string: ...; last read:
    // '<bytes>'": the excerpt may hold the offending bytes, so it goes.
    std::string message = ex.what();
    if (size_t at = message.find("] "); at != std::string::npos) {
      message = message.substr(at + 2);
    }
    if (size_t at = message.find("; last read"); at != std::string::npos) {
      message = message.substr(0, at);
    }
    const bool utf8 = absl::StrContains(message, "UTF-8") ||
                      absl::StrContains(message, "surrogate");
    const std::string field = Path();
    if (utf8) {
      return Fail(
          field, "not valid UTF-8",
          absl::StrCat("invalid JSON in ", what_, ": \"", field,
                       "\" is not valid UTF-8 (at byte ", position, ")"));
    }
    return Fail(field, message,
                absl::StrCat("invalid JSON in ", what_, ": ", message));
  }

 private:
  struct Frame {
    bool array = false;
    // An object of this message type (fields checked by descriptor).
    const Descriptor* message = nullptr;
    // An object that is a map: every member is this map value field.
    const FieldDescriptor* map_value = nullptr;
    // Object: the field of the current key (null when unknown or free-form).
    // Array: the repeated field whose elements these are.
    const FieldDescriptor* member = nullptr;
    std::string segment;  // Object: the current key.
    size_t index = 0;     // Array: the current element.
  };

  // What the next value is.
  struct Slot {
    bool root = false;
    const FieldDescriptor* field = nullptr;
    bool element = false;  // One element of the repeated `field`.
  };

  Slot CurrentSlot() const {
    Slot slot;
    if (frames_.empty()) {
      slot.root = true;
      return slot;
    }
    const Frame& top = frames_.back();
    slot.field = top.member;
    slot.element = top.array;
    return slot;
  }

  bool Shape(const Slot& slot, Kind kind) {
    if (slot.field == nullptr || kind == Kind::kNull) return true;
    const FieldDescriptor* f = slot.field;
    if (!slot.element && f->is_map()) {
      return kind == Kind::kObject || Fail(Path(), "expected a JSON object");
    }
    if (!slot.element && f->is_repeated()) {
      return kind == Kind::kArray || Fail(Path(), "expected a JSON array");
    }
    if (IsBool(f) && kind != Kind::kBool) {
      return Fail(Path(), "expected true or false");
    }
    return true;
  }

  bool Scalar(Kind kind) {
    if (!Shape(CurrentSlot(), kind)) return false;
    ValueDone();
    return true;
  }

  bool Push(Frame frame) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth) {
      return Fail(
          Path(), absl::StrCat("nested deeper than ", kMaxJsonDepth, " levels"),
          absl::StrCat("invalid JSON in ", what_, ": nested deeper than ",
                       kMaxJsonDepth, " levels"));
    }
    frames_.push_back(std::move(frame));
    return true;
  }

  bool Pop() {
    frames_.pop_back();
    ValueDone();
    return true;
  }

  // A whole value was read: move to the next member or element.
  void ValueDone() {
    if (frames_.empty()) return;
    Frame& top = frames_.back();
    if (top.array) {
      ++top.index;
    } else {
      top.segment.clear();
      top.member = nullptr;
    }
  }

  // Proto-name path of the value being read, or `what` at the top.
  std::string Path() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.array) {
        absl::StrAppend(&out, "[", f.index, "]");
      } else if (!f.segment.empty()) {
        if (!out.empty()) out += ".";
        out += f.segment;
      }
    }
    return out.empty() ? std::string(what_) : out;
  }

  bool Fail(const std::string& field, const std::string& description,
            std::string message = "") {
    if (message.empty()) {
      message = absl::StrCat("invalid JSON in ", what_, ": \"", field,
                             "\": ", description);
    }
    status_ = status::InvalidArgument(message, {{field, description}},
                                      "INVALID_JSON");
    return false;
  }

  const Descriptor* root_;
  absl::string_view what_;
  std::vector<Frame> frames_;
  absl::Status status_;
};

}  // namespace

absl::Status CheckRequestJson(absl::string_view text, const Descriptor* type,
                              absl::string_view what) {
  if (text.size() > kMaxJsonBytes) {
    std::string description = absl::StrCat("over ", kMaxJsonBytes, " bytes");
    return status::WithFieldViolations(
        absl::ResourceExhaustedError(
            absl::StrCat("JSON in ", what, " is ", description)),
        {{std::string(what), description}});
  }
  Checker checker(type, what);
  if (json::sax_parse(text.begin(), text.end(), &checker)) {
    return absl::OkStatus();
  }
  TTADS_RETURN_IF_ERROR(checker.status());
  return status::InvalidArgument(absl::StrCat("invalid JSON in ", what),
                                 {{std::string(what), "not JSON"}},
                                 "INVALID_JSON");
}

}  // namespace ttads::gateway
