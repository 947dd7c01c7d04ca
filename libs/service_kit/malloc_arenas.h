#ifndef TTADS_LIBS_SERVICE_KIT_MALLOC_ARENAS_H_
#define TTADS_LIBS_SERVICE_KIT_MALLOC_ARENAS_H_

#include "absl/status/statusor.h"

namespace ttads::service_kit {

// Caps the number of glibc malloc arenas of this process at `arenas`
// (mallopt M_ARENA_MAX). Call it first thing in main, before any thread
// starts: arenas already created stay.
//
// Why: glibc gives threads their own arena, up to 8 per core. A freed block
// goes back to the arena it came from, and an arena returns memory to the
// system only from its top, so each arena keeps the high-water mark of the
// short-lived allocations its threads made. When those peaks grow (ttads-ads:
// every watch stream start reads all of an advertiser's ads since the
// cursor, and the mixed soak keeps adding ads), every arena ratchets up on
// its own and RSS rises with the number of arenas (docs/reliability.md,
// "Load and soak"). With a few shared arenas the freed blocks are reused.
void CapMallocArenas(int arenas);

// How many malloc arenas the process has (main arena included), from glibc's
// malloc_info. For tests and diagnostics. Errors: INTERNAL if the report
// cannot be produced.
absl::StatusOr<int> MallocArenaCount();

}  // namespace ttads::service_kit

#endif  // TTADS_LIBS_SERVICE_KIT_MALLOC_ARENAS_H_
