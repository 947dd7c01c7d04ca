#include "services/gateway/access_log.h"

#include "libs/log/log.h"

namespace ttads::gateway {

void LogAccess(const AccessRecord& record) {
  const log::Level level = record.status >= 500   ? log::Level::kError
                           : record.status >= 400 ? log::Level::kWarn
                                                  : log::Level::kInfo;
  if (!log::Enabled(level)) return;
  if (level == log::Level::kInfo && !log::SampleAccess()) return;
  std::string_view trace_id, span_id, parent_span_id;
  if (record.trace != nullptr && !record.trace->empty()) {
    trace_id = record.trace->trace_id_view();
    span_id = record.trace->span_id_view();
    parent_span_id = record.trace->parent_span_id_view();
  }
  log::Log(level, "request",
           {{"http_method", record.http_method},
            {"route", record.route},
            {"status", record.status},
            {"ms", absl::ToDoubleMilliseconds(record.duration)},
            {"bytes", record.bytes},
            {"request_id", record.request_id},
            {"trace_id", trace_id},
            {"span_id", span_id},
            {"parent_span_id", parent_span_id},
            {"peer", record.peer},
            {"team_id", record.team_id}});
}

}  // namespace ttads::gateway
