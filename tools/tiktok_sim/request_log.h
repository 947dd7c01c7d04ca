#ifndef TTADS_TOOLS_TIKTOK_SIM_REQUEST_LOG_H_
#define TTADS_TOOLS_TIKTOK_SIM_REQUEST_LOG_H_

// A record of the API requests the simulator receives, so a test can check
// what a client really sends (tests/conformance compares ttads's requests
// with TikTok's SDK). One record per request, a JSON object:
//
//   {"method": "POST", "path": "/open_api/v1.3/ad/create/",
//    "query": {"advertiser_id": "7101..."},      decoded query parameters;
//                                                a repeated name gives an
//                                                array of its values
//    "content_type": "application/json",         as sent ("" when absent)
//    "access_token": true,                       the Access-Token header was
//                                                sent (its value is not kept)
//    "traceparent": "00-<trace id>-<span>-01",  the W3C trace header, when sent
//    "body": {...}}                              a JSON body, or
//    "form": {"advertiser_id": "7101..."},       multipart fields, and
//    "files": {"image_file": {"filename": "a.png", "content_type":
//              "image/png", "bytes": 1234}}      multipart files (no content)
//    "body_text": "..."                          any other body (first 4 KiB)
//
// The log keeps the last `capacity` records in memory (GET /_sim/requests
// answers them as JSON lines; DELETE /_sim/requests clears them) and, when a
// file is set, appends every record to it as one line. Each line is written
// with one write() on an O_APPEND descriptor, so several simulators (in one
// process or in several) can share one file. The default file is
// $TTADS_SIM_RECORD, read when the log is made; unset or empty = no file.
//
// Thread-safe.

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include "libs/http/server.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_sim {

// The record for one request (see above).
nlohmann::json RequestRecord(const http::HttpRequest& req);

class RequestLog {
 public:
  static constexpr size_t kDefaultCapacity = 256;

  // Keeps `capacity` records in memory (0 = none) and appends to
  // `file_path` (empty = no file). A file that cannot be opened is reported
  // on stderr once; recording in memory goes on.
  RequestLog(size_t capacity, std::string file_path);
  // kDefaultCapacity, file $TTADS_SIM_RECORD.
  RequestLog();
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  void Record(const http::HttpRequest& req);
  // The records in memory, oldest first, one JSON object per line.
  std::string JsonLines() const;
  size_t size() const;
  void Clear();

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<nlohmann::json> records_;
  int fd_ = -1;
};

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_REQUEST_LOG_H_
