#ifndef TTADS_LIBS_SERVER_WORK_QUEUE_H_
#define TTADS_LIBS_SERVER_WORK_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ttads::server {

// A fixed pool of threads running queued closures in FIFO order. Services
// run blocking domain work (Redis, TikTok calls made through the blocking
// client) here instead of on gRPC's callback threads, which must not block.
// The destructor drains the queue and joins the threads.
class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Post(std::function<void()> work);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_WORK_QUEUE_H_
