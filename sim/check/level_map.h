// Level and LevelMap: one BFS level, and how several threads build the next one so that the
// result is the same, state for state and in the same order, as with one thread.
//
// Every state of a level has an Origin: the position of its parent in the previous level and
// its position among the parent's successors. One thread expanding the level in order
// discovers each new state first through its smallest origin, and appends the new states in
// increasing origin order. Threads expanding parts of the level in parallel offer every
// candidate (a successor not in the visited set of earlier levels) to the LevelMap, which keeps,
// per distinct state, the candidate with the smallest origin; drain() then sorts by origin.
// Same states, same order, same parents: counts, verdicts and counterexamples do not depend on
// the number of threads.
//
// The map has 64 shards (by fingerprint), each a FlatIndex plus a vector of entries behind a
// mutex. A candidate locks one shard; with 2-4 threads on 64 shards contention is rare.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <vector>

#include "sim/assert.h"
#include "sim/check/flat_index.h"

namespace txsim::check {

struct Origin {
  std::uint64_t parent = 0;   // position in the previous level (initial states: 0)
  std::uint32_t emitted = 0;  // position among the parent's successors (or initial states)
  auto operator<=>(const Origin&) const = default;
};

template <class State>
struct Level {
  std::vector<State> states;
  std::vector<std::uint64_t> fingerprints;
  std::vector<Origin> origins;

  std::size_t size() const { return states.size(); }
  void push(std::uint64_t fp, Origin origin, State&& state) {
    states.push_back(std::move(state));
    fingerprints.push_back(fp);
    origins.push_back(origin);
  }
  void reserve(std::size_t count) {
    states.reserve(count);
    fingerprints.reserve(count);
    origins.reserve(count);
  }
  void clear() {
    states = {};
    fingerprints = {};
    origins = {};
  }
  // Bytes held, counting `state_bytes` per state (inline size plus heap estimate).
  std::size_t bytes(std::size_t state_bytes) const {
    return states.capacity() * state_bytes + fingerprints.capacity() * sizeof(std::uint64_t) +
           origins.capacity() * sizeof(Origin);
  }
};

template <class State>
class LevelMap {
 public:
  // Bytes per entry besides the state: the entry's own fields and its index slots (16 bytes
  // per slot, at most half full).
  static constexpr std::size_t entry_overhead() { return sizeof(Entry) - sizeof(State) + 32; }

  // `same` (optional): equality up to the model's symmetry, used instead of == with
  // compare_states (see symmetric_equality in visited.h).
  explicit LevelMap(bool compare_states, std::function<bool(const State&, const State&)> same = {})
      : compare_states_(compare_states), same_(std::move(same)) {}

  // Thread-safe. True when the state is new to this level. When it is not, keeps whichever of
  // the two candidates has the smaller origin.
  bool offer(std::uint64_t fp, Origin origin, State&& state) {
    Shard& shard = shards_[FingerprintSet::slot_key(fp) % kShards];
    std::lock_guard lock(shard.mutex);
    const std::uint32_t head = shard.index.find(fp).value_or(kNone);
    for (std::uint32_t at = head; at != kNone; at = shard.entries[at].next) {
      Entry& entry = shard.entries[at];
      if (compare_states_ && !(same_ ? same_(entry.state, state) : entry.state == state)) continue;
      if (origin < entry.origin) {
        entry.origin = origin;
        entry.state = std::move(state);
      }
      return false;
    }
    TXSIM_ASSERT(shard.entries.size() < kNone);
    shard.index.put(fp, std::uint32_t(shard.entries.size()));
    shard.entries.push_back(Entry{fp, origin, head, std::move(state)});
    size_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

  // Single-threaded, before a level: sizes the shards for about `count` new states, so that
  // they rarely grow under their locks. Everything is freed again by drain().
  void reserve(std::size_t count) {
    for (Shard& shard : shards_) {
      shard.index.reserve(count / kShards + count / (4 * kShards));
      shard.entries.reserve(count / kShards + count / (4 * kShards));
    }
  }

  // Single-threaded: appends every entry to `out` in increasing origin order, then empties.
  // Parents lie in [0, parents): a counting sort by parent, then by position among the
  // parent's successors within each (small) group.
  void drain(Level<State>& out, std::uint64_t parents) {
    std::vector<std::uint32_t> start(parents + 1, 0);
    for (const Shard& shard : shards_) {
      for (const Entry& entry : shard.entries) {
        TXSIM_ASSERT(entry.origin.parent < parents);
        ++start[entry.origin.parent + 1];
      }
    }
    for (std::uint64_t p = 0; p < parents; ++p) start[p + 1] += start[p];
    std::vector<Entry*> sorted(size());
    for (Shard& shard : shards_) {
      for (Entry& entry : shard.entries) sorted[start[entry.origin.parent]++] = &entry;
    }
    for (std::size_t i = 0; i < sorted.size();) {  // each parent's group by emitted
      std::size_t j = i + 1;
      while (j < sorted.size() && sorted[j]->origin.parent == sorted[i]->origin.parent) ++j;
      std::sort(sorted.begin() + i, sorted.begin() + j,
                [](const Entry* x, const Entry* y) { return x->origin < y->origin; });
      i = j;
    }
    out.reserve(out.size() + sorted.size());
    for (Entry* entry : sorted) out.push(entry->fp, entry->origin, std::move(entry->state));
    for (Shard& shard : shards_) {
      shard.index.clear();
      shard.entries = {};
    }
    size_.store(0, std::memory_order_relaxed);
  }

  // Single-threaded: memory held by entries and indexes.
  std::size_t bytes() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
      total += shard.index.bytes() + shard.entries.capacity() * sizeof(Entry);
    }
    return total;
  }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t kShards = 64;

  struct Entry {
    std::uint64_t fp;
    Origin origin;
    std::uint32_t next;  // another state with the same fingerprint (store_states), or kNone
    State state;
  };

  struct alignas(64) Shard {
    std::mutex mutex;
    FlatIndex index;
    std::vector<Entry> entries;
  };

  bool compare_states_;
  std::function<bool(const State&, const State&)> same_;  // symmetry: equal up to renaming
  std::array<Shard, kShards> shards_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace txsim::check
