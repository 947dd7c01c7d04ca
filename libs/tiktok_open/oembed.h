#ifndef TTADS_LIBS_TIKTOK_OPEN_OEMBED_H_
#define TTADS_LIBS_TIKTOK_OPEN_OEMBED_H_

// TikTok's oEmbed endpoint (GET https://www.tiktok.com/oembed?url=<video
// page URL>; TikTok for Developers, "Embed Videos"): the embed HTML and
// facts about one public video. No token: the answer is public. The
// request goes through libs/fetch, so the endpoint must resolve to public
// addresses exactly like a Brand Identity image URL (private, loopback and
// link-local targets refused unless the fetch configuration allows them).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/fetch/public_fetcher.h"

namespace ttads::tiktok_open {

// A TikTok video page URL in its one canonical form.
struct VideoUrl {
  std::string username;  // Without the '@'.
  std::string video_id;  // Decimal digits.
  // "https://www.tiktok.com/@<username>/video/<video_id>": what oEmbed is
  // asked for and the cache key.
  std::string canonical;
};

// Accepts only a TikTok video page URL, https://www.tiktok.com/@<user>/
// video/<digits> (the form TikTok's "Embed Videos" page documents as
// oEmbed's `url`): scheme http or https, host www.tiktok.com or tiktok.com
// (any case), no user info or port other than 443, a username of 1-24
// letters, digits, '_' or '.', a video id of 1-32 digits, an optional
// trailing '/'; the query and fragment (share tracking such as
// ?is_from_webapp=1) are dropped. Everything else — other hosts, profile or
// tag pages, short links (vm.tiktok.com, vt.tiktok.com: they are redirects
// that would have to be followed to an unchecked target, and TikTok does
// not document them for oEmbed) — is INVALID_ARGUMENT with a field
// violation on `field`.
absl::StatusOr<VideoUrl> ParseVideoUrl(absl::string_view url,
                                       absl::string_view field = "video_url");

// TikTok's oEmbed answer, the fields ttads passes on.
struct EmbeddedVideo {
  std::string version;
  std::string type;   // "video"
  std::string title;  // The post's caption.
  std::string author_name;
  std::string author_url;
  std::string html;           // blockquote + embed.js script.
  std::string width, height;  // TikTok answers "100%".
  std::string thumbnail_url;
  int thumbnail_width = 0, thumbnail_height = 0;
  std::string provider_name, provider_url;
};

// Reads an oEmbed answer of `http_status`. 200 with a JSON object of type
// "video" and non-empty html → the video. Errors: 400 → INVALID_ARGUMENT
// (field `video_url`: TikTok does not take the URL); 404 → NOT_FOUND (no
// such public video: deleted, private or never posted); 403 →
// FAILED_PRECONDITION reason TIKTOK_EMBED_REFUSED; 429 → RESOURCE_EXHAUSTED
// with RetryInfo; other 4xx → FAILED_PRECONDITION reason TIKTOK_REFUSED; a
// 200 that is not such an object → UNAVAILABLE (TikTok answered something
// else).
absl::StatusOr<EmbeddedVideo> ParseOEmbedAnswer(int http_status,
                                                const std::string& body);

// The oEmbed call. An interface so services are tested without a network.
class OEmbedApi {
 public:
  virtual ~OEmbedApi() = default;
  // The raw 200 body for `url` (cacheable, re-read with ParseOEmbedAnswer)
  // or ParseOEmbedAnswer's errors, and the transport's: UNAVAILABLE (5xx,
  // connection), DEADLINE_EXCEEDED, FAILED_PRECONDITION reason
  // OEMBED_ENDPOINT_REFUSED when libs/fetch refuses the endpoint (not a
  // public address, plain http to a public host, answer over the size cap).
  virtual absl::StatusOr<std::string> Fetch(const VideoUrl& url,
                                            absl::Time deadline) = 0;
};

// Over libs/fetch: GET <endpoint>?url=<canonical URL, percent-encoded>.
class HttpOEmbedApi : public OEmbedApi {
 public:
  // `endpoint`: "https://www.tiktok.com/oembed" (locally the simulator's
  // <root>/oembed). `options`: the service's fetch options (public-address
  // rules, allow-list); their size cap is lowered to kMaxOEmbedBytes.
  HttpOEmbedApi(std::string endpoint, fetch::FetchOptions options);
  absl::StatusOr<std::string> Fetch(const VideoUrl& url,
                                    absl::Time deadline) override;

 private:
  std::string endpoint_;
  fetch::FetchOptions options_;
};

// Largest oEmbed answer read (a real one is a few KiB).
inline constexpr size_t kMaxOEmbedBytes = 256 * 1024;

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_OEMBED_H_
