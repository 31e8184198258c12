// TraceStore: how BFS finds its way back from a bad state to an initial state, without keeping
// states or parent pointers in the visited set.
//
// Like TLC's trace file, every newly discovered state appends one record: the record index of
// its parent and which successor of the parent it was (the position in the order in which
// Model::successors emitted them; for an initial state, its position in initial_states()).
// Records are appended in BFS order, so a state's record index is the number of states
// discovered before it: BFS never stores it, it knows where each level starts.
//
// Cost: 8 bytes per distinct state (40-bit parent index, 24-bit successor position), kept in
// memory in chunks of 64 Ki records, so appending never copies what is stored. That is on top
// of the visited set's 16-32 bytes per state. Walking a chain back is one random read per step.
//
// Thread-safety: append() is single-threaded; record() may be called concurrently when no
// append() runs (BFS appends between its parallel phases).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/assert.h"

namespace txsim::check {

class TraceStore {
 public:
  static constexpr std::uint64_t kNoParent = (std::uint64_t{1} << 40) - 1;
  static constexpr std::uint64_t kRecordsMax = kNoParent;          // parent indices fit 40 bits
  static constexpr std::uint32_t kSuccessorsMax = (1u << 24) - 1;  // per state

  struct Record {
    std::uint64_t parent;   // record index of the parent, or kNoParent for an initial state
    std::uint32_t emitted;  // successor position in the parent, or index in initial_states()
  };

  void append(std::uint64_t parent, std::uint32_t emitted) {
    TXSIM_ASSERT(parent <= kNoParent && emitted <= kSuccessorsMax);
    TXSIM_ASSERT_MSG(size_ < kRecordsMax, "trace store full (2^40 states)");
    if ((size_ & kChunkMask) == 0) {
      chunks_.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(kChunk));
    }
    chunks_.back()[size_ & kChunkMask] = (parent << 24) | emitted;
    ++size_;
  }

  Record record(std::uint64_t index) const {
    TXSIM_ASSERT(index < size_);
    const std::uint64_t word = chunks_[index >> kChunkBits][index & kChunkMask];
    return Record{word >> 24, std::uint32_t(word & kSuccessorsMax)};
  }

  // Record indices from the initial state's record down to `index` (the chain, root first).
  std::vector<std::uint64_t> chain_to(std::uint64_t index) const {
    std::vector<std::uint64_t> chain;
    for (std::uint64_t at = index; at != kNoParent; at = record(at).parent) {
      TXSIM_ASSERT_MSG(chain.size() <= size_, "trace store has a cycle");
      chain.push_back(at);
    }
    return {chain.rbegin(), chain.rend()};
  }

  std::uint64_t size() const { return size_; }
  std::size_t bytes() const { return chunks_.size() * kChunk * sizeof(std::uint64_t); }

 private:
  static constexpr int kChunkBits = 16;
  static constexpr std::uint64_t kChunk = std::uint64_t{1} << kChunkBits;
  static constexpr std::uint64_t kChunkMask = kChunk - 1;

  std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
  std::uint64_t size_ = 0;
};

}  // namespace txsim::check
