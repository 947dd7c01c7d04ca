#include "libs/trace/trace_context.h"

#include <algorithm>
#include <random>

namespace ttads::trace {
namespace {

constexpr size_t kVersion00Length = 55;  // 2+1+32+1+16+1+2
constexpr char kHex[] = "0123456789abcdef";

thread_local const TraceContext* t_current = nullptr;

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

bool AllLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsLowerHex);
}

bool AllZeros(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

template <size_t N>
void FillRandomHex(std::array<char, N>& out) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  do {
    for (size_t i = 0; i < N; i += 16) {
      uint64_t bits = rng();
      for (size_t j = 0; j < 16 && i + j < N; ++j) {
        out[i + j] = kHex[bits & 0xf];
        bits >>= 4;
      }
    }
  } while (AllZeros(std::string_view(out.data(), N)));
}

}  // namespace

std::optional<TraceParent> ParseTraceparent(std::string_view header) {
  header = TrimOws(header);
  if (header.size() < kVersion00Length) return std::nullopt;
  std::string_view version = header.substr(0, 2);
  if (!AllLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00") {
    if (header.size() != kVersion00Length) return std::nullopt;
  } else if (header.size() > kVersion00Length &&
             header[kVersion00Length] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') {
    return std::nullopt;
  }
  std::string_view trace_id = header.substr(3, 32);
  std::string_view parent_id = header.substr(36, 16);
  std::string_view flags = header.substr(53, 2);
  if (!AllLowerHex(trace_id) || !AllLowerHex(parent_id) ||
      !AllLowerHex(flags) || AllZeros(trace_id) || AllZeros(parent_id)) {
    return std::nullopt;
  }
  TraceParent parsed;
  std::copy(trace_id.begin(), trace_id.end(), parsed.trace_id.begin());
  std::copy(parent_id.begin(), parent_id.end(), parsed.parent_id.begin());
  parsed.flags =
      static_cast<uint8_t>(HexValue(flags[0]) * 16 + HexValue(flags[1]));
  // Only the sampled flag is defined for version 00; what a higher version
  // means by the others is unknown here (§4.3).
  if (version != "00") parsed.flags &= 0x01;
  return parsed;
}

std::string SanitizeTracestate(std::string_view header) {
  header = TrimOws(header);
  for (char c : header) {
    if (c < 0x20 || c > 0x7e) return "";
  }
  while (header.size() > kMaxTracestateBytes) {
    size_t comma = header.rfind(',', kMaxTracestateBytes);
    if (comma == std::string_view::npos) return "";
    header = TrimOws(header.substr(0, comma));
  }
  return std::string(header);
}

std::string_view TraceContext::parent_span_id_view() const {
  if (!has_parent()) return {};
  return {parent_span_id.data(), parent_span_id.size()};
}

std::string TraceContext::Traceparent() const {
  std::string out;
  out.reserve(kVersion00Length);
  out.append("00-");
  out.append(trace_id.data(), trace_id.size());
  out.push_back('-');
  out.append(span_id.data(), span_id.size());
  out.push_back('-');
  out.push_back(kHex[flags >> 4]);
  out.push_back(kHex[flags & 0xf]);
  return out;
}

TraceContext ContinueOrStart(std::string_view traceparent,
                             std::string_view tracestate) {
  std::optional<TraceParent> parent = ParseTraceparent(traceparent);
  if (!parent.has_value()) return StartTrace();
  TraceContext trace;
  trace.trace_id = parent->trace_id;
  trace.parent_span_id = parent->parent_id;
  trace.span_id = NewSpanId();
  trace.flags = parent->flags;
  if (!tracestate.empty()) trace.tracestate = SanitizeTracestate(tracestate);
  return trace;
}

TraceContext StartTrace() {
  TraceContext trace;
  trace.trace_id = NewTraceId();
  trace.span_id = NewSpanId();
  trace.flags = 0x01;
  return trace;
}

std::array<char, 32> NewTraceId() {
  std::array<char, 32> id;
  FillRandomHex(id);
  return id;
}

std::array<char, 16> NewSpanId() {
  std::array<char, 16> id;
  FillRandomHex(id);
  return id;
}

const TraceContext* Current() { return t_current; }

ScopedTrace::ScopedTrace(const TraceContext* trace) : outer_(t_current) {
  t_current = trace;
}

ScopedTrace::~ScopedTrace() { t_current = outer_; }

}  // namespace ttads::trace
