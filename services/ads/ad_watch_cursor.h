#ifndef TTADS_SERVICES_ADS_AD_WATCH_CURSOR_H_
#define TTADS_SERVICES_ADS_AD_WATCH_CURSOR_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::ads {

// The resumable cursor of WatchAds.
//
// A position in one advertiser's events is "<modify_time>|<ad_id>"
// ("2026-12-05 19:00:00|1800123"): the TikTok modify time (UTC, second
// resolution) and ad id of the last event handled; events are ordered by
// that pair, and a watch resumed from it gets the events after it.
//
// A watch over one advertiser hands out that position as is (the cursor
// format from before several advertisers could be watched, still accepted).
// A watch over several hands out every advertiser's position, so that each
// resumes where its own events stopped however the advertisers' events
// interleaved: "<advertiser_id>=<position>" joined by ',' in advertiser id
// order ("7101=2026-12-05 19:00:00|18001,7102=2026-12-05 18:59:58|0"). An
// advertiser with no event yet carries the time the watch started and ad
// id 0.

// Positions by advertiser id.
using WatchPositions = std::map<std::string, std::string>;

// True when `position` is "<YYYY-MM-DD HH:MM:SS>|<1-20 digits>".
bool IsWatchPosition(absl::string_view position);

// Whether position `a` comes before `b`: by time, then by ad id as a
// number (ids differ in length: "9" < "18001").
bool WatchPositionLess(absl::string_view a, absl::string_view b);

// Formats `positions` as a cursor: the position itself for one advertiser,
// the composite form for several.
std::string FormatWatchCursor(const WatchPositions& positions);

// The start position of each of `advertisers` from `cursor`:
//   - empty cursor: no entry (the watch starts from now);
//   - a single position: that position for every advertiser;
//   - a composite cursor: its positions; advertisers it does not name have
//     no entry (they start from now).
// INVALID_ARGUMENT with a field violation on `cursor` for a malformed cursor,
// one naming an advertiser twice, or one naming an advertiser not in
// `advertisers` (a cursor of another watch).
absl::StatusOr<WatchPositions> ParseWatchCursor(
    absl::string_view cursor, const std::vector<std::string>& advertisers);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_WATCH_CURSOR_H_
