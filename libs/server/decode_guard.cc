#include "libs/server/decode_guard.h"

#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"

namespace ttads::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using grpc::experimental::InterceptionHookPoints;

// The full name ("pkg.Message.field") of the string field protobuf last
// reported as invalid UTF-8 on this thread. grpc++ decodes a request and
// runs the POST_RECV_MESSAGE interceptors on the same thread, right after.
thread_local std::string last_utf8_field;

google::protobuf::LogHandler* previous_handler = nullptr;

// protobuf (3.21) logs "String field '<full name>' contains invalid UTF-8
// data when parsing a protocol buffer. ..." when it refuses such a string.
void CaptureUtf8Errors(google::protobuf::LogLevel level, const char* filename,
                       int line, const std::string& message) {
  static constexpr absl::string_view kPrefix = "String field '";
  static constexpr absl::string_view kParsing =
      "contains invalid UTF-8 data when parsing";
  if (absl::StartsWith(message, kPrefix) &&
      absl::StrContains(message, kParsing)) {
    const size_t end = message.find('\'', kPrefix.size());
    if (end != std::string::npos) {
      last_utf8_field = message.substr(kPrefix.size(), end - kPrefix.size());
      return;
    }
  }
  if (previous_handler != nullptr) {
    previous_handler(level, filename, line, message);
  }
}

void InstallCapture() {
  static std::once_flag once;
  std::call_once(once, [] {
    previous_handler = google::protobuf::SetLogHandler(&CaptureUtf8Errors);
  });
}

// The path from `root` to the field named `full_name` (breadth first, so the
// shortest), or empty when no field of the message tree has that name.
std::string PathTo(const Descriptor* root, const std::string& full_name) {
  if (root == nullptr || full_name.empty()) return "";
  std::deque<std::pair<const Descriptor*, std::string>> queue{{root, ""}};
  std::set<const Descriptor*> seen{root};
  while (!queue.empty()) {
    auto [d, prefix] = queue.front();
    queue.pop_front();
    // A map's entry message is not a level the caller writes: its key and
    // value are named by the map field itself.
    const bool entry = d->options().map_entry();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const std::string path = entry ? prefix
                               : prefix.empty()
                                   ? f->name()
                                   : absl::StrCat(prefix, ".", f->name());
      if (f->full_name() == full_name) return path;
      if (f->message_type() != nullptr &&
          seen.insert(f->message_type()).second) {
        queue.emplace_back(f->message_type(), path);
      }
    }
  }
  return "";
}

// The path of the field protobuf reported on this thread (cleared), or
// empty when none was reported or it is not part of `request`.
std::string TakeUtf8Field(const Descriptor* request) {
  return PathTo(request, std::exchange(last_utf8_field, ""));
}

const Descriptor* InputTypeOf(const char* method) {
  // "/pkg.Service/Method" → "pkg.Service.Method".
  std::string name = method == nullptr ? "" : method;
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  name[slash] = '.';
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  return m == nullptr ? nullptr : m->input_type();
}

class DecodeGuard : public grpc::experimental::Interceptor {
 public:
  explicit DecodeGuard(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using Type = grpc::experimental::ServerRpcInfo::Type;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      const bool single_request = info_->type() == Type::UNARY ||
                                  info_->type() == Type::SERVER_STREAMING;
      if (single_request && !seen_request_) {
        seen_request_ = true;
        if (methods->GetRecvMessage() == nullptr) {
          const Descriptor* input = InputTypeOf(info_->method());
          undecodable_ = status::ToGrpcStatus(UndecodableRequest(
              "the request", input ? input->full_name() : "the request type",
              TakeUtf8Field(input)));
        }
      }
      last_utf8_field.clear();
    }
    if (undecodable_.has_value() &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      // No handler ran: whatever the framework sends instead is replaced.
      methods->ModifySendStatus(*undecodable_);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool seen_request_ = false;
  std::optional<grpc::Status> undecodable_;
};

}  // namespace

DecodeGuardFactory::DecodeGuardFactory() { InstallCapture(); }

grpc::experimental::Interceptor* DecodeGuardFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new DecodeGuard(info);
}

absl::Status UndecodableRequest(std::string_view what,
                                std::string_view message_type,
                                std::string_view field) {
  std::string message = absl::StrCat(
      absl::string_view(what.data(), what.size()), " does not decode as ",
      absl::string_view(message_type.data(), message_type.size()),
      field.empty()
          ? ": its bytes are not the protobuf wire format, hold a string that "
            "is not UTF-8, or nest deeper than 100 levels"
          : absl::StrCat(": field ",
                         absl::string_view(field.data(), field.size()),
                         " is not valid UTF-8"));
  std::vector<status::FieldViolation> violations;
  if (!field.empty()) {
    violations.push_back({std::string(field), "not valid UTF-8"});
  }
  return status::InvalidArgument(message, std::move(violations),
                                 "UNDECODABLE_REQUEST");
}

absl::Status DecodeStreamMessage(grpc::ByteBuffer* buffer, int index,
                                 google::protobuf::Message* out) {
  InstallCapture();
  last_utf8_field.clear();
  bool parsed = false;
  {
    grpc::ProtoBufferReader reader(buffer);
    parsed = reader.status().ok() && out->ParseFromZeroCopyStream(&reader);
  }
  if (parsed) {
    last_utf8_field.clear();
    return absl::OkStatus();
  }
  return UndecodableRequest(
      absl::StrCat("message ", index + 1, " of the stream"),
      out->GetDescriptor()->full_name(), TakeUtf8Field(out->GetDescriptor()));
}

}  // namespace ttads::server
