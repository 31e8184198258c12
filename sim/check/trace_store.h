// TraceStore: how BFS finds its way back from a bad state to an initial state, without keeping
// states or parent pointers in the visited set.
//
// Like TLC's trace file, every newly discovered state has one record: the position of its parent
// in the previous BFS level and which successor of the parent it was (the position in the order
// in which Model::successors emitted them; for an initial state, its position in
// initial_states()). Records are stored level by level in BFS order, so a state's record index
// is the number of states discovered before it: BFS never stores it, it knows where each level
// starts.
//
// Compact: a level's records are bit-packed with just the bits that level needs, i.e.
// bit_width(largest parent position) + bit_width(largest successor position). For TwoPhase with
// 8 RMs that is at most 18 + 6 bits, about 3 bytes per state (a fixed 64-bit record costs 8).
// Kept in chunks of 64 KiB, so appending never copies what is stored. Walking a chain back is
// one random read per step.
//
// Thread-safety: one append_level() at a time (it may pack its records on several threads);
// record() may be called concurrently when no append runs (BFS appends between its parallel
// phases).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/assert.h"
#include "sim/check/chunked_vector.h"

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

  // An origin as one word: parent position in the previous level (40 bits), successor position.
  static constexpr std::uint64_t pack(std::uint64_t parent, std::uint32_t emitted) {
    return (parent << 24) | emitted;
  }

  // Appends one level of `count` records, record i coming from origin(i), a pack()ed origin.
  // The first level appended is the initial states': their parent positions are ignored.
  // for_ranges(count, fn) must call fn(begin, end) once for each range of a partition of
  // [0, count) whose inner boundaries are multiples of 64, on any threads, concurrently or not:
  // a level starts on a word, so 64 records fill whole words and ranges write disjoint words.
  template <class OriginFn, class ForRanges>
  void append_level(std::uint64_t count, OriginFn&& origin, ForRanges&& for_ranges) {
    TXSIM_ASSERT_MSG(size_ + count <= kRecordsMax, "trace store full (2^40 states)");
    const bool first = levels_.empty();
    std::atomic<std::uint64_t> parent_max{0}, emitted_max{0};
    for_ranges(count, [&](std::uint64_t begin, std::uint64_t end) {
      std::uint64_t parent = 0, emitted = 0;
      for (std::uint64_t i = begin; i < end; ++i) {
        const std::uint64_t o = origin(i);
        parent = std::max(parent, first ? 0 : o >> 24);
        emitted = std::max(emitted, o & kSuccessorsMax);
      }
      raise(parent_max, parent);
      raise(emitted_max, emitted);
    });
    bits_ = (bits_ + 63) / 64 * 64;  // the level starts on a word
    const Level level{size_, bits_, int(std::bit_width(parent_max.load())),
                      int(std::bit_width(emitted_max.load()))};
    levels_.push_back(level);
    const int width = level.parent_bits + level.emitted_bits;
    if (width > 0) {
      const std::uint64_t bits = count * std::uint64_t(width);
      const std::uint64_t words = (bits_ + bits + 63) / 64 + 1;  // one spare word for write()
      if (words > words_.size()) words_.extend(words - words_.size());  // zeroed
      for_ranges(count, [&](std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t i = begin; i < end; ++i) {
          const std::uint64_t o = origin(i);
          const std::uint64_t parent = first ? 0 : o >> 24;
          write(bits_ + i * std::uint64_t(width), width,
                (parent << level.emitted_bits) | (o & kSuccessorsMax));
        }
      });
      bits_ += bits;
    }
    size_ += count;
  }
  // The same on the calling thread.
  template <class OriginFn>
  void append_level(std::uint64_t count, OriginFn&& origin) {
    append_level(count, origin, [](std::uint64_t n, auto&& fn) { fn(std::uint64_t{0}, n); });
  }

  Record record(std::uint64_t index) const;

  // Record indices from the initial state's record down to `index` (the chain, root first).
  std::vector<std::uint64_t> chain_to(std::uint64_t index) const;

  std::uint64_t size() const { return size_; }
  std::size_t bytes() const { return words_.bytes() + levels_.capacity() * sizeof(Level); }

 private:
  struct Level {
    std::uint64_t base;      // record index of the level's first record
    std::uint64_t bit_base;  // where its records start in words_
    int parent_bits;
    int emitted_bits;
  };

  // Bits [at, at + width) of the stream, width in 1..64, into words already there (zero).
  void write(std::uint64_t at, int width, std::uint64_t value) {
    const std::uint64_t word = at >> 6;
    const int offset = int(at & 63);
    words_[word] |= value << offset;
    if (offset + width > 64) words_[word + 1] |= value >> (64 - offset);
  }
  static void raise(std::atomic<std::uint64_t>& max, std::uint64_t value) {
    std::uint64_t seen = max.load(std::memory_order_relaxed);
    while (seen < value && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
  }
  std::uint64_t read(std::uint64_t at, int width) const;

  ChunkedVector<std::uint64_t, 13> words_;  // the bit stream, 64 KiB chunks
  std::vector<Level> levels_;
  std::uint64_t size_ = 0;  // records
  std::uint64_t bits_ = 0;  // bits used in words_
};

}  // namespace txsim::check
