#ifndef TTADS_LIBS_TIKTOK_CLIENT_H_
#define TTADS_LIBS_TIKTOK_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/tiktok/backoff.h"
#include "libs/tiktok/budget.h"
#include "libs/tiktok/curl_loop.h"
#include "libs/tiktok/envelope.h"
#include "libs/tiktok/error_class.h"
#include "libs/tiktok/multipart.h"
#include "libs/tiktok/rate_limiter.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok {

// TikTok's Marketing API uses GET and POST; PUT, PATCH and DELETE exist for
// the raw call (services/ads raw_call.h), sent like POST with a JSON body.
enum class HttpMethod { kGet, kPost, kPut, kPatch, kDelete };

// One TikTok API call. Build it with Get(), Post() or Upload().
struct HttpCall {
  HttpMethod method = HttpMethod::kGet;
  // Endpoint path relative to the base URL, with TikTok's trailing slash:
  // "identity/get/" (a leading '/' is ignored).
  std::string path;
  // GET: query parameters (see EncodeQuery: arrays/objects JSON-encoded).
  nlohmann::json params = nlohmann::json::object();
  // POST: JSON body (ignored when `multipart` is set).
  nlohmann::json body = nlohmann::json::object();
  // POST: multipart/form-data body instead of JSON.
  std::shared_ptr<const MultipartForm> multipart;
  // Sent as "Access-Token: <token>"; empty for OAuth endpoints.
  std::string access_token;
  // For the per-advertiser rate-limit bucket. Empty: taken from the
  // "advertiser_id" parameter, body field or form field, if any.
  std::string advertiser_id;
  // Whether sending the call twice is harmless. Defaults: GET yes, POST no.
  // Only idempotent calls are retried after an ambiguous failure.
  std::optional<bool> idempotent;
  // false: one attempt only, whatever the failure.
  bool retry = true;
  // Sent as the W3C `traceparent` (and `tracestate`) header, so the
  // upstream's logs (the simulator's request log) join the ttads span that
  // made the call. Empty: the current thread's span (trace::Current(), set
  // by the server pipeline) when Send runs, naming that span as the parent;
  // no header without one. Every attempt of the call sends the same value.
  std::string traceparent;
  std::string tracestate;
  // Whose budget the call spends, in which class. nullopt (the default):
  // the current thread's BudgetScope, else ClientOptions::ambient_budget,
  // else interactive with no team.
  std::optional<BudgetTag> budget;
  // More request headers, sent as given (the raw call's vetted ones).
  std::vector<std::pair<std::string, std::string>> extra_headers;

  static HttpCall Get(std::string path, nlohmann::json params,
                      std::string access_token = "");
  static HttpCall Post(std::string path, nlohmann::json body,
                       std::string access_token = "");
  static HttpCall Upload(std::string path, MultipartForm form,
                         std::string access_token = "");

  bool is_idempotent() const {
    return idempotent.value_or(method == HttpMethod::kGet);
  }
};

// What a finished call reports to ClientOptions::on_finish.
struct CallOutcome {
  // The endpoint path as called, without a leading '/': "ad/create/".
  absl::string_view endpoint;
  // OK, or the call's error (with its TikTokErrorInfo payload).
  const absl::Status* status = nullptr;
  // Time from Send() to the result, rate-limit waits and retries included.
  absl::Duration elapsed;
};

struct ClientOptions {
  // TTADS_TIKTOK_BASE_URL, e.g.
  // "https://business-api.tiktok.com/open_api/v1.3/" (a missing trailing '/' is
  // added).
  std::string base_url;
  std::string app_id;      // TTADS_TIKTOK_APP_ID (also names limiter keys)
  std::string app_secret;  // TTADS_TIKTOK_APP_SECRET (for OAuth bodies)

  // Shared rate limiter (e.g. RedisRateLimiter built with the policy of
  // TTADS_TIKTOK_TIER); null: no client-side limiting. When it cannot be
  // reached, calls go out unlimited (fail open; TikTok's own 40100 is still
  // retried), stats().limiter_errors counts, and the limiter is not asked
  // again for `limiter_error_bypass`, so a Redis outage does not queue every
  // call behind a Redis timeout.
  std::shared_ptr<RateLimiter> rate_limiter;
  // Longest the client queues a call for a rate-limit slot, besides the
  // caller's deadline.
  absl::Duration max_rate_limit_wait = absl::Seconds(30);
  absl::Duration limiter_error_bypass = absl::Seconds(1);

  // The budget tag of a call that names none and is sent outside any
  // BudgetScope (service_kit: the team of the gRPC call being served,
  // interactive). Called on the sending thread; must not block. Null:
  // interactive, no team.
  std::function<BudgetTag()> ambient_budget;
  // A team's weight in the background/bulk lanes when its tag has none
  // (service_kit: by plan tier). Called on the limiter thread; may block
  // briefly (cached lookups). Null: 1.
  std::function<double(const std::string& team_id)> team_weight;
  // Told about every reservation decision (metrics); may be null.
  std::shared_ptr<BudgetObserver> budget_observer;

  // Attempts per call including the first (retries need retry = true).
  int max_attempts = 5;
  BackoffOptions backoff;
  // Cap on one attempt; a slower attempt fails (retryable if it may be
  // repeated) and the next one gets the rest of the deadline.
  absl::Duration attempt_timeout = absl::Seconds(60);
  absl::Duration connect_timeout = absl::Seconds(5);
  // No attempt starts (and no backoff or rate-limit wait is scheduled)
  // unless at least this much of the deadline would be left for it.
  absl::Duration min_attempt_time = absl::Milliseconds(20);
  // Responses above this size fail the call.
  int64_t max_response_bytes = 64 << 20;
  std::string user_agent = "ttads-tiktok-client/1.3";
  // Called once per finished call, on the loop thread (must not block), e.g.
  // ClientMetrics::Observer(); optional.
  std::function<void(const CallOutcome&)> on_finish;
  CurlLoop::Options loop;
};

class LimiterWorker;  // limiter_worker.h

// The TikTok Marketing API v1.3 client shared by every service.
//
// - Transport: one libcurl multi loop thread (CurlLoop) runs every call of
//   this client; reused HTTP/1.1 keep-alive connections; a rate-limit
//   worker thread makes limiter reservations. No thread per call.
// - Each attempt's timeout is the time left before the caller's deadline
//   (capped by attempt_timeout); waits for rate-limit slots and backoff run
//   on the loop's timers and never extend past the deadline.
// - Results: the envelope when `code` is 0 or 20001; otherwise an error
//   status classified by error_class.h with a TikTokErrorInfo payload.
// - Retries: retryable failures are retried with jittered exponential
//   backoff (no shorter than TikTok's suggested wait) while the deadline
//   allows; ambiguous failures (request may have been applied) are retried
//   only for idempotent calls, and otherwise returned for the caller to
//   reconcile. The last attempt's error is returned, with the attempt count
//   in the payload.
// - Budget: each call has a class and team (BudgetTag). The limiter thread
//   serves interactive reservations first, in order; background and bulk
//   calls wait in the client, one queue per team taken round-robin, and are
//   re-asked when the limiter's deferral hint has passed (for the whole lane
//   when the slot is busy, for the team when it is over its share) until
//   their deadline.
//
// Thread safety: all methods may be called from any thread.
class Client {
 public:
  using Done = std::function<void(absl::StatusOr<Envelope>)>;

  // INVALID_ARGUMENT for a missing or non-http(s) base URL.
  static absl::StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);

  // Pending calls finish with CANCELLED (ambiguous if already sent).
  ~Client();

  // Starts `call`; `done` runs exactly once, on the client's loop thread
  // (so it must not block), or inline after the client has shut down.
  // Never blocks (an upload's MD5 was computed when its form was built).
  void Send(HttpCall call, absl::Time deadline, Done done);

  // Blocking convenience over Send(). FAILED_PRECONDITION when called from
  // a `done` callback (it would deadlock the loop).
  absl::StatusOr<Envelope> Call(HttpCall call, absl::Time deadline);

  const ClientOptions& options() const { return options_; }

  struct Stats {
    int64_t calls = 0;
    int64_t attempts = 0;
    int64_t retries = 0;
    int64_t ambiguous = 0;          // calls that ended ambiguous
    int64_t limiter_waits = 0;      // attempts delayed for a rate-limit slot
    int64_t limiter_rejects = 0;    // calls failed: no slot within the deadline
    int64_t limiter_errors = 0;     // limiter unreachable: sent unlimited
    int64_t limiter_deferrals = 0;  // background/bulk told to ask later
    int64_t in_flight = 0;          // transfers inside the loop right now
  };
  Stats stats() const;

 private:
  struct CallState;

  explicit Client(ClientOptions options);

  void StartAttempt(std::shared_ptr<CallState> state);
  void Transmit(std::shared_ptr<CallState> state);
  void OnTransferDone(std::shared_ptr<CallState> state, CURLcode result);
  void OnAttemptFailed(std::shared_ptr<CallState> state, absl::Status status);
  void Finish(std::shared_ptr<CallState> state,
              absl::StatusOr<Envelope> result);

  const ClientOptions options_;
  std::atomic<bool> shutting_down_{false};
  absl::BitGen gen_;  // loop thread only
  std::unique_ptr<CurlLoop> loop_;
  std::unique_ptr<LimiterWorker> limiter_worker_;

  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> attempts_{0};
  std::atomic<int64_t> retries_{0};
  std::atomic<int64_t> ambiguous_{0};
  std::atomic<int64_t> limiter_waits_{0};
  std::atomic<int64_t> limiter_rejects_{0};
  std::atomic<int64_t> limiter_errors_{0};
  std::atomic<int64_t> limiter_deferrals_{0};
  std::atomic<int64_t> limiter_bypass_until_us_{0};
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_CLIENT_H_
