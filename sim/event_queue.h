// EventQueue: the simulator's agenda, a binary min-heap ordered by (time, seq).
//
// seq is an ever-increasing number given at push time, so two events at the same virtual time
// pop in the order they were scheduled: tie-breaking is deterministic and FIFO, as in ns-3.
// Complexity: push and pop O(log n), top O(1). Storage is one vector, reused across runs.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/assert.h"
#include "sim/types.h"

namespace txsim {

template <class Payload>
class EventQueue {
 public:
  struct Entry {
    Micros time;
    std::uint64_t seq;
    Payload payload;
  };

  void push(Micros time, Payload payload) {
    TXSIM_ASSERT(time >= 0);
    heap_.push_back(Entry{time, next_seq_++, payload});
    sift_up(heap_.size() - 1);
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }
  Entry pop() {
    TXSIM_ASSERT(!heap_.empty());
    Entry out = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return out;
  }
  void clear() {
    heap_.clear();
    next_seq_ = 0;
  }
  std::uint64_t pushed() const { return next_seq_; }

 private:
  static bool before(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  }
  void sift_up(std::size_t i) {
    Entry e = heap_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / 2;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    Entry e = heap_[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace txsim
