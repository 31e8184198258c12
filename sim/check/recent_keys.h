// RecentKeys: a direct-mapped cache of the visited-set slot keys a BFS met a moment ago, so
// that most duplicate successors are dropped without a visited-set lookup.
//
// Why it pays: a state of the next level usually has several parents in the current one, and
// its duplicates arrive while the first copy is recent. A hit costs one load from a table that
// mostly stays in the core's cache; a visited-set lookup is a cache miss and, for an insert,
// a shifted run. The hit rate grows with the table's size relative to the level (TwoPhase with
// 8 RMs, one thread: 0.494 s with 16 Ki entries, 0.457 s with 256 Ki; docs/performance.md), so
// BFS sizes the table for each level (entries_for) and frees it as the levels shrink.
//
// Exact, never approximate: an entry holds a whole slot key, so a hit means that very key was
// met (and is therefore visited, or about to be). Zero marks an empty entry (no slot key is 0).
// The index grows with the key (its top 32 bits times the size, over 2^32), and the size is a
// multiple of 8 * kGroupsMax: the entries of the keys of one FingerprintSet shard group (of up
// to kGroupsMax, by the keys' top bits) form one contiguous range of whole cache lines, which
// only that group's worker writes (BFS phase B).
//
// Sizes are steps of 2^(1/4), not powers of two: about one entry per state of the level, where
// a power of two gave up to two (TwoPhase with 8 RMs, one thread: the 135 833-state level got
// 256 Ki entries, 2 MiB, at the search's memory peak). Time did not change measurably
// (docs/performance.md, session 7).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "sim/check/memory.h"

namespace txsim::check {

class RecentKeys {
 public:
  static constexpr std::size_t kEntriesMin = std::size_t{1} << 14;
  static constexpr std::size_t kEntriesMax = std::size_t{1} << 23;  // 64 MiB
  static constexpr std::size_t kGroupsMax = 32;
  static constexpr std::size_t kEntriesStep = 8 * kGroupsMax;  // sizes are multiples of it

  RecentKeys() = default;
  RecentKeys(const RecentKeys&) = delete;
  RecentKeys& operator=(const RecentKeys&) = delete;
  ~RecentKeys() { release(); }

  // The table size for a level of `states`: the first step of kEntriesMin * 2^(k/4), rounded
  // up to a multiple of kEntriesStep, that has an entry per state (within the bounds).
  static std::size_t entries_for(std::uint64_t states) {
    std::size_t entries = kEntriesMin;
    for (int k = 1; entries < states && entries < kEntriesMax; ++k) {
      const auto step = std::size_t(std::exp2(k / 4.0) * double(kEntriesMin));
      entries = std::min(kEntriesMax, (step + kEntriesStep - 1) / kEntriesStep * kEntriesStep);
    }
    return entries;
  }

  // Empties the table and makes it `entries` (a multiple of kEntriesStep) long, keeping the old
  // table when it has that size already (its keys are all visited: hits on them stay right).
  void resize(std::size_t entries) {
    if (entries == entries_) return;
    release();
    entries_ = entries;
    table_ = static_cast<std::uint64_t*>(allocate_block(entries * sizeof(std::uint64_t)));
  }
  void release() {
    if (table_ != nullptr) release_block(table_, entries_ * sizeof(std::uint64_t));
    table_ = nullptr;
    entries_ = 0;
  }

  bool empty() const { return table_ == nullptr; }
  std::size_t bytes() const { return entries_ * sizeof(std::uint64_t); }

  // The entry of a key (written by the caller when it decides without branching).
  [[gnu::always_inline]] std::uint64_t& entry(std::uint64_t key) { return table_[index(key)]; }
  // Brings the key's entry toward the core's cache: the search computes a key well before it
  // asks (a batch later), and the asking loop then seldom waits on a miss.
  [[gnu::always_inline]] void prefetch(std::uint64_t key) const {
    const std::uint64_t* e = table_ + index(key);
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*e));  // GCC 12 drops __builtin_prefetch here
#else
    __builtin_prefetch(e);
#endif
  }
  // True when the key was met recently; otherwise remembers it.
  [[gnu::always_inline]] bool seen(std::uint64_t key) {
    std::uint64_t& e = entry(key);
    const bool hit = e == key;
    e = key;  // unchanged on a hit: written anyway, so that there is no branch
    return hit;
  }

 private:
  [[gnu::always_inline]] std::size_t index(std::uint64_t key) const {
    return std::size_t(((key >> 32) * entries_) >> 32);
  }

  std::uint64_t* table_ = nullptr;
  std::size_t entries_ = 0;
};

}  // namespace txsim::check
