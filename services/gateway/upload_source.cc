#include "services/gateway/upload_source.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/validate/validate.h"
#include "services/gateway/transcoder.h"

namespace ttads::gateway {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::optional<CsvShape> FindCsvShape(const Descriptor* d) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!f->is_repeated() ||
        f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) {
      continue;
    }
    CsvShape shape;
    shape.batches = f;
    const Descriptor* e = f->message_type();
    for (int j = 0; j < e->field_count(); ++j) {
      const FieldDescriptor* g = e->field(j);
      if (g->cpp_type() == FieldDescriptor::CPPTYPE_ENUM && !g->is_repeated() &&
          shape.type == nullptr) {
        shape.type = g;
      }
      if (g->type() == FieldDescriptor::TYPE_STRING && g->is_repeated() &&
          shape.values == nullptr) {
        shape.values = g;
      }
    }
    if (shape.type != nullptr && shape.values != nullptr) return shape;
  }
  return std::nullopt;
}

const FieldDescriptor* FindRawField(const Descriptor* d) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_BYTES && !f->is_repeated()) {
      return f;
    }
  }
  return nullptr;
}

absl::Status RawBodyTooLarge(size_t max_bytes) {
  std::string description = absl::StrCat("larger than ", max_bytes, " bytes");
  return status::WithFieldViolations(
      absl::ResourceExhaustedError(absl::StrCat("the upload is ", description)),
      {{"body", description}});
}

std::vector<std::string> SplitCsvRecord(absl::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (std::string& s : out) s = std::string(absl::StripAsciiWhitespace(s));
  return out;
}

UploadSource::UploadSource(Options options, std::string initial,
                           ReadMore read_more)
    : options_(std::move(options)), read_more_(std::move(read_more)) {
  refused_ = Append(initial);
  eof_ = read_more_ == nullptr;
}

absl::Status UploadSource::Append(absl::string_view piece) {
  received_ += piece.size();
  if (options_.raw != nullptr && options_.max_raw_bytes > 0 &&
      received_ > options_.max_raw_bytes) {
    // Refused before any of it is kept or sent.
    buffer_.clear();
    pos_ = 0;
    return RawBodyTooLarge(options_.max_raw_bytes);
  }
  // Drop what was consumed once it is the larger part of the buffer.
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(piece.data(), piece.size());
  if (options_.raw == nullptr) {
    newlines_ahead_ += std::count(piece.begin(), piece.end(), '\n');
  }
  return absl::OkStatus();
}

bool UploadSource::HasEnoughLines() const {
  if (eof_) return true;
  if (options_.raw != nullptr) {
    return buffer_.size() - pos_ >=
           std::max<size_t>(1, options_.raw_chunk_bytes);
  }
  if (!options_.csv.has_value()) return newlines_ahead_ >= 1;
  const size_t header = columns_.empty() ? 1 : 0;
  return newlines_ahead_ >=
         header + static_cast<size_t>(std::max(1, options_.batch_rows));
}

void UploadSource::Next(BackendPool::MessageReady ready) {
  if (!refused_.ok()) return ready(refused_);
  if (HasEnoughLines()) {
    // At the end of the body every step answers; before it, a step finding
    // only blank lines (or part of a batch) asks for more bytes below.
    Step step = options_.csv.has_value()  ? NextCsv()
                : options_.raw != nullptr ? NextRaw()
                                          : NextNdjson();
    if (step.has_value()) return ready(*std::move(step));
  }
  if (options_.raw == nullptr &&
      buffer_.size() - pos_ > options_.max_line_bytes && newlines_ahead_ == 0) {
    return ready(status::InvalidArgument(
        absl::StrCat("line ", line_no_ + 1, " is longer than ",
                     options_.max_line_bytes, " bytes"),
        {{"body", "one message per line"}}));
  }
  read_more_([self = shared_from_this(), ready = std::move(ready)](
                 absl::StatusOr<std::string> piece) mutable {
    if (!piece.ok()) {
      self->body_failed_ = true;
      return ready(piece.status());
    }
    if (piece->empty()) {
      self->eof_ = true;
    } else {
      self->refused_ = self->Append(*piece);
    }
    self->Next(std::move(ready));
  });
}

std::optional<absl::string_view> UploadSource::NextLine() {
  while (pos_ < buffer_.size()) {
    size_t end = buffer_.find('\n', pos_);
    if (end == std::string::npos) {
      if (!eof_) return std::nullopt;  // Incomplete: wait for the rest.
      end = buffer_.size();
    } else {
      --newlines_ahead_;
    }
    absl::string_view line(buffer_.data() + pos_, end - pos_);
    pos_ = end + 1;
    ++line_no_;
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) return line;
  }
  return std::nullopt;
}

absl::Status UploadSource::Decorate(Message* m) {
  std::set<std::string> bound;
  TTADS_RETURN_IF_ERROR(ApplyBindings(options_.bindings, m, &bound));
  TTADS_RETURN_IF_ERROR(ApplyQuery(options_.query, bound, m));
  if (options_.request_id.has_value()) {
    TTADS_RETURN_IF_ERROR(SetRequestId(m, *options_.request_id));
  }
  return validate::Validate(*m);
}

absl::Status UploadSource::AtLine(const absl::Status& s) const {
  absl::Status out(s.code(),
                   absl::StrCat("line ", line_no_, ": ", s.message()));
  s.ForEachPayload([&out](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  return out;
}

UploadSource::Step UploadSource::NextNdjson() {
  std::optional<absl::string_view> line = NextLine();
  if (!line.has_value()) {
    if (!exhausted()) return std::nullopt;
    if (sent_ == 0) {
      return status::InvalidArgument("the upload is empty",
                                     {{"body", "one JSON message per line"}});
    }
    return std::optional<std::string>();
  }
  auto m = NewMessage(options_.message_type);
  TTADS_RETURN_IF_ERROR(
      ParseJson(*line, m.get(), absl::StrCat("line ", line_no_)));
  if (absl::Status s = Decorate(m.get()); !s.ok()) return AtLine(s);
  ++sent_;
  return std::optional<std::string>(m->SerializeAsString());
}

UploadSource::Step UploadSource::NextRaw() {
  if (exhausted()) {
    if (sent_ == 0) {
      return status::InvalidArgument("the upload is empty",
                                     {{"body", "the file's bytes"}});
    }
    return std::optional<std::string>();
  }
  const size_t n = std::min(buffer_.size() - pos_,
                            std::max<size_t>(1, options_.raw_chunk_bytes));
  auto m = NewMessage(options_.message_type);
  m->GetReflection()->SetString(m.get(), options_.raw, buffer_.substr(pos_, n));
  pos_ += n;
  TTADS_RETURN_IF_ERROR(Decorate(m.get()));
  ++sent_;
  return std::optional<std::string>(m->SerializeAsString());
}

UploadSource::Step UploadSource::NextCsv() {
  const CsvShape& shape = *options_.csv;
  if (columns_.empty()) {
    std::optional<absl::string_view> header = NextLine();
    if (!header.has_value()) {
      if (!exhausted()) return std::nullopt;
      return status::InvalidArgument(
          "the CSV upload has no header row",
          {{"body", "first row names the identifier types, e.g. email,phone"}});
    }
    for (const std::string& name : SplitCsvRecord(*header)) {
      const auto* value = contracts::FindValueByAnyName(
          shape.type->enum_type(), absl::AsciiStrToUpper(name));
      if (value == nullptr || value->number() == 0) {
        return status::InvalidArgument(
            absl::StrCat("unknown CSV column \"", name, "\""),
            {{name, "not an identifier type"}});
      }
      columns_.push_back(value->number());
    }
  }
  auto m = NewMessage(options_.message_type);
  const google::protobuf::Reflection* r = m->GetReflection();
  std::vector<Message*> batches;
  for (int number : columns_) {
    Message* batch = r->AddMessage(m.get(), shape.batches);
    batch->GetReflection()->SetEnumValue(batch, shape.type, number);
    batches.push_back(batch);
  }
  int rows = 0;
  while (rows < options_.batch_rows) {
    std::optional<absl::string_view> line = NextLine();
    if (!line.has_value()) break;
    std::vector<std::string> cells = SplitCsvRecord(*line);
    if (cells.size() > columns_.size()) {
      return AtLine(status::InvalidArgument("more cells than header columns",
                                            {{"body", "too many cells"}}));
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      batches[i]->GetReflection()->AddString(batches[i], shape.values,
                                             cells[i]);
    }
    ++rows;
  }
  if (rows == 0) {
    if (!exhausted()) return std::nullopt;
    // A header-only upload still sends one (empty) message.
    if (sent_ > 0) return std::optional<std::string>();
  }
  TTADS_RETURN_IF_ERROR(Decorate(m.get()));
  ++sent_;
  return std::optional<std::string>(m->SerializeAsString());
}

}  // namespace ttads::gateway
