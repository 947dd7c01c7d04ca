#ifndef TTADS_SERVICES_GATEWAY_PATH_TEMPLATE_H_
#define TTADS_SERVICES_GATEWAY_PATH_TEMPLATE_H_

// google.api.http path templates (the grammar of google/api/http.proto):
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;
//
// A template is parsed once at start; Match() then binds the variables of a
// raw (still percent-encoded) request path. `{name}` is `{name=*}`: one
// segment; `{name=**}` (or a trailing `**`) takes the rest of the path,
// slashes included. Values are percent-decoded after matching, so an encoded
// "%2F" inside a one-segment variable stays in that variable.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::gateway {

class PathTemplate {
 public:
  struct Segment {
    enum class Kind { kLiteral, kSingle, kMulti };
    Kind kind = Kind::kLiteral;
    std::string literal;  // kLiteral only.
  };
  struct Variable {
    std::string field_path;  // "a.b" as written in the template.
    size_t start = 0;        // First segment index it covers.
    size_t end = 0;          // One past the last (for kMulti: see Match).
  };
  using Bindings = std::vector<std::pair<std::string, std::string>>;

  // INVALID_ARGUMENT naming the template and the position for bad syntax.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Binds `raw_path` (no query). nullopt when it does not match.
  std::optional<Bindings> Match(absl::string_view raw_path) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Variable>& variables() const { return variables_; }

  // Number of literal segments (more literals = more specific route).
  int literal_count() const;
  bool has_multi() const;

  // OpenAPI form: variables as "{field.path}", wildcards outside variables
  // as "{wildcard}", verb kept ("/v1/x/{id}:cancel").
  std::string OpenApiPath() const;

 private:
  std::string text_;
  std::string verb_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_PATH_TEMPLATE_H_
