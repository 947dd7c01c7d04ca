#include "services/gateway/path_template.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"
#include "libs/status/status_macros.h"

namespace ttads::gateway {
namespace {

bool IsLiteralChar(char c) {
  return c != '/' && c != '{' && c != '}' && c != ':' && c != '*' && c != '=' &&
         c != '?' && c != '#';
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad path template \"", text_, "\" at position ", pos_, ": ", what));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Segment := "*" | "**" | LITERAL ; variables are handled by the caller.
  absl::StatusOr<PathTemplate::Segment> ParsePlainSegment() {
    PathTemplate::Segment seg;
    if (Peek() == '*') {
      ++pos_;
      if (Peek() == '*') {
        ++pos_;
        seg.kind = PathTemplate::Segment::Kind::kMulti;
      } else {
        seg.kind = PathTemplate::Segment::Kind::kSingle;
      }
      return seg;
    }
    size_t start = pos_;
    while (!AtEnd() && IsLiteralChar(Peek())) ++pos_;
    if (pos_ == start) return Error("expected a literal, '*' or '**'");
    seg.literal = std::string(text_.substr(start, pos_ - start));
    return seg;
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  Parser p(text);
  if (p.Peek() != '/') return p.Error("must start with '/'");
  ++p.pos_;
  while (true) {
    if (p.Peek() == '{') {
      ++p.pos_;
      size_t start = p.pos_;
      while (!p.AtEnd() &&
             (std::isalnum(static_cast<unsigned char>(p.Peek())) ||
              p.Peek() == '_' || p.Peek() == '.')) {
        ++p.pos_;
      }
      if (p.pos_ == start) return p.Error("expected a field path");
      Variable var;
      var.field_path = std::string(text.substr(start, p.pos_ - start));
      var.start = t.segments_.size();
      if (p.Peek() == '=') {
        ++p.pos_;
        while (true) {
          TTADS_ASSIGN_OR_RETURN(Segment seg, p.ParsePlainSegment());
          t.segments_.push_back(std::move(seg));
          if (p.Peek() != '/') break;
          ++p.pos_;
        }
      } else {
        t.segments_.push_back({Segment::Kind::kSingle, ""});
      }
      if (p.Peek() != '}') return p.Error("expected '}'");
      ++p.pos_;
      var.end = t.segments_.size();
      for (const Variable& other : t.variables_) {
        if (other.field_path == var.field_path) {
          return p.Error(absl::StrCat("variable ", var.field_path, " repeats"));
        }
      }
      t.variables_.push_back(std::move(var));
    } else {
      TTADS_ASSIGN_OR_RETURN(Segment seg, p.ParsePlainSegment());
      t.segments_.push_back(std::move(seg));
    }
    if (p.Peek() == '/') {
      ++p.pos_;
      continue;
    }
    break;
  }
  if (p.Peek() == ':') {
    ++p.pos_;
    size_t start = p.pos_;
    while (!p.AtEnd() && IsLiteralChar(p.Peek())) ++p.pos_;
    if (p.pos_ == start) return p.Error("expected a verb after ':'");
    t.verb_ = std::string(text.substr(start, p.pos_ - start));
  }
  if (!p.AtEnd()) return p.Error("unexpected character");
  for (size_t i = 0; i < t.segments_.size(); ++i) {
    if (t.segments_[i].kind == Segment::Kind::kMulti &&
        i + 1 != t.segments_.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad path template \"", text, "\": '**' must be the last segment"));
    }
  }
  return t;
}

std::optional<PathTemplate::Bindings> PathTemplate::Match(
    absl::string_view raw_path) const {
  if (raw_path.empty() || raw_path[0] != '/') return std::nullopt;
  absl::string_view rest = raw_path.substr(1);
  if (!verb_.empty()) {
    std::string suffix = absl::StrCat(":", verb_);
    if (rest.size() <= suffix.size() ||
        rest.substr(rest.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    rest.remove_suffix(suffix.size());
  }
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '/');
  const bool multi = has_multi();
  const size_t fixed = multi ? segments_.size() - 1 : segments_.size();
  if (multi ? parts.size() < fixed : parts.size() != fixed) return std::nullopt;
  for (size_t i = 0; i < fixed; ++i) {
    const Segment& seg = segments_[i];
    if (seg.kind == Segment::Kind::kLiteral) {
      if (parts[i] != seg.literal) return std::nullopt;
    } else if (parts[i].empty()) {
      return std::nullopt;
    }
  }
  Bindings bindings;
  for (const Variable& var : variables_) {
    size_t end = var.end;
    if (multi && end == segments_.size()) end = parts.size();
    std::vector<absl::string_view> covered(parts.begin() + var.start,
                                           parts.begin() + end);
    if (var.end - var.start == 1 &&
        segments_[var.start].kind == Segment::Kind::kSingle) {
      bindings.emplace_back(
          var.field_path,
          http::PercentDecode(
              std::string_view(covered.front().data(), covered.front().size()),
              false));
    } else {
      // Multi-segment values keep their slashes; each piece is decoded.
      std::vector<std::string> decoded;
      for (absl::string_view piece : covered) {
        decoded.push_back(http::PercentDecode(
            std::string_view(piece.data(), piece.size()), false));
      }
      bindings.emplace_back(var.field_path, absl::StrJoin(decoded, "/"));
    }
  }
  return bindings;
}

int PathTemplate::literal_count() const {
  int n = 0;
  for (const Segment& s : segments_) n += s.kind == Segment::Kind::kLiteral;
  return n;
}

bool PathTemplate::has_multi() const {
  return !segments_.empty() && segments_.back().kind == Segment::Kind::kMulti;
}

std::string PathTemplate::OpenApiPath() const {
  std::string out;
  size_t i = 0;
  int wildcard = 0;
  while (i < segments_.size()) {
    const Variable* var = nullptr;
    for (const Variable& v : variables_) {
      if (v.start == i) var = &v;
    }
    out += "/";
    if (var != nullptr) {
      absl::StrAppend(&out, "{", var->field_path, "}");
      i = var->end;
      continue;
    }
    const Segment& s = segments_[i];
    if (s.kind == Segment::Kind::kLiteral) {
      out += s.literal;
    } else {
      absl::StrAppend(&out, "{wildcard",
                      wildcard++ == 0 ? "" : absl::StrCat(wildcard), "}");
    }
    ++i;
  }
  if (!verb_.empty()) absl::StrAppend(&out, ":", verb_);
  return out;
}

}  // namespace ttads::gateway
