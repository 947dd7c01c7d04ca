#include "services/gateway/openapi_comments.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "libs/log/log.h"
#include "ttads/descriptor_set.h"

namespace ttads::gateway {
namespace {

using google::protobuf::SourceLocation;

// The comment text of a location, as the header describes.
std::string CleanComment(const SourceLocation& loc) {
  const std::string& raw = loc.leading_comments.empty() ? loc.trailing_comments
                                                        : loc.leading_comments;
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(raw, '\n')) {
    absl::ConsumePrefix(&line, " ");
    line = absl::StripTrailingAsciiWhitespace(line);
    if (absl::StartsWith(line, "buf:lint:")) continue;
    lines.emplace_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
  return absl::StrJoin(lines, "\n");
}

template <typename T>
void Put(const T* element, absl::flat_hash_map<std::string, std::string>* out) {
  SourceLocation loc;
  if (!element->GetSourceLocation(&loc)) return;
  std::string text = CleanComment(loc);
  if (!text.empty()) (*out)[element->full_name()] = std::move(text);
}

void PutEnum(const google::protobuf::EnumDescriptor* e,
             absl::flat_hash_map<std::string, std::string>* out) {
  Put(e, out);
  for (int i = 0; i < e->value_count(); ++i) Put(e->value(i), out);
}

void PutMessage(const google::protobuf::Descriptor* d,
                absl::flat_hash_map<std::string, std::string>* out) {
  Put(d, out);
  for (int i = 0; i < d->field_count(); ++i) Put(d->field(i), out);
  for (int i = 0; i < d->nested_type_count(); ++i) {
    PutMessage(d->nested_type(i), out);
  }
  for (int i = 0; i < d->enum_type_count(); ++i) PutEnum(d->enum_type(i), out);
}

}  // namespace

absl::StatusOr<ProtoComments> ProtoComments::FromSet(absl::string_view set) {
  google::protobuf::FileDescriptorSet files;
  if (!files.ParseFromArray(set.data(), static_cast<int>(set.size()))) {
    return absl::InvalidArgumentError("the descriptor set does not parse");
  }
  google::protobuf::DescriptorPool pool;
  ProtoComments comments;
  for (const google::protobuf::FileDescriptorProto& proto : files.file()) {
    const google::protobuf::FileDescriptor* file = pool.BuildFile(proto);
    if (file == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the descriptor set's file ", proto.name(), " does not build"));
    }
    for (int i = 0; i < file->service_count(); ++i) {
      const google::protobuf::ServiceDescriptor* s = file->service(i);
      Put(s, &comments.comments_);
      for (int m = 0; m < s->method_count(); ++m) {
        Put(s->method(m), &comments.comments_);
      }
    }
    for (int i = 0; i < file->message_type_count(); ++i) {
      PutMessage(file->message_type(i), &comments.comments_);
    }
    for (int i = 0; i < file->enum_type_count(); ++i) {
      PutEnum(file->enum_type(i), &comments.comments_);
    }
  }
  return comments;
}

const ProtoComments& ProtoComments::Linked() {
  static const ProtoComments* linked = [] {
    const std::string_view set = ttads::proto::DescriptorSetWithSourceInfo();
    absl::StatusOr<ProtoComments> loaded =
        FromSet(absl::string_view(set.data(), set.size()));
    if (!loaded.ok()) {
      log::Error("openapi: the linked descriptor set does not load",
                 {{"error", loaded.status().ToString()}});
      return new ProtoComments();
    }
    return new ProtoComments(*std::move(loaded));
  }();
  return *linked;
}

std::string ProtoComments::Of(absl::string_view symbol) const {
  auto it = comments_.find(symbol);
  return it == comments_.end() ? "" : it->second;
}

std::string ProtoComments::Summary(absl::string_view symbol,
                                   size_t max_chars) const {
  const std::string comment = Of(symbol);
  absl::string_view first = comment;
  // The first sentence ends at ". " (or ".\n", or the end).
  size_t end = std::string::npos;
  for (size_t i = 0; i + 1 <= first.size(); ++i) {
    if (first[i] != '.' ||
        (i + 1 < first.size() && first[i + 1] != ' ' && first[i + 1] != '\n')) {
      continue;
    }
    // Not an abbreviation ("e.g. TRAFFIC").
    if (absl::EndsWith(first.substr(0, i), "e.g") ||
        absl::EndsWith(first.substr(0, i), "i.e")) {
      continue;
    }
    {
      end = i;
      break;
    }
  }
  if (end == std::string::npos) return "";
  std::string sentence(first.substr(0, end));
  if (sentence.find("\n\n") != std::string::npos) return "";
  absl::StrReplaceAll({{"\n", " "}}, &sentence);
  if (sentence.empty() || sentence.size() > max_chars) return "";
  return sentence;
}

}  // namespace ttads::gateway
