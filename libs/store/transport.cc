#include "libs/store/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::store {
namespace {

using Clock = std::chrono::steady_clock;

std::string Errno(int e) { return std::strerror(e); }

// Waits until `fd` is ready for `events` (POLLIN/POLLOUT). UNAVAILABLE on
// timeout; a hang-up or error counts as ready (the next I/O reports it).
absl::Status WaitFd(int fd, short events,
                    std::optional<std::chrono::milliseconds> timeout,
                    std::string_view what) {
  pollfd p{fd, events, 0};
  const int ms = timeout.has_value() ? static_cast<int>(timeout->count()) : -1;
  while (true) {
    const int r = poll(&p, 1, ms);
    if (r > 0) return absl::OkStatus();
    if (r == 0)
      return absl::UnavailableError(
          absl::StrCat(std::string(what), ": timeout"));
    if (errno != EINTR) {
      return absl::UnavailableError(
          absl::StrCat(std::string(what), ": ", Errno(errno)));
    }
  }
}

// OpenSSL writes to the socket with write(2); a peer that closed the
// connection would raise SIGPIPE and kill the process. This blocks SIGPIPE
// on the calling thread for the scope and discards one raised meanwhile.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~ScopedSigpipeBlock() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        sigtimedwait(&set_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_;
  sigset_t old_;
  bool was_pending_ = false;
};

// The first queued OpenSSL error as text (and clears the queue).
std::string SslErrorText() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return Errno(errno);
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

class TcpTransport : public Transport {
 public:
  explicit TcpTransport(int fd) : fd_(fd) {}
  ~TcpTransport() override { close(fd_); }

  absl::Status Write(std::string_view bytes,
                     std::chrono::milliseconds timeout) override {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n > 0) {
        bytes.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        TTADS_RETURN_IF_ERROR(WaitFd(fd_, POLLOUT, timeout, "write"));
        continue;
      }
      return absl::UnavailableError("write: " + Errno(errno));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> Read(
      char* buf, size_t capacity,
      std::optional<std::chrono::milliseconds> timeout) override {
    while (true) {
      const ssize_t n = recv(fd_, buf, capacity, 0);
      if (n > 0) return static_cast<size_t>(n);
      if (n == 0) return absl::UnavailableError("read: connection closed");
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        return absl::UnavailableError("read: " + Errno(errno));
      }
      TTADS_RETURN_IF_ERROR(WaitFd(fd_, POLLIN, timeout, "read"));
    }
  }

  int fd() const override { return fd_; }

 protected:
  int fd_;
};

class TlsTransport final : public TcpTransport {
 public:
  TlsTransport(int fd, SSL* ssl) : TcpTransport(fd), ssl_(ssl) {}
  ~TlsTransport() override { SSL_free(ssl_); }

  // Runs the client handshake within `timeout`.
  absl::Status Handshake(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    ScopedSigpipeBlock no_sigpipe;
    while (true) {
      ERR_clear_error();
      const int r = SSL_connect(ssl_);
      if (r == 1) return absl::OkStatus();
      const int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now());
        if (left.count() <= 0) {
          return absl::UnavailableError("TLS handshake: timeout");
        }
        TTADS_RETURN_IF_ERROR(
            WaitFd(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, left,
                   "TLS handshake"));
        continue;
      }
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        ERR_clear_error();
        return absl::InternalError(
            absl::StrCat("TLS: server certificate refused: certificate "
                         "verify failed: ",
                         X509_verify_cert_error_string(verify)));
      }
      return absl::UnavailableError("TLS handshake: " + SslErrorText());
    }
  }

  absl::Status Write(std::string_view bytes,
                     std::chrono::milliseconds timeout) override {
    ScopedSigpipeBlock no_sigpipe;
    while (!bytes.empty()) {
      ERR_clear_error();
      const int n =
          SSL_write(ssl_, bytes.data(),
                    static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30)));
      if (n > 0) {
        bytes.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      TTADS_RETURN_IF_ERROR(Await(n, timeout, "write"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> Read(
      char* buf, size_t capacity,
      std::optional<std::chrono::milliseconds> timeout) override {
    ScopedSigpipeBlock no_sigpipe;
    while (true) {
      ERR_clear_error();
      const int n = SSL_read(
          ssl_, buf, static_cast<int>(std::min<size_t>(capacity, 1 << 30)));
      if (n > 0) return static_cast<size_t>(n);
      TTADS_RETURN_IF_ERROR(Await(n, timeout, "read"));
    }
  }

 private:
  // After an SSL_read/SSL_write that returned `r` <= 0: waits for the
  // socket when OpenSSL asks to, else reports the error.
  absl::Status Await(int r, std::optional<std::chrono::milliseconds> timeout,
                     std::string_view what) {
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ) return WaitFd(fd_, POLLIN, timeout, what);
    if (err == SSL_ERROR_WANT_WRITE) {
      return WaitFd(fd_, POLLOUT, timeout, what);
    }
    if (err == SSL_ERROR_ZERO_RETURN) {
      return absl::UnavailableError(
          absl::StrCat(std::string(what), ": TLS closed"));
    }
    return absl::UnavailableError(
        absl::StrCat(std::string(what), ": TLS: ", SslErrorText()));
  }

  SSL* ssl_;
};

bool IsIpLiteral(const std::string& host) {
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

// A non-blocking socket connected to host:port, or UNAVAILABLE.
absl::StatusOr<int> ConnectTcp(const std::string& host, int port,
                               std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int r = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      r != 0) {
    return absl::UnavailableError(
        absl::StrCat("resolve ", host, ": ", gai_strerror(r)));
  }
  const auto deadline = Clock::now() + timeout;
  std::string last = "no address";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    const int s =
        socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               a->ai_protocol);
    if (s < 0) {
      last = Errno(errno);
      continue;
    }
    int rc = connect(s, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      absl::Status ready = left.count() > 0
                               ? WaitFd(s, POLLOUT, left, "connect")
                               : absl::UnavailableError("connect: timeout");
      if (ready.ok()) {
        int so_error = 0;
        socklen_t len = sizeof(so_error);
        getsockopt(s, SOL_SOCKET, SO_ERROR, &so_error, &len);
        errno = so_error;
        rc = so_error == 0 ? 0 : -1;
      } else {
        last = std::string(ready.message());
        close(s);
        continue;
      }
    }
    if (rc != 0) {
      last = "connect: " + Errno(errno);
      close(s);
      continue;
    }
    fd = s;
  }
  freeaddrinfo(found);
  if (fd < 0) return absl::UnavailableError(last);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
  return fd;
}

}  // namespace

absl::StatusOr<std::shared_ptr<TlsContext>> TlsContext::Create(
    const TlsOptions& options) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return absl::InternalError("SSL_CTX_new failed");
  std::shared_ptr<TlsContext> out(new TlsContext(options, ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_mode(
      ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ERR_clear_error();
  if (options.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
      return absl::InvalidArgumentError("TLS: cannot load the system CAs: " +
                                        SslErrorText());
    }
  } else if (SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(),
                                           nullptr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS CA file ", options.ca_file, ": ", SslErrorText()));
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS client certificate and key go together: set both or neither");
  }
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, options.cert_file.c_str()) !=
        1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "TLS certificate file ", options.cert_file, ": ", SslErrorText()));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, options.key_file.c_str(),
                                    SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "TLS key file ", options.key_file, ": ", SslErrorText()));
    }
  }
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

absl::StatusOr<std::unique_ptr<Transport>> DialTransport(
    const std::string& host, int port, std::chrono::milliseconds timeout,
    const std::shared_ptr<TlsContext>& tls) {
  const auto start = Clock::now();
  TTADS_ASSIGN_OR_RETURN(int fd, ConnectTcp(host, port, timeout));
  if (tls == nullptr) return std::make_unique<TcpTransport>(fd);

  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(tls->ssl_ctx()));
  if (ssl == nullptr) {
    close(fd);
    return absl::InternalError("SSL_new failed");
  }
  auto transport = std::make_unique<TlsTransport>(fd, ssl);
  SSL_set_fd(ssl, fd);
  const std::string& name =
      tls->options().server_name.empty() ? host : tls->options().server_name;
  if (IsIpLiteral(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, name.c_str());
    SSL_set1_host(ssl, name.c_str());
  }
  const auto left =
      timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                    Clock::now() - start);
  TTADS_RETURN_IF_ERROR(
      transport->Handshake(std::max(left, std::chrono::milliseconds(1))));
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace ttads::store
