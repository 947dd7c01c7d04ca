#ifndef TTADS_LIBS_TRACE_TRACE_CONTEXT_H_
#define TTADS_LIBS_TRACE_TRACE_CONTEXT_H_

// W3C Trace Context (https://www.w3.org/TR/trace-context/) for the suite:
// every hop — the gateway's HTTP request, each gRPC call a service serves —
// is one span of a trace. A hop reads the caller's `traceparent` (and
// `tracestate`), keeps its trace id, records the caller's span as its parent
// and mints its own span id; the calls it makes carry
// "00-<trace id>-<its span id>-<flags>" so the next hop's parent is this one.
// A missing or malformed `traceparent` starts a new trace: it is never an
// error (spec §4.3, "restart the trace").
//
// Parsing follows §3.2 (version 00) and §4.3 (versions above 00):
// - `version-traceid-parentid-flags`, lowercase hex only (uppercase is
//   refused: the grammar is HEXDIGLC); OWS around the value is ignored.
// - version 00: exactly 55 characters; version ff is invalid; a higher
//   version is read by its first 55 characters, which must be followed by
//   the end or a '-'.
// - trace id (32 hex) and parent id (16 hex) must not be all zeros.
// `tracestate` is kept only with a valid `traceparent`, only when it is
// printable ASCII, and cut to at most kMaxTracestateBytes at a list-member
// boundary (§3.3.1.5: whole entries are dropped from the end).
//
// Cost: parsing and minting work on fixed-size arrays; the only allocations
// are the header strings built for outgoing calls (and tracestate, when one
// was sent).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ttads::trace {

inline constexpr char kTraceparentHeader[] = "traceparent";
inline constexpr char kTracestateHeader[] = "tracestate";
// W3C Trace Context Level 2's response header: "00-<trace id>-<the
// callee's span id>-<flags>".
inline constexpr char kTraceresponseHeader[] = "traceresponse";
inline constexpr size_t kMaxTracestateBytes = 512;

// A valid `traceparent` value.
struct TraceParent {
  std::array<char, 32> trace_id{};  // lowercase hex
  std::array<char, 16> parent_id{};
  uint8_t flags = 0;
};

// The parsed header, or nullopt when it is not a valid traceparent.
std::optional<TraceParent> ParseTraceparent(std::string_view header);

// `tracestate` as it may be forwarded (see above): "" when it is not
// printable ASCII; cut at a ',' to fit kMaxTracestateBytes.
std::string SanitizeTracestate(std::string_view header);

// This hop's span.
struct TraceContext {
  std::array<char, 32> trace_id{};
  std::array<char, 16> span_id{};
  // The caller's span; all '0' when this hop started the trace.
  std::array<char, 16> parent_span_id{};
  uint8_t flags = 0;
  std::string tracestate;

  std::string_view trace_id_view() const {
    return {trace_id.data(), trace_id.size()};
  }
  std::string_view span_id_view() const {
    return {span_id.data(), span_id.size()};
  }
  // "" when this hop started the trace.
  std::string_view parent_span_id_view() const;
  bool has_parent() const { return parent_span_id[0] != '\0'; }
  // True for a default-constructed context (no trace yet): nothing to
  // propagate, echo or log.
  bool empty() const { return trace_id[0] == '\0'; }
  // "00-<trace id>-<span id>-<flags>": the `traceparent` of calls this
  // span makes, and its `traceresponse`.
  std::string Traceparent() const;
};

// The span of a hop called with these headers (either may be empty):
// continues a valid traceparent, else starts a new trace (sampled flag set:
// ttads records every trace it starts).
TraceContext ContinueOrStart(std::string_view traceparent,
                             std::string_view tracestate);
// A new trace with a new root span.
TraceContext StartTrace();

// Random non-zero ids, lowercase hex.
std::array<char, 32> NewTraceId();
std::array<char, 16> NewSpanId();

// The span the current thread works for (set by ScopedTrace), or null.
// Libraries read it to stamp log lines and outgoing calls.
const TraceContext* Current();

// Makes `trace` the current thread's Current() while it lives (scopes
// nest). `trace` must outlive the scope; null clears it.
class ScopedTrace {
 public:
  explicit ScopedTrace(const TraceContext* trace);
  ~ScopedTrace();
  ScopedTrace(const ScopedTrace&) = delete;
  ScopedTrace& operator=(const ScopedTrace&) = delete;

 private:
  const TraceContext* outer_;
};

}  // namespace ttads::trace

#endif  // TTADS_LIBS_TRACE_TRACE_CONTEXT_H_
