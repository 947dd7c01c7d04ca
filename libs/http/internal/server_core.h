#ifndef TTADS_LIBS_HTTP_INTERNAL_SERVER_CORE_H_
#define TTADS_LIBS_HTTP_INTERNAL_SERVER_CORE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "libs/http/server.h"

namespace ttads::http::internal {

class Session;

// State shared by the server, its sessions and outstanding responders
// (which keep their session, and so this, alive past the server).
struct ServerCore {
  HttpServer::Options options;
  Handler handler;
  // Set by HttpServer::Stop once every connection is closed: from then on
  // nothing is written or posted.
  std::atomic<bool> stopped{false};
  // Guards `sessions`.
  std::mutex mu;
  // Every live session: the server adds each on accept, a session removes
  // itself when destroyed; the sweeper and Stop walk it.
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_SERVER_CORE_H_
