// HttpServer: the listener, the worker threads and the deadline sweeper.
// The parts, one job each:
//   message.h                  the request/response values
//   responder.h                the handler's handles on an exchange
//   internal/session.h         one connection: reading, limits, deadlines,
//                              keep-alive, pipelining, writing
//   internal/connection.h      the interface between a session and its
//                              exchanges
//   internal/exchange.h        one request/response: who answers, and how
//   internal/request_head.h    what a parsed head means; errors to answers
//   internal/response_format.h the bytes of an answer
//   internal/deadline.h        a connection's pending deadline

#include "libs/http/server.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/asio.hpp"
#include "libs/http/internal/deadline.h"
#include "libs/http/internal/server_core.h"
#include "libs/http/internal/session.h"

namespace ttads::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using internal::Executor;
using internal::Socket;

// One io_context per worker thread (connections are dealt out in turn), so
// an I/O event is handled by the thread that polled it: no hand-off between
// workers. The listener, the sweeper and RunAfter live on the first.
struct HttpServer::Impl {
  std::shared_ptr<internal::ServerCore> core;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<Executor>> work;
  std::optional<net::basic_socket_acceptor<tcp, Executor>> acceptor;
  std::optional<
      net::basic_waitable_timer<Clock, net::wait_traits<Clock>, Executor>>
      sweeper;
  Clock::duration sweep_every{};
  size_t next_context = 0;
  std::vector<std::thread> threads;
  int port = 0;
  bool started = false;
  bool stopped = false;

  net::io_context& First() { return *contexts.front(); }

  void Accept() {
    net::io_context& target = *contexts[next_context++ % contexts.size()];
    acceptor->async_accept(
        target.get_executor(), [this](boost::system::error_code ec, Socket s) {
          if (ec) {
            if (ec == net::error::operation_aborted || core->stopped) return;
            return Accept();
          }
          boost::system::error_code ignored;
          s.set_option(tcp::no_delay(true), ignored);
          auto session =
              std::make_shared<internal::Session>(std::move(s), core);
          {
            std::lock_guard<std::mutex> lock(core->mu);
            core->sessions[session.get()] = session;
          }
          session->Start();
          Accept();
        });
  }

  // Hands every session whose deadline is due to its own thread, then
  // sleeps for sweep_every: a deadline is acted on at most that late.
  void Sweep() {
    const int64_t now = internal::Deadline::Now();
    std::vector<std::shared_ptr<internal::Session>> due;
    {
      std::lock_guard<std::mutex> lock(core->mu);
      for (auto& [ptr, weak] : core->sessions) {
        if (!ptr->DeadlineDue(now)) continue;
        if (auto s = weak.lock()) due.push_back(std::move(s));
      }
    }
    for (auto& s : due) s->CheckDeadline();
    sweeper->expires_after(sweep_every);
    sweeper->async_wait([this](boost::system::error_code ec) {
      if (!ec && !core->stopped) Sweep();
    });
  }
};

HttpServer::HttpServer(Options options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->core = std::make_shared<internal::ServerCore>();
  impl_->core->options = std::move(options);
  impl_->core->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  if (impl_->started) return absl::FailedPreconditionError("already started");
  const Options& o = impl_->core->options;
  boost::system::error_code ec;
  auto address = net::ip::make_address(o.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad listen address '", o.address, "': ", ec.message()));
  }
  tcp::endpoint ep(address, static_cast<unsigned short>(o.port));
  const int n = std::max(1, o.threads);
  for (int i = 0; i < n; ++i) {
    // 1: each context is run by one thread (Asio skips some locking).
    impl_->contexts.push_back(std::make_unique<net::io_context>(1));
  }
  impl_->acceptor.emplace(impl_->First().get_executor());
  impl_->acceptor->open(ep.protocol(), ec);
  if (!ec)
    impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(ep, ec);
  if (!ec)
    impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", o.address, ":", o.port, ": ", ec.message()));
  }
  impl_->port = impl_->acceptor->local_endpoint().port();
  impl_->started = true;
  for (auto& context : impl_->contexts) {
    impl_->work.push_back(net::make_work_guard(context->get_executor()));
  }
  impl_->Accept();
  // A few checks per shortest timeout, between 10 ms and 1 s apart.
  impl_->sweep_every = std::clamp<Clock::duration>(
      std::min<Clock::duration>(o.read_timeout, o.idle_timeout) / 4,
      std::chrono::milliseconds(10), std::chrono::seconds(1));
  impl_->sweeper.emplace(impl_->First().get_executor());
  net::post(impl_->First(), [impl = impl_.get()] { impl->Sweep(); });
  for (auto& context : impl_->contexts) {
    impl_->threads.emplace_back([context = context.get()] { context->run(); });
  }
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  // Close the listener and every connection on their own executors, wait for
  // that to happen, then stop the loop.
  std::vector<std::shared_ptr<internal::Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(impl_->core->mu);
    for (auto& [ptr, weak] : impl_->core->sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = sessions.size() + 1;
  auto done = [&] {
    std::lock_guard<std::mutex> lock(mu);
    if (--pending == 0) cv.notify_all();
  };
  net::post(impl_->First(), [&] {
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
    impl_->sweeper->cancel();
    done();
  });
  for (auto& s : sessions) s->Shutdown(done);
  sessions.clear();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return pending == 0; });
  }
  impl_->core->stopped = true;
  impl_->work.clear();
  for (auto& context : impl_->contexts) context->stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::RunAfter(std::chrono::milliseconds delay,
                          std::function<void()> fn) {
  if (impl_->core->stopped || impl_->contexts.empty()) return;  // Not started.
  auto timer = std::make_shared<net::steady_timer>(impl_->First(), delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
    if (!ec) fn();
  });
}

}  // namespace ttads::http
