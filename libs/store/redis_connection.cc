#include "libs/store/redis_connection.h"

#include <hiredis/hiredis.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::store {
namespace {

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

}  // namespace

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint, const Settings& settings) {
  absl::StatusOr<std::unique_ptr<Transport>> transport = DialTransport(
      endpoint.host, endpoint.port, settings.timeout, settings.tls);
  if (!transport.ok()) {
    return absl::Status(transport.status().code(),
                        absl::StrCat("redis ", endpoint.ToString(), ": ",
                                     transport.status().message()));
  }
  std::unique_ptr<RedisConnection> conn(
      new RedisConnection(endpoint, std::move(*transport), settings.timeout));
  if (!settings.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!settings.username.empty()) auth.push_back(settings.username);
    auth.push_back(settings.password);
    TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> reply,
                           conn->Execute({auth}));
    if (reply.front().is_error()) {
      return absl::InternalError(absl::StrCat(
          "redis ", endpoint.ToString(), ": AUTH failed",
          settings.username.empty() ? "" : " for user " + settings.username,
          ": ", reply.front().str));
    }
  }
  return conn;
}

RedisConnection::RedisConnection(RedisEndpoint endpoint,
                                 std::unique_ptr<Transport> transport,
                                 std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)),
      transport_(std::move(transport)),
      timeout_(timeout),
      reader_(redisReaderCreate()) {}

RedisConnection::~RedisConnection() { redisReaderFree(reader_); }

absl::Status RedisConnection::Broken(absl::Status status) {
  broken_ = true;
  return absl::Status(
      status.code(),
      absl::StrCat("redis ", endpoint_.ToString(), ": ", status.message()));
}

absl::Status RedisConnection::Send(
    const std::vector<std::vector<std::string>>& commands) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  std::string buffer;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::vector<std::string>& args : commands) {
    if (args.empty()) return absl::InvalidArgumentError("empty redis command");
    argv.clear();
    lens.clear();
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    char* formatted = nullptr;
    const int len = redisFormatCommandArgv(
        &formatted, static_cast<int>(argv.size()), argv.data(), lens.data());
    if (len < 0 || formatted == nullptr) {
      return absl::ResourceExhaustedError("redis: cannot format command");
    }
    buffer.append(formatted, static_cast<size_t>(len));
    redisFreeCommand(formatted);
  }
  if (absl::Status s = transport_->Write(buffer, timeout_); !s.ok()) {
    return Broken(s);
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisConnection::ReadReply(
    std::optional<std::chrono::milliseconds> timeout) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  char buf[16 * 1024];
  while (true) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
      return Broken(absl::UnavailableError(
          absl::StrCat("protocol error: ", reader_->errstr)));
    }
    if (raw != nullptr) {
      ReplyPtr reply(static_cast<redisReply*>(raw));
      return Convert(reply.get());
    }
    absl::StatusOr<size_t> n = transport_->Read(buf, sizeof(buf), timeout);
    if (!n.ok()) return Broken(n.status());
    if (redisReaderFeed(reader_, buf, *n) != REDIS_OK) {
      return Broken(absl::UnavailableError("reader out of memory"));
    }
  }
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Execute(
    const std::vector<std::vector<std::string>>& commands) {
  TTADS_RETURN_IF_ERROR(Send(commands));
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    TTADS_ASSIGN_OR_RETURN(RedisReply reply, ReadReply(timeout_));
    replies.push_back(std::move(reply));
  }
  return replies;
}

}  // namespace ttads::store
