// Monitor: the limits every strategy polls (stop flag, memory) and the progress callback.
//
// Engines call poll() often (every few dozen states) from one thread, with their own memory
// estimate. The estimate is compared with memory_max_bytes at every poll; as a safety net for
// state memory the estimate cannot see (heap owned by states), the growth of the process's
// anonymous resident set since the start is sampled every 10 ms and counts too, and how far
// it ran above the estimate at the last sample is added to the estimate at the polls between.
// Progress is reported at most once per progress_period_ms (a second by default), at a poll.
// Wall-clock time only paces these reports: it never changes a result.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "sim/check/check_options.h"
#include "sim/check/check_result.h"

namespace txsim::check {

class Monitor {
 public:
  explicit Monitor(const CheckOptions& options);

  bool stop_requested() const {
    return options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed);
  }

  // Single caller thread. `memory_estimate` is what the search holds now, `headroom` what it
  // is about to allocate (a table doubling): the search stops when both no longer fit.
  // `snapshot` is called only when a progress report is due and returns the Progress counts
  // (the monitor fills in time, rate and memory).
  template <class SnapshotFn>
  StopReason poll(std::uint64_t memory_estimate, std::uint64_t headroom, SnapshotFn&& snapshot) {
    const Clock::time_point now = Clock::now();
    if (now - sampled_ >= std::min(kSamplePeriod, progress_period_)) {
      sampled_ = now;
      sample_resident();
      unseen_ = resident_growth_ > memory_estimate ? resident_growth_ - memory_estimate : 0;
      if (options_.progress && now - reported_ >= progress_period_) {
        reported_ = now;
        report(snapshot(), memory_estimate);
      }
    }
    note_memory(memory_estimate);
    if (stop_requested()) return StopReason::stopped;
    // Between samples, the resident set is taken to stay as far above the estimate as it was at
    // the last one (allocator pages, heap the estimate misses): the stop comes at the poll that
    // crosses the limit, not at the next sample. Only the limit uses this guess; the peak
    // reported is what was estimated or measured.
    if (!fits(std::max(memory_used_, memory_estimate + unseen_), headroom)) {
      return StopReason::memory_max;
    }
    return StopReason::none;
  }

  // Records the memory of a moment that is not polled (the end of a search, a growth).
  void note_memory(std::uint64_t memory_estimate) {
    memory_used_ = std::max(memory_estimate, resident_growth_);
    peak_memory_ = std::max(peak_memory_, memory_used_);
  }

  // True when `bytes` more would still fit under memory_max_bytes.
  bool fits(std::uint64_t memory_estimate, std::uint64_t bytes) const {
    return memory_estimate <= options_.memory_max_bytes &&
           bytes <= options_.memory_max_bytes - memory_estimate;
  }

  std::uint64_t peak_memory() const { return peak_memory_; }
  double seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  // Reading /proc/self/statm costs some 20 us: 0.2 % of a thread at this period. At 100 ms,
  // two threads on 2PC/4/1 ran 11 MB past a 20 MB limit before a sample saw it.
  static constexpr Clock::duration kSamplePeriod = std::chrono::milliseconds(10);

  void sample_resident();
  void report(Progress progress, std::uint64_t memory_estimate);

  const CheckOptions& options_;
  const Clock::duration progress_period_;
  Clock::time_point start_;
  Clock::time_point sampled_;
  Clock::time_point reported_;
  std::uint64_t resident_start_ = 0;
  std::uint64_t resident_growth_ = 0;
  std::uint64_t unseen_ = 0;  // resident growth above the estimate, at the last sample
  std::uint64_t memory_used_ = 0;
  std::uint64_t peak_memory_ = 0;
};

}  // namespace txsim::check
