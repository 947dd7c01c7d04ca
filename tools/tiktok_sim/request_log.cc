#include "tools/tiktok_sim/request_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "absl/strings/match.h"
#include "tools/tiktok_sim/multipart.h"

namespace ttads::tiktok_sim {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxBodyText = 4096;

// Strings are kept as received; bytes that are not UTF-8 are replaced when
// the record is written out.
std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Json RequestRecord(const http::HttpRequest& req) {
  Json query = Json::object();
  for (const auto& [k, v] : req.query) {
    if (!query.contains(k)) {
      query[k] = v;
    } else {
      if (!query[k].is_array()) query[k] = Json::array({query[k]});
      query[k].push_back(v);
    }
  }
  std::string content_type = req.headers.Get("Content-Type").value_or("");
  Json rec = {{"method", req.method},
              {"path", req.path},
              {"query", std::move(query)},
              {"content_type", content_type},
              {"access_token", req.headers.Has("Access-Token")}};
  if (auto traceparent = req.headers.Get("traceparent")) {
    rec["traceparent"] = *traceparent;
  }
  // "headers": {"X-Debug": "1"}: the X-... and Accept-Language headers, when
  // sent — those a caller may add to a raw call (services/ads
  // raw_call_headers.h); TikTok ignores those it does not know.
  Json extra = Json::object();
  for (const auto& [name, value] : req.headers.entries()) {
    if (absl::StartsWithIgnoreCase(name, "X-") ||
        absl::EqualsIgnoreCase(name, "Accept-Language")) {
      extra[name] = value;
    }
  }
  if (!extra.empty()) rec["headers"] = std::move(extra);
  if (req.body.empty()) return rec;
  if (absl::StartsWithIgnoreCase(content_type, "multipart/form-data")) {
    auto boundary = MultipartBoundary(content_type);
    auto parts =
        boundary.ok()
            ? ParseMultipart(req.body, *boundary)
            : absl::StatusOr<std::vector<MultipartPart>>(boundary.status());
    if (parts.ok()) {
      Json form = Json::object();
      Json files = Json::object();
      for (const auto& p : *parts) {
        if (p.is_file) {
          files[p.name] = {{"filename", p.filename},
                           {"content_type", p.content_type},
                           {"bytes", p.data.size()}};
        } else {
          form[p.name] = p.data;
        }
      }
      rec["form"] = std::move(form);
      rec["files"] = std::move(files);
      return rec;
    }
  } else {
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_discarded()) {
      rec["body"] = std::move(body);
      return rec;
    }
  }
  rec["body_text"] = req.body.substr(0, kMaxBodyText);
  return rec;
}

RequestLog::RequestLog(size_t capacity, std::string file_path)
    : capacity_(capacity) {
  if (file_path.empty()) return;
  fd_ = ::open(file_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
               0644);
  if (fd_ < 0) {
    std::cerr << "ttads-tiktok-sim: cannot record requests to " << file_path
              << ": " << std::strerror(errno) << "\n";
  }
}

RequestLog::RequestLog()
    : RequestLog(kDefaultCapacity, [] {
        const char* v = std::getenv("TTADS_SIM_RECORD");
        return std::string(v != nullptr ? v : "");
      }()) {}

RequestLog::~RequestLog() {
  if (fd_ >= 0) ::close(fd_);
}

void RequestLog::Record(const http::HttpRequest& req) {
  if (capacity_ == 0 && fd_ < 0) return;
  Json rec = RequestRecord(req);
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0) {
    std::string line = Dump(rec) + "\n";
    // One write per line: O_APPEND keeps concurrent writers' lines whole.
    ssize_t n = ::write(fd_, line.data(), line.size());
    (void)n;
  }
  if (capacity_ == 0) return;
  if (records_.size() == capacity_) records_.pop_front();
  records_.push_back(std::move(rec));
}

std::string RequestLog::JsonLines() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& r : records_) {
    out += Dump(r);
    out += '\n';
  }
  return out;
}

size_t RequestLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_.size();
}

void RequestLog::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  records_.clear();
}

}  // namespace ttads::tiktok_sim
