// StateStore: the visited set in store_states mode, keeping every distinct state in full.
//
// Two states are the same only when they compare equal, so a fingerprint collision can no
// longer hide a state: states sharing a fingerprint are chained. Costs the states' memory, so
// it is meant for small models and for validating a model's fingerprint function.
//
// 64 shards, chosen by the low bits of the mixed fingerprint, each a FlatIndex from
// fingerprint to the first of its states plus a vector of states, behind its own mutex.
// Concurrency contract: contains() may run on many threads while nothing inserts; insert()
// and insert_concurrent() lock the shard, so they may run together.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <vector>

#include "sim/assert.h"
#include "sim/check/flat_index.h"

namespace txsim::check {

template <class State>
class StateStore {
 public:
  bool contains(std::uint64_t fingerprint, const State& state) const {
    const Shard& shard = shard_of(fingerprint);
    return find(shard, fingerprint, state) != kNone;
  }

  // True when the state was not stored yet.
  bool insert(std::uint64_t fingerprint, const State& state) {
    Shard& shard = shard_of(fingerprint);
    std::lock_guard lock(shard.mutex);
    if (find(shard, fingerprint, state) != kNone) return false;
    const std::uint32_t head = shard.index.find(fingerprint).value_or(kNone);
    TXSIM_ASSERT(shard.entries.size() < kNone);
    shard.index.put(fingerprint, std::uint32_t(shard.entries.size()));
    shard.entries.push_back(Entry{state, head});
    ++shard.size;
    return true;
  }

  bool insert_concurrent(std::uint64_t fingerprint, const State& state) {
    return insert(fingerprint, state);
  }

  std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) total += shard.size;
    return total;
  }

  // The table and the states' inline size; heap memory the states own is not seen here.
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
    State state;
    std::uint32_t next;  // the previous state stored with the same fingerprint, or kNone
  };

  struct alignas(64) Shard {
    std::mutex mutex;
    FlatIndex index;
    std::vector<Entry> entries;
    std::size_t size = 0;
  };

  Shard& shard_of(std::uint64_t fp) { return shards_[FingerprintSet::slot_key(fp) % kShards]; }
  const Shard& shard_of(std::uint64_t fp) const {
    return shards_[FingerprintSet::slot_key(fp) % kShards];
  }

  static std::uint32_t find(const Shard& shard, std::uint64_t fp, const State& state) {
    std::uint32_t at = shard.index.find(fp).value_or(kNone);
    while (at != kNone && !(shard.entries[at].state == state)) at = shard.entries[at].next;
    return at;
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace txsim::check
