#include "libs/testing/test_pki.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::testing {
namespace {

constexpr char kConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = ttads-test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1
extendedKeyUsage = serverAuth
[client_ext]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
)";

// Runs `openssl <args>` in `dir`, its output to <dir>/openssl.log.
absl::Status OpenSsl(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = dir + "/openssl.log";
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execvp("openssl", argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return absl::InternalError("openssl " + args[1] + " failed:\n" + text.str());
}

absl::Status MakeCa(const std::string& dir, const std::string& name) {
  return OpenSsl(
      dir, {"req", "-x509", "-config", "pki.cnf", "-extensions", "ca_ext",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days",
            "2", "-subj", "/CN=" + name});
}

absl::Status MakeLeaf(const std::string& dir, const std::string& name,
                      const std::string& cn, const std::string& ext) {
  TTADS_RETURN_IF_ERROR(OpenSsl(
      dir, {"req", "-new", "-config", "pki.cnf", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
            "-out", name + ".csr", "-subj", "/CN=" + cn}));
  return OpenSsl(
      dir, {"x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey",
            "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", "2",
            "-extfile", "pki.cnf", "-extensions", ext});
}

}  // namespace

absl::StatusOr<TestPki> MakeTestPki(const std::string& dir) {
  std::ofstream(dir + "/pki.cnf") << kConfig;
  for (absl::Status s :
       {MakeCa(dir, "ca"), MakeCa(dir, "other-ca"),
        MakeLeaf(dir, "server", "localhost", "server_ext"),
        MakeLeaf(dir, "client", "ttads-test-client", "client_ext")}) {
    TTADS_RETURN_IF_ERROR(s);
  }
  return TestPki{.ca_file = dir + "/ca.crt",
                 .server_cert_file = dir + "/server.crt",
                 .server_key_file = dir + "/server.key",
                 .client_cert_file = dir + "/client.crt",
                 .client_key_file = dir + "/client.key",
                 .other_ca_file = dir + "/other-ca.crt"};
}

}  // namespace ttads::testing
