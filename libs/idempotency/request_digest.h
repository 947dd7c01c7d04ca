#ifndef TTADS_LIBS_IDEMPOTENCY_REQUEST_DIGEST_H_
#define TTADS_LIBS_IDEMPOTENCY_REQUEST_DIGEST_H_

#include <string>

#include "google/protobuf/message.h"
#include "libs/crypto/hashing.h"

// What "the same request" means for an idempotency key: the SHA-256 of the
// request's canonical (deterministic) protobuf serialization with its
// top-level `request_id` field cleared. Two requests that decode to the same
// message digest alike however their bytes were ordered on the wire; a
// request that differs in any other field (unknown fields included) digests
// differently.
namespace ttads::idempotency {

// Lowercase hex SHA-256 of `request` without `request_id`.
std::string RequestDigest(const google::protobuf::Message& request);

// The digest of a client stream: every message in order, each canonical and
// without `request_id`, length-prefixed so that message boundaries count
// (two messages of 1 batch each differ from one message of 2 batches).
class StreamDigest {
 public:
  void Add(const google::protobuf::Message& message);
  // Lowercase hex; call once, after the last Add.
  std::string Finish();
  int messages() const { return messages_; }

 private:
  crypto::Sha256Hasher hasher_;
  int messages_ = 0;
};

// The canonical bytes RequestDigest hashes (exposed for tests).
std::string CanonicalBytes(const google::protobuf::Message& request);

}  // namespace ttads::idempotency

#endif  // TTADS_LIBS_IDEMPOTENCY_REQUEST_DIGEST_H_
