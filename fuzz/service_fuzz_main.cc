// Standalone driver of the whole-path service fuzz target, for builds
// without libFuzzer (the suite's GCC build, where the services, Redis client
// and simulator are already compiled). It replays the seed corpus, then runs
// mutated inputs (bit flips, random and "interesting" bytes — 0xff, an
// invalid UTF-8 pair, a maximal varint —, inserted, deleted and duplicated
// ranges, splices, another RPC selector) until --runs or --seconds is spent.
// There is no coverage feedback; an input joins the corpus when its answer
// (RPC, status code) was not seen before. Any invariant failure aborts
// (fuzz/service_fuzzer.cc); --artifact=FILE keeps the input being run in
// FILE, so the one that aborted the run is there. Ends with one line of
// figures.
//
//   service_fuzz [--runs=N] [--seconds=S] [--seed=N] [--service=ads]
//                corpus_dir...
// --service keeps to one service's RPCs (identity, preflight, ads, audience):
// every input's selector is mapped onto them.
//   service_fuzz --write-seeds=DIR     # one typical request per RPC
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "fuzz/service_fuzzer.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> ReadCorpus(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) out.push_back(ReadFile(dir + "/" + n));
  return out;
}

// A request with the values the service tests use, two levels deep.
void FillTypical(Message* m, int depth) {
  const auto* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->containing_oneof() != nullptr &&
        f->containing_oneof()->field(0) != f) {
      continue;
    }
    const std::string& name = f->name();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string v = "demo";
        if (absl::StrContains(name, "advertiser_id")) {
          v = tiktok_sim::seed::kAdvertiserTtUser;
        } else if (absl::StrContains(name, "url")) {
          v = "https://example.com/a.png";
        } else if (name == "path") {
          v = "/ad/get/";
        } else if (name == "method") {
          v = "GET";
        } else if (name == "objective") {
          v = "TRAFFIC";
        } else if (name == "page_token") {
          v = "1";
        } else if (name == "platform") {
          v = "tiktok";
        } else if (absl::EndsWith(name, "_id")) {
          v = "7101000000000000001";
        }
        if (f->is_repeated()) {
          if (!f->is_map()) r->AddString(m, f, v);
        } else {
          r->SetString(m, f, v);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM:
        if (f->enum_type()->value_count() > 1) {
          if (f->is_repeated()) {
            r->AddEnumValue(m, f, f->enum_type()->value(1)->number());
          } else {
            r->SetEnumValue(m, f, f->enum_type()->value(1)->number());
          }
        }
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        if (!f->is_repeated()) r->SetInt32(m, f, 10);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        if (!f->is_repeated()) r->SetInt64(m, f, 3600);
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 2 && !f->is_map()) {
          FillTypical(
              f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f),
              depth + 1);
        }
        break;
      default:
        break;
    }
  }
}

int WriteSeeds(const std::string& dir) {
  const std::vector<Rpc> rpcs = AllRpcs();
  google::protobuf::DynamicMessageFactory factory;
  for (size_t i = 0; i < rpcs.size(); ++i) {
    std::unique_ptr<Message> typical(
        factory.GetPrototype(rpcs[i].method->input_type())->New());
    FillTypical(typical.get(), 0);
    std::string bytes(1, static_cast<char>(i));
    typical->AppendToString(&bytes);
    std::ofstream(absl::StrCat(dir, "/", rpcs[i].method->name()),
                  std::ios::binary)
        << bytes;
    std::ofstream(absl::StrCat(dir, "/", rpcs[i].method->name(), "-empty"),
                  std::ios::binary)
        << std::string(1, static_cast<char>(i));
  }
  std::printf("wrote %zu seeds to %s\n", 2 * rpcs.size(), dir.c_str());
  return 0;
}

std::string Mutate(std::string in, const std::vector<std::string>& corpus,
                   std::mt19937_64& rng) {
  static const std::vector<std::string> kInteresting = {
      "\xff",
      "\x80",
      "\x00",
      std::string("\xc3\x28", 2),
      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
      "\x7f",
      "\x0f"};
  auto pick = [&rng](size_t n) { return n == 0 ? 0 : rng() % n; };
  const int steps = 1 + pick(4);
  for (int k = 0; k < steps; ++k) {
    switch (pick(8)) {
      case 0:  // flip a bit
        if (!in.empty()) in[pick(in.size())] ^= 1 << pick(8);
        break;
      case 1:  // a random byte
        if (!in.empty()) in[pick(in.size())] = static_cast<char>(rng());
        break;
      case 2: {  // insert random bytes
        std::string add(1 + pick(8), '\0');
        for (char& c : add) c = static_cast<char>(rng());
        in.insert(pick(in.size() + 1), add);
        break;
      }
      case 3:  // insert an interesting sequence
        in.insert(pick(in.size() + 1), kInteresting[pick(kInteresting.size())]);
        break;
      case 4:  // delete a range
        if (in.size() > 1) {
          const size_t at = 1 + pick(in.size() - 1);
          in.erase(at, 1 + pick(std::min<size_t>(16, in.size() - at)));
        }
        break;
      case 5:  // duplicate a range
        if (in.size() > 1) {
          const size_t at = 1 + pick(in.size() - 1);
          const std::string piece = in.substr(at, 1 + pick(32));
          in.insert(pick(in.size() + 1), piece);
        }
        break;
      case 6: {  // splice with another input's tail
        const std::string& other = corpus[pick(corpus.size())];
        if (other.size() > 1) {
          in = in.substr(0, pick(in.size() + 1)) +
               other.substr(1 + pick(other.size() - 1));
        }
        break;
      }
      default:  // another RPC
        if (!in.empty()) in[0] = static_cast<char>(rng());
        break;
    }
  }
  if (in.empty()) in.push_back(static_cast<char>(rng()));
  return in;
}

int Run(int argc, char** argv) {
  long runs_limit = -1;
  double seconds = 60;
  uint64_t seed = 1;
  std::string only;
  std::string artifact;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--write-seeds=")) {
      return WriteSeeds(a.substr(strlen("--write-seeds=")));
    } else if (absl::StartsWith(a, "--runs=")) {
      (void)absl::SimpleAtoi(a.substr(7), &runs_limit);
    } else if (absl::StartsWith(a, "--seconds=")) {
      (void)absl::SimpleAtod(a.substr(10), &seconds);
    } else if (absl::StartsWith(a, "--artifact=")) {
      artifact = a.substr(11);
    } else if (absl::StartsWith(a, "--service=")) {
      only = a.substr(10);
    } else if (absl::StartsWith(a, "--seed=")) {
      (void)absl::SimpleAtoi(a.substr(7), &seed);
    } else {
      dirs.push_back(a);
    }
  }
  std::vector<std::string> corpus;
  for (const auto& d : dirs) {
    for (auto& in : ReadCorpus(d)) corpus.push_back(std::move(in));
  }
  if (corpus.empty()) corpus.push_back(std::string(1, '\0'));
  Initialize();
  const absl::Time start = absl::Now();
  const absl::Time stop = start + absl::Seconds(seconds);
  std::set<std::pair<int, int>> outcomes;
  const std::vector<Rpc> rpcs = AllRpcs();
  const size_t rpc_count = rpcs.size();
  static constexpr const char* kServers[] = {"identity", "preflight", "ads",
                                             "audience"};
  std::vector<int> allowed;
  for (size_t i = 0; i < rpc_count; ++i) {
    if (only.empty() || only == kServers[rpcs[i].server]) allowed.push_back(i);
  }
  if (allowed.empty()) {
    std::fprintf(stderr, "service_fuzz: no service %s\n", only.c_str());
    return 2;
  }
  long runs = 0;
  auto run = [&](std::string& in) {
    if (!in.empty()) {
      in[0] = static_cast<char>(
          allowed[static_cast<uint8_t>(in[0]) % allowed.size()]);
    }
    if (!artifact.empty()) std::ofstream(artifact, std::ios::binary) << in;
    const grpc::Status s =
        RunOne(reinterpret_cast<const uint8_t*>(in.data()), in.size());
    ++runs;
    const int rpc = in.empty() ? -1 : static_cast<uint8_t>(in[0]) % rpc_count;
    return outcomes.insert({rpc, s.error_code()}).second;
  };
  const size_t seeds = corpus.size();
  for (size_t i = 0; i < seeds; ++i) run(corpus[i]);
  std::mt19937_64 rng(seed);
  while ((runs_limit < 0 || runs < runs_limit) && absl::Now() < stop) {
    std::string in = Mutate(corpus[rng() % corpus.size()], corpus, rng);
    if (run(in)) corpus.push_back(std::move(in));
  }
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf(
      "service_fuzz: %ld runs in %.0f s (%.0f exec/s), %zu seeds, corpus "
      "%zu, %zu distinct (rpc, code) outcomes over %zu rpcs, 0 failures\n",
      runs, elapsed, runs / std::max(elapsed, 1e-9), seeds, corpus.size(),
      outcomes.size(), allowed.size());
  return 0;
}

}  // namespace
}  // namespace ttads::fuzz

int main(int argc, char** argv) { return ttads::fuzz::Run(argc, argv); }
