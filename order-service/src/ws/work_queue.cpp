#include "ws/work_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace choreo::order_service::ws {

WorkQueue::WorkQueue(std::string name, int threads, std::size_t max_pending)
    : name_(std::move(name)), max_pending_(max_pending) {
  const int count = std::max(1, threads);
  threads_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    threads_.emplace_back([this] { run(); });
}

WorkQueue::~WorkQueue() {
  stop();
}

bool WorkQueue::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || jobs_.size() >= max_pending_)
      return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty())
      return;
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable())
      thread.join();
  }
  std::lock_guard lock(mutex_);
  threads_.clear();
}

void WorkQueue::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_)
        return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& error) {
      spdlog::error("{}: a job failed: {}", name_, error.what());
    }
  }
}

}  // namespace choreo::order_service::ws
