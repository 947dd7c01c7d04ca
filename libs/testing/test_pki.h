#ifndef TTADS_LIBS_TESTING_TEST_PKI_H_
#define TTADS_LIBS_TESTING_TEST_PKI_H_

#include <string>

#include "absl/status/statusor.h"

namespace ttads::testing {

// Throw-away certificates for TLS tests, made at run time with the
// `openssl` command line (P-256 keys, valid two days):
// - a test CA, a server certificate it signed for DNS:localhost and
//   IP:127.0.0.1, and a client certificate it signed;
// - a second, unrelated CA (a client trusting only it must refuse the
//   server).
// Nothing is shared between tests: each call writes into its own `dir`.
struct TestPki {
  std::string ca_file;
  std::string server_cert_file;
  std::string server_key_file;
  std::string client_cert_file;
  std::string client_key_file;
  std::string other_ca_file;
};

// Writes the files into `dir` (which must exist). INTERNAL with openssl's
// output when a command fails.
absl::StatusOr<TestPki> MakeTestPki(const std::string& dir);

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_TEST_PKI_H_
