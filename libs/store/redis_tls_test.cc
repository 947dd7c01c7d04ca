// RedisPool over TLS against a private redis-server started with TLS on
// (Debian's redis-server is built with it), certificates made at run time.
#include <stdlib.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/redis.h"
#include "libs/store/redis_dialer.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"
#include "libs/testing/test_pki.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::RedisServer;
using ::ttads::testing::StatusIs;
using ::ttads::testing::TestPki;

class RedisTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") +
                      "/ttads-pki-XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    pki_dir_ = dir;
    auto pki = ttads::testing::MakeTestPki(pki_dir_);
    ASSERT_THAT(pki, IsOk());
    pki_ = *pki;
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(pki_dir_, ignored);
  }

  void StartServer(RedisServer::Options options = {}) {
    options.tls_cert_file = pki_.server_cert_file;
    options.tls_key_file = pki_.server_key_file;
    options.tls_ca_file = pki_.ca_file;
    auto server = RedisServer::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
  }

  // Options for the server's TLS port, trusting the test CA.
  RedisOptions TlsOptions() const {
    RedisOptions options;
    options.host = "127.0.0.1";
    options.port = server_->tls_port();
    options.pool_size = 2;
    options.timeout = std::chrono::milliseconds(2000);
    options.tls.enabled = true;
    options.tls.ca_file = pki_.ca_file;
    return options;
  }

  std::string pki_dir_;
  TestPki pki_;
  std::unique_ptr<RedisServer> server_;
};

TEST_F(RedisTlsTest, CommandsOverVerifiedTls) {
  StartServer();
  auto pool = RedisPool::Connect(TlsOptions());
  ASSERT_THAT(pool, IsOk());
  // Large enough to need many TLS records each way.
  const std::string big(3 << 20, 'x');
  ASSERT_THAT((*pool)->Command({"SET", "big", big}), IsOk());
  auto get = (*pool)->Command({"GET", "big"});
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->str, big);
  auto replies =
      (*pool)->Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "n"}});
  ASSERT_THAT(replies, IsOk());
  EXPECT_EQ((*replies)[2].str, "2");
}

TEST_F(RedisTlsTest, PlainTcpToTheTlsPortFails) {
  StartServer();
  RedisOptions plain = TlsOptions();
  plain.tls = {};
  EXPECT_THAT(RedisPool::Connect(plain),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(RedisTlsTest, ServerNameIsSentAndVerified) {
  StartServer();
  RedisOptions by_name = TlsOptions();
  by_name.tls.server_name = "localhost";  // in the certificate's SAN
  EXPECT_THAT(RedisPool::Connect(by_name), IsOk());

  RedisOptions wrong_name = TlsOptions();
  wrong_name.tls.server_name = "redis.example.com";
  EXPECT_THAT(RedisPool::Connect(wrong_name),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("certificate verify failed")));
}

TEST_F(RedisTlsTest, WrongCaIsRefusedClearly) {
  StartServer();
  RedisOptions options = TlsOptions();
  options.tls.ca_file = pki_.other_ca_file;
  auto pool = RedisPool::Connect(options);
  EXPECT_THAT(pool, StatusIs(absl::StatusCode::kInternal,
                             HasSubstr("certificate verify failed")));
  EXPECT_THAT(pool, StatusIs(absl::StatusCode::kInternal,
                             HasSubstr(server_->tls_port() > 0
                                           ? std::to_string(server_->tls_port())
                                           : "")));
}

TEST_F(RedisTlsTest, UnreadableTlsFilesAreInvalidArgumentNamingTheFile) {
  StartServer();
  RedisOptions missing_ca = TlsOptions();
  missing_ca.tls.ca_file = pki_dir_ + "/no-such-ca.crt";
  EXPECT_THAT(RedisPool::Connect(missing_ca),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no-such-ca.crt")));
  RedisOptions cert_without_key = TlsOptions();
  cert_without_key.tls.cert_file = pki_.client_cert_file;
  EXPECT_THAT(RedisPool::Connect(cert_without_key),
              StatusIs(absl::StatusCode::kInvalidArgument));
  RedisOptions mismatched_key = TlsOptions();
  mismatched_key.tls.cert_file = pki_.client_cert_file;
  mismatched_key.tls.key_file = pki_.server_key_file;
  EXPECT_THAT(
      RedisPool::Connect(mismatched_key),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("server.key")));
}

TEST_F(RedisTlsTest, ClientCertificateWhenTheServerRequiresOne) {
  StartServer({.tls_auth_clients = true});
  RedisOptions without = TlsOptions();
  EXPECT_THAT(RedisPool::Connect(without), ::testing::Not(IsOk()));

  RedisOptions with = TlsOptions();
  with.tls.cert_file = pki_.client_cert_file;
  with.tls.key_file = pki_.client_key_file;
  auto pool = RedisPool::Connect(with);
  ASSERT_THAT(pool, IsOk());
  EXPECT_THAT((*pool)->Command({"SET", "k", "v"}), IsOk());
}

TEST_F(RedisTlsTest, AclUserOverTls) {
  StartServer({.args = {"--user", "app", "on", ">app-pw", "~*", "+@all"}});
  RedisOptions options = TlsOptions();
  options.username = "app";
  options.password = "app-pw";
  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());
  auto who = (*pool)->Command({"ACL", "WHOAMI"});
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(who->str, "app");
}

TEST_F(RedisTlsTest, PubSubConnectionOverTls) {
  // What auth::RevocationWatcher does: its own connection from the dialer.
  StartServer();
  auto dialer = RedisDialer::Create(TlsOptions());
  ASSERT_THAT(dialer, IsOk());
  auto subscriber = (*dialer)->Open();
  ASSERT_THAT(subscriber, IsOk());
  ASSERT_THAT((*subscriber)->Execute({{"SUBSCRIBE", "ch"}}), IsOk());
  auto pool = RedisPool::Connect(TlsOptions());
  ASSERT_THAT(pool, IsOk());
  ASSERT_THAT((*pool)->Command({"PUBLISH", "ch", "hello"}), IsOk());
  auto message = (*subscriber)->ReadReply(std::chrono::milliseconds(5000));
  ASSERT_THAT(message, IsOk());
  ASSERT_EQ(message->elements.size(), 3u);
  EXPECT_EQ(message->elements[0].str, "message");
  EXPECT_EQ(message->elements[2].str, "hello");
}

TEST_F(RedisTlsTest, RecoversAfterRestartOverTls) {
  StartServer();
  auto pool = RedisPool::Connect(TlsOptions());
  ASSERT_THAT(pool, IsOk());
  ASSERT_THAT((*pool)->Command({"SET", "durable", "yes"}), IsOk());
  ASSERT_THAT(server_->Restart(), IsOk());
  int failures = 0;
  for (int i = 0; i < 4; ++i) {
    auto reply = (*pool)->Command({"GET", "durable"});
    if (!reply.ok()) {
      EXPECT_THAT(reply, StatusIs(absl::StatusCode::kUnavailable));
      ++failures;
      continue;
    }
    EXPECT_EQ(reply->str, "yes");
  }
  EXPECT_LE(failures, 1);
}

}  // namespace
}  // namespace ttads::store
