#include "libs/http/message.h"

#include "libs/http/internal/ascii.h"

namespace ttads::http {

using internal::EqualsIgnoreCase;

void Headers::Add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::QueryParam(
    std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::JsonError(int status, std::string_view code,
                                     std::string_view message) {
  std::string body = "{\"error\":\"";
  for (char c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      body.push_back('\\');
      body.push_back(c);
    } else if (u < 0x20 || u >= 0x7f) {
      body.push_back('?');  // Messages are ASCII; anything else is dropped.
    } else {
      body.push_back(c);
    }
  }
  body += "\",\"code\":\"";
  body.append(code.data(), code.size());
  body += "\",\"details\":[]}";
  return Json(status, std::move(body));
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

}  // namespace ttads::http
