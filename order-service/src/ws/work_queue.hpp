#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace choreo::order_service::ws {

// A fixed set of threads taking jobs from one bounded queue, for the WebSocket side's blocking
// work (database reads, operations) that must stay off the I/O threads. With one thread, jobs run
// in the order posted.
class WorkQueue {
 public:
  WorkQueue(std::string name, int threads, std::size_t max_pending);
  ~WorkQueue();  // stop()s
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // False, and the job is dropped, when the queue is full or stopped.
  bool post(std::function<void()> job);
  // Drops the jobs not started, waits for the running ones and joins the threads. Idempotent.
  void stop();

 private:
  void run();

  const std::string name_;
  const std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace choreo::order_service::ws
