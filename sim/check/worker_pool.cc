// WorkerPool: a generation counter under one mutex; see the header.
#include "sim/check/worker_pool.h"

#include "sim/assert.h"

namespace txsim::check {

WorkerPool::WorkerPool(unsigned workers) {
  TXSIM_ASSERT(workers >= 1);
  threads_.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) threads_.emplace_back([this, w] { loop(w); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void WorkerPool::run(const std::function<void(unsigned)>& job) {
  if (threads_.empty()) {
    job(0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    TXSIM_ASSERT(running_ == 0);
    job_ = &job;
    running_ = unsigned(threads_.size());
    ++generation_;
  }
  wake_.notify_all();
  job(0);
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return running_ == 0; });
  job_ = nullptr;
}

void WorkerPool::loop(unsigned worker) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(unsigned)>* job = nullptr;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      job = job_;
    }
    (*job)(worker);
    std::lock_guard lock(mutex_);
    if (--running_ == 0) done_.notify_one();
  }
}

}  // namespace txsim::check
