#include "libs/server/descriptor_source.h"

#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"

namespace ttads::server {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

absl::StatusOr<std::unique_ptr<DescriptorSource>> DescriptorSource::FromSet(
    absl::string_view descriptor_set) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(descriptor_set.data(),
                          static_cast<int>(descriptor_set.size()))) {
    return absl::InvalidArgumentError("the descriptor set does not parse");
  }
  std::unique_ptr<DescriptorSource> source(new DescriptorSource());
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (source->pool_.BuildFile(file) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("the descriptor set's file ", file.name(),
                       " does not build (are its imports before it?)"));
    }
    source->files_[file.name()] = file.SerializeAsString();
  }
  return source;
}

const FileDescriptor* DescriptorSource::FindFile(
    const std::string& name) const {
  if (const FileDescriptor* f = pool_.FindFileByName(name)) return f;
  return DescriptorPool::generated_pool()->FindFileByName(name);
}

std::vector<std::string> DescriptorSource::WithImports(
    const std::string& name) const {
  std::vector<std::string> out;
  std::set<std::string> seen = {name};
  std::deque<std::string> pending = {name};
  while (!pending.empty()) {
    const std::string next = pending.front();
    pending.pop_front();
    const FileDescriptor* file = FindFile(next);
    if (file == nullptr) continue;
    if (auto it = files_.find(next); it != files_.end()) {
      out.push_back(it->second);
    } else {
      google::protobuf::FileDescriptorProto proto;
      file->CopyTo(&proto);
      file->CopySourceCodeInfoTo(&proto);
      out.push_back(proto.SerializeAsString());
    }
    for (int i = 0; i < file->dependency_count(); ++i) {
      const std::string& dep = file->dependency(i)->name();
      if (seen.insert(dep).second) pending.push_back(dep);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DescriptorSource::FileByName(
    absl::string_view name) const {
  const std::string file(name);
  if (FindFile(file) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no proto file named ", name));
  }
  return WithImports(file);
}

absl::StatusOr<std::vector<std::string>> DescriptorSource::FileContainingSymbol(
    absl::string_view symbol) const {
  const std::string name(symbol);
  const FileDescriptor* file = pool_.FindFileContainingSymbol(name);
  if (file == nullptr) {
    file = DescriptorPool::generated_pool()->FindFileContainingSymbol(name);
  }
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrCat("no symbol named ", symbol));
  }
  return WithImports(file->name());
}

absl::StatusOr<std::vector<std::string>>
DescriptorSource::FileContainingExtension(absl::string_view type,
                                          int number) const {
  for (const DescriptorPool* pool : {static_cast<const DescriptorPool*>(&pool_),
                                     DescriptorPool::generated_pool()}) {
    const Descriptor* message = pool->FindMessageTypeByName(std::string(type));
    if (message == nullptr) continue;
    if (const FieldDescriptor* ext =
            pool->FindExtensionByNumber(message, number)) {
      return WithImports(ext->file()->name());
    }
  }
  return absl::NotFoundError(
      absl::StrCat("no extension ", number, " of ", type));
}

absl::StatusOr<std::vector<int>> DescriptorSource::ExtensionNumbers(
    absl::string_view type) const {
  std::set<int> numbers;
  bool known = false;
  for (const DescriptorPool* pool : {static_cast<const DescriptorPool*>(&pool_),
                                     DescriptorPool::generated_pool()}) {
    const Descriptor* message = pool->FindMessageTypeByName(std::string(type));
    if (message == nullptr) continue;
    known = true;
    std::vector<const FieldDescriptor*> extensions;
    pool->FindAllExtensions(message, &extensions);
    for (const FieldDescriptor* ext : extensions) numbers.insert(ext->number());
  }
  if (!known) {
    return absl::NotFoundError(absl::StrCat("no message type named ", type));
  }
  return std::vector<int>(numbers.begin(), numbers.end());
}

}  // namespace ttads::server
