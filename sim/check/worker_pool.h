// WorkerPool: a fixed set of threads that run one job at a time, all together, and wait for
// each other: the fork-join step of level-synchronous BFS and of parallel random walks.
//
// run(job) calls job(w) for every worker w in [0, size()), worker 0 on the calling thread,
// and returns when all calls have returned (so what the job wrote is visible to the caller).
// With one worker no thread is started. Jobs share work through their own atomic counters.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace txsim::check {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return unsigned(threads_.size()) + 1; }
  void run(const std::function<void(unsigned worker)>& job);

 private:
  void loop(unsigned worker);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  std::uint64_t generation_ = 0;
  unsigned running_ = 0;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace txsim::check
