// CandidateArena<T>: one worker's storage for a parallel BFS round's candidates, handed out as
// contiguous runs (one per unit) and taken back all at once when the round ends.
//
// Why: the round's candidates used to live in one std::vector per (unit, group), 512 small
// vectors refilled every round. Their capacities overshot (doubling), the malloc heaps of the
// workers kept their memory after the level (4.9 MB resident on TwoPhase 8 RMs, 3 bytes per
// state that the checker's estimate could not see), and every push_back tested its capacity.
// Here a unit's survivors are counted by group and placed in one run, group after group, so
// the list of (unit, group) is a slice of it; blocks come from allocate_chunk (memory.h), are
// reused round after round, and are released when the level ends (recycled or unmapped).
//
// T must be trivially copyable (the parallel BFS only runs on such states): elements are
// assigned into zeroed memory and never destroyed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "sim/check/memory.h"

namespace txsim::check {

template <class T>
class CandidateArena {
 public:
  // Elements per ordinary block: the largest size memory.h recycles.
  static constexpr std::size_t kBlock = kRecycledBlockMax / sizeof(T);

  CandidateArena() = default;
  CandidateArena(const CandidateArena&) = delete;
  CandidateArena& operator=(const CandidateArena&) = delete;
  ~CandidateArena() { release(); }

  // Room for `count` elements in a row; the caller then fills a prefix and calls use() with its
  // length. Returns the run's start. May allocate a block (bytes() grows).
  T* room(std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T>, "runs are raw zeroed memory");
    while (block_ < blocks_.size() && used_ + count > blocks_[block_].size) {
      ++block_;  // the rest of this block stays unused this round
      used_ = 0;
    }
    if (block_ == blocks_.size()) {
      const std::size_t size = std::max(kBlock, count);
      blocks_.push_back(Block{static_cast<T*>(allocate_chunk(size * sizeof(T))), size});
      bytes_ += size * sizeof(T);
    }
    return blocks_[block_].data + used_;
  }
  // Takes the first `count` elements of the last room() (count <= what was asked).
  void use(std::size_t count) { used_ += count; }

  // The round is over: every run may be overwritten (the blocks stay).
  void rewind() {
    block_ = 0;
    used_ = 0;
  }
  // Gives every block back to the OS.
  void release() {
    for (const Block& block : blocks_) release_chunk(block.data, block.size * sizeof(T));
    blocks_.clear();
    block_ = used_ = bytes_ = 0;
  }

  std::size_t bytes() const { return bytes_; }

 private:
  struct Block {
    T* data;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  std::size_t block_ = 0;  // the block being filled
  std::size_t used_ = 0;   // its elements handed out this round
  std::size_t bytes_ = 0;
};

}  // namespace txsim::check
