#include "libs/service_kit/malloc_arenas.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include <string_view>

#include "absl/status/status.h"

namespace ttads::service_kit {

void CapMallocArenas(int arenas) { mallopt(M_ARENA_MAX, arenas); }

absl::StatusOr<int> MallocArenaCount() {
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  if (out == nullptr) return absl::InternalError("open_memstream failed");
  const int rc = malloc_info(0, out);
  fclose(out);
  // One <heap nr="N"> element per arena.
  int count = 0;
  std::string_view report(text == nullptr ? "" : text, size);
  for (size_t at = report.find("<heap nr="); at != std::string_view::npos;
       at = report.find("<heap nr=", at + 1)) {
    ++count;
  }
  free(text);
  if (rc != 0 || count == 0) {
    return absl::InternalError("malloc_info gave no arena report");
  }
  return count;
}

}  // namespace ttads::service_kit
