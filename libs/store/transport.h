#ifndef TTADS_LIBS_STORE_TRANSPORT_H_
#define TTADS_LIBS_STORE_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// The byte stream under a Redis connection: plain TCP or TLS (OpenSSL) on a
// socket this library owns. The Redis protocol on top of it is hiredis'
// command formatter and reply reader (redis_connection.h), which work on
// bytes from any transport; see docs/redis.md for why this shape.
namespace ttads::store {

// TLS client settings. With `enabled`, the server's certificate must chain
// to `ca_file` (or, when empty, to the system trust store) and name
// `server_name` (or, when empty, the host dialled: a DNS name or an IP
// address in its subjectAltName). `server_name` (or a DNS host) is also
// sent as SNI. `cert_file`/`key_file` (PEM, both or neither) are a client
// certificate for servers that require one (`tls-auth-clients yes`).
struct TlsOptions {
  bool enabled = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
};

// A connected, bidirectional byte stream. Not thread-safe; one owner.
// Every wait is bounded by the timeout given (none: wait forever); any
// error leaves the transport unusable.
class Transport {
 public:
  virtual ~Transport() = default;

  // Writes all of `bytes`. UNAVAILABLE on a socket error or timeout.
  virtual absl::Status Write(std::string_view bytes,
                             std::chrono::milliseconds timeout) = 0;

  // Reads at least one byte into buf[0, capacity). UNAVAILABLE on a socket
  // error, timeout, or when the peer closed the stream.
  virtual absl::StatusOr<size_t> Read(
      char* buf, size_t capacity,
      std::optional<std::chrono::milliseconds> timeout) = 0;

  // The socket, e.g. to shutdown(2) it from another thread so a blocked
  // Read returns.
  virtual int fd() const = 0;
};

// Client-side TLS state shared by every connection of a pool: the trust
// anchors and the optional client certificate, loaded once. Thread-safe.
class TlsContext {
 public:
  // INVALID_ARGUMENT naming the file when a CA, certificate or key file
  // cannot be loaded (or the key does not match the certificate).
  static absl::StatusOr<std::shared_ptr<TlsContext>> Create(
      const TlsOptions& options);
  ~TlsContext();

  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  void* ssl_ctx() const { return ctx_; }  // an SSL_CTX*
  const TlsOptions& options() const { return options_; }

 private:
  TlsContext(TlsOptions options, void* ctx)
      : options_(std::move(options)), ctx_(ctx) {}
  TlsOptions options_;
  void* ctx_;
};

// Dials host:port over TCP (TCP_NODELAY, keep-alive) within `timeout`, then,
// when `tls` is non-null, runs the TLS handshake with certificate and name
// verification. Errors: UNAVAILABLE when the host cannot be resolved or
// reached or the handshake times out or is cut; INTERNAL when the server's
// certificate is refused (its message says why, e.g. "certificate verify
// failed: unable to get local issuer certificate") — retrying won't help.
absl::StatusOr<std::unique_ptr<Transport>> DialTransport(
    const std::string& host, int port, std::chrono::milliseconds timeout,
    const std::shared_ptr<TlsContext>& tls);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_TRANSPORT_H_
