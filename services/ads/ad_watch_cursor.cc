#include "services/ads/ad_watch_cursor.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/status.h"

namespace ttads::ads {
namespace {

absl::Status BadCursor(absl::string_view why) {
  return status::InvalidArgument(absl::StrCat("invalid cursor: ", why),
                                 {{"cursor", std::string(why)}});
}

bool AllDigits(absl::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

bool IsWatchPosition(absl::string_view p) {
  // "YYYY-MM-DD HH:MM:SS" is 19 bytes, then '|', then the ad id.
  if (p.size() < 21 || p[19] != '|') return false;
  static constexpr char kShape[] = "dddd-dd-dd dd:dd:dd";
  for (size_t i = 0; i < 19; ++i) {
    const bool digit = absl::ascii_isdigit(static_cast<unsigned char>(p[i]));
    if (kShape[i] == 'd' ? !digit : p[i] != kShape[i]) return false;
  }
  return AllDigits(p.substr(20), 1, 20);
}

bool WatchPositionLess(absl::string_view a, absl::string_view b) {
  const size_t ia = a.find('|');
  const size_t ib = b.find('|');
  const absl::string_view ta = a.substr(0, ia), tb = b.substr(0, ib);
  if (ta != tb) return ta < tb;
  absl::string_view na = ia == absl::string_view::npos ? "" : a.substr(ia + 1);
  absl::string_view nb = ib == absl::string_view::npos ? "" : b.substr(ib + 1);
  while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
  while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
  if (na.size() != nb.size()) return na.size() < nb.size();
  return na < nb;
}

std::string FormatWatchCursor(const WatchPositions& positions) {
  if (positions.size() == 1) return positions.begin()->second;
  std::string out;
  for (const auto& [advertiser, position] : positions) {
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, advertiser, "=", position);
  }
  return out;
}

absl::StatusOr<WatchPositions> ParseWatchCursor(
    absl::string_view cursor, const std::vector<std::string>& advertisers) {
  WatchPositions out;
  if (cursor.empty()) return out;
  if (IsWatchPosition(cursor)) {
    for (const auto& a : advertisers) out[a] = std::string(cursor);
    return out;
  }
  for (absl::string_view part : absl::StrSplit(cursor, ',')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (!AllDigits(kv.first, 1, 20) || !IsWatchPosition(kv.second)) {
      return BadCursor(
          "not a cursor from a WatchAds event ('<time>|<ad_id>' or "
          "'<advertiser_id>=<time>|<ad_id>,...')");
    }
    const std::string advertiser(kv.first);
    if (std::find(advertisers.begin(), advertisers.end(), advertiser) ==
        advertisers.end()) {
      return BadCursor(absl::StrCat("names advertiser ", advertiser,
                                    ", which this watch does not watch"));
    }
    if (!out.emplace(advertiser, std::string(kv.second)).second) {
      return BadCursor(absl::StrCat("names advertiser ", advertiser, " twice"));
    }
  }
  return out;
}

}  // namespace ttads::ads
