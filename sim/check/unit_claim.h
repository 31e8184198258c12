// UnitClaim: one worker's share of a parallel BFS round (bfs_parallel.h), a range of units
// that its owner takes from the front and other workers, out of units of their own, from the
// back. Taking from opposite ends keeps what the owner took a prefix of its share: the lead
// (worker 0) admits its units as it expands them, which is only right for the round's first.
//
// The range is one atomic word, so a take is one compare-and-swap; the counters beside it are
// written by the owner only and read between phases (after a barrier).
#pragma once

#include <atomic>
#include <cstdint>

namespace txsim::check {

struct alignas(64) UnitClaim {
  std::atomic<std::uint64_t> range{0};  // [front, back) in units of the round: front << 32 | back
  // Level units from here on may be filtered by the owner's private cache (they come after every
  // unit it expanded this round; earlier rounds' keys are all visited).
  std::uint64_t filter_from = 0;
  std::uint64_t share = 0;   // units in the share when the round began
  std::uint64_t own = 0;     // of them, taken by the owner
  std::uint64_t stolen = 0;  // units the owner took from other shares

  void set(std::uint64_t front, std::uint64_t back, std::uint64_t filter_from_unit) {
    range.store(front << 32 | back, std::memory_order_relaxed);
    filter_from = filter_from_unit;
    share = back - front;
    own = stolen = 0;
  }
  // The next unit from the front (the owner) or the back (anyone else), into `slot`; false
  // when none is left.
  bool take(bool front, std::uint64_t& slot) {
    std::uint64_t r = range.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint64_t f = r >> 32, b = r & 0xffffffffu;
      if (f >= b) return false;
      const std::uint64_t taken = front ? (f + 1) << 32 | b : f << 32 | (b - 1);
      if (range.compare_exchange_weak(r, taken, std::memory_order_relaxed)) {
        slot = front ? f : b - 1;
        return true;
      }
    }
  }
};

}  // namespace txsim::check
