#ifndef TTADS_FUZZ_SERVICE_FUZZER_H_
#define TTADS_FUZZ_SERVICE_FUZZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "grpcpp/support/status.h"

// The whole-path service fuzz target (service_fuzzer.cc), shared by its
// libFuzzer entry points and the standalone driver (service_fuzz_main.cc).
namespace ttads::fuzz {

struct Rpc {
  int server;        // 0 identity, 1 preflight, 2 ads, 3 audience
  std::string path;  // "/ttads.ads.v1.AdsService/CreateAd"
  const google::protobuf::MethodDescriptor* method;
  bool server_streaming;
};

// Every RPC of the four services, in descriptor order: an input's first
// byte modulo this list's size picks its RPC.
std::vector<Rpc> AllRpcs();

// Starts the suite in-process (once) and checks that it is healthy.
void Initialize();

// Runs one input; aborts when an invariant fails, else returns the answer.
grpc::Status RunOne(const uint8_t* data, size_t size);

}  // namespace ttads::fuzz

#endif  // TTADS_FUZZ_SERVICE_FUZZER_H_
