// Whole-path fuzzer of the REST gateway: raw HTTP bytes go through a socket
// to the real HttpServer, the real Gateway (routes from the linked protos'
// google.api.http annotations, auth, quota, transcoding) and on to a fake
// gRPC backend that answers every call with an error echoing the request
// bytes (plus ill-formed UTF-8), like a backend quoting its input.
//
// Each input is one connection's worth of bytes; "$KEY" in it is replaced by
// a valid API key (an in-memory team store) so seeds get past auth. After the
// bytes are written the client half-closes and reads until the server
// closes. The process aborts (a finding) when:
// - the gateway crashes (ASan/UBSan, std::terminate);
// - no close comes within kHang (a hang);
// - the first answer is a 5xx other than 504 for a request that asked for
//   a deadline (X-Request-Timeout / grpc-timeout): client input must never
//   be a server error;
// - GET /healthz on a fresh connection does not answer 200 afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/http/server.h"
#include "libs/testing/private_redis.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/gateway.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"

namespace {

using namespace ttads;  // NOLINT: a fuzzer's one file.

constexpr auto kHang = std::chrono::seconds(10);

// Every RPC kind is a stream on the wire: read what the client sends, then
// fail with a message that quotes it and adds bytes that are not UTF-8.
class EchoReactor : public grpc::ServerGenericBidiReactor {
 public:
  EchoReactor() { StartRead(&in_); }
  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("echo \xff\xfe", seen_)));
      return;
    }
    std::vector<grpc::Slice> slices;
    if (in_.Dump(&slices).ok()) {
      for (const auto& s : slices) {
        if (seen_.size() < 4096) {
          seen_.append(reinterpret_cast<const char*>(s.begin()), s.size());
        }
      }
    }
    StartRead(&in_);
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer in_;
  std::string seen_;
};

class EchoService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext*) override {
    return new EchoReactor();
  }
};

struct World {
  std::unique_ptr<testing::PrivateRedis> redis;
  auth::InMemoryTeamStore teams;
  std::string key;
  EchoService echo;
  std::unique_ptr<grpc::Server> backend;
  std::unique_ptr<gateway::BackendPool> backends;
  std::unique_ptr<gateway::RouteTable> routes;
  std::unique_ptr<gateway::QuotaCounter> quota;
  std::unique_ptr<gateway::Gateway> gateway;
  std::unique_ptr<http::HttpServer> http;
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "gateway_fuzzer: %s\n", why.c_str());
  std::abort();
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World();
    auto redis = testing::PrivateRedis::Start();
    if (!redis.ok()) Die(std::string(redis.status().message()));
    w->redis = *std::move(redis);
    auto team = w->teams.CreateTeam("Fuzz", "enterprise", true);
    auto member = w->teams.AddMember(team->id, "F", auth::Role::kOwner);
    w->key = w->teams.IssueApiKey(team->id, member->id)->plaintext;

    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterCallbackGenericService(&w->echo);
    w->backend = builder.BuildAndStart();
    if (w->backend == nullptr) Die("backend did not start");
    std::map<std::string, std::string> addresses;
    for (const auto* s : gateway::RouteTable::LinkedServices("ttads.")) {
      addresses[s->full_name()] = absl::StrCat("127.0.0.1:", port);
    }
    w->backends = std::make_unique<gateway::BackendPool>(addresses);
    auto routes = gateway::RouteTable::FromLinkedServices("ttads.");
    if (!routes.ok()) Die(std::string(routes.status().message()));
    w->routes = std::make_unique<gateway::RouteTable>(*std::move(routes));
    gateway::QuotaConfig quota;
    quota.limits = {{"enterprise", 0}};
    quota.default_tier = "enterprise";
    w->quota =
        std::make_unique<gateway::QuotaCounter>(*w->redis->pool(), quota);
    gateway::GatewayOptions options;
    options.max_timeout = std::chrono::milliseconds(3000);
    options.blocking_threads = 2;
    w->gateway = std::make_unique<gateway::Gateway>(
        *w->routes, *w->backends, w->teams, *w->quota, options);
    http::HttpServer::Options http_options;
    http_options.threads = 1;
    http_options.read_timeout = std::chrono::seconds(3);
    http_options.max_streamed_body_bytes = 1 << 20;
    http_options.stream_body = [w](const http::HttpRequest& head) {
      return w->gateway->StreamsBody(head);
    };
    w->http = std::make_unique<http::HttpServer>(
        http_options, [w](http::HttpRequest req, http::HttpResponder resp) {
          w->gateway->Handle(std::move(req), std::move(resp));
        });
    if (!w->http->Start().ok()) Die("http server did not start");
    return w;
  }();
  return *world;
}

// Writes `bytes` on a fresh connection, half-closes, and returns everything
// the server sent until it closed.
std::string Exchange(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    Die(absl::StrCat("cannot connect to the gateway: ", strerror(errno)));
  }
  timeval tv{static_cast<time_t>(kHang.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n =
        send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // libFuzzer's timer signal.
    if (n <= 0) break;  // The server answered early and closed: fine.
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  const auto give_up = std::chrono::steady_clock::now() + kHang;
  std::string got;
  char buf[16384];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) break;
    if (n < 0 && errno == EINTR) {
      if (std::chrono::steady_clock::now() > give_up) {
        Die(absl::StrCat("no close within ", kHang.count(), " s (hang)"));
      }
      continue;  // libFuzzer's timer signal.
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        Die(absl::StrCat("no close within ", kHang.count(), " s (hang)"));
      }
      // Reset after an early answer; said in the output for diagnosis.
      got.append(absl::StrCat("\n[read error: ", strerror(errno), "]"));
      break;
    }
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return got;
}

int FirstStatus(const std::string& response) {
  int status = 0;
  if (absl::StartsWith(response, "HTTP/1.1 ") && response.size() >= 12) {
    if (!absl::SimpleAtoi(response.substr(9, 3), &status)) status = 0;
  }
  return status;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  std::string input(reinterpret_cast<const char*>(data), size);
  input = absl::StrReplaceAll(input, {{"$KEY", w.key}});
  const std::string response = Exchange(w.http->port(), input);
  const int status = FirstStatus(response);
  const std::string lower = absl::AsciiStrToLower(input);
  const bool asked_deadline = absl::StrContains(lower, "timeout");
  if (status >= 500 && !(status == 504 && asked_deadline)) {
    Die(absl::StrCat("status ", status, " for client input:\n",
                     response.substr(0, 2000)));
  }
  const std::string health =
      Exchange(w.http->port(),
               "GET /healthz HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n");
  if (FirstStatus(health) != 200) {
    Die(absl::StrCat("/healthz stopped answering: '", health.substr(0, 500),
                     "'"));
  }
  return 0;
}
