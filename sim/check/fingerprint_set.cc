// FingerprintSet: see the header for the layout and the concurrency contract.
#include "sim/check/fingerprint_set.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "sim/assert.h"
#include "sim/check/memory.h"

namespace txsim::check {
namespace {

std::size_t grow_threshold(std::size_t capacity) {
  return std::size_t(double(capacity) * FingerprintSet::kLoadMax);
}

}  // namespace

std::size_t FingerprintSet::staggered_capacity(unsigned s, int g) {
  return std::size_t(std::llround(double(kShardCapacityMin) *
                                  std::pow(kGrowth, double(g) + double(s) / kShards)));
}

void FingerprintSet::grow(unsigned s) {
  Shard& shard = shards_[s];
  int g = shard.generation + 1;
  while (staggered_capacity(s, g) <= shard.capacity_plain) ++g;  // past a clustering's extra room
  rebuild(shard, staggered_capacity(s, g));
  shard.generation = g;
}

auto FingerprintSet::allocate(std::size_t count) -> Slots {
  return Slots(static_cast<std::uint64_t*>(allocate_block(count * sizeof(std::uint64_t))),
               FingerprintSlotsDeleter{count});
}

void FingerprintSlotsDeleter::operator()(std::uint64_t* slots) const {
  release_block(slots, count * sizeof(std::uint64_t));
}

FingerprintSet::FingerprintSet(std::size_t count) : shards_(std::make_unique<Shard[]>(kShards)) {
  for (unsigned s = 0; s < kShards; ++s) rebuild(shards_[s], staggered_capacity(s, 0));
  reserve(count);
}

FingerprintSet::FingerprintSet(FingerprintSet&& other) noexcept = default;
FingerprintSet& FingerprintSet::operator=(FingerprintSet&& other) noexcept = default;
FingerprintSet::~FingerprintSet() = default;

bool FingerprintSet::insert_key(std::uint64_t key) {
  const unsigned s = shard_of_key(key);
  Shard& shard = shards_[s];
  if (shard.size.load(std::memory_order_relaxed) + 1 > shard.grow_at) grow(s);
  for (;;) {
    const int placed = place(shard, key);
    if (placed >= 0) return placed == 1;
    grow(s);  // a run hit the end
  }
}

int FingerprintSet::place(Shard& shard, std::uint64_t key) {
  std::uint64_t* slots = shard.slots.get();
  const std::size_t last = shard.capacity_plain + kTail - 1;  // the sentinel, always empty
  std::size_t i = home(key, shard.capacity_plain);
  while (slots[i] != 0 && slots[i] < key) ++i;
  if (slots[i] == key) return 0;
  std::size_t end = i;  // the first empty slot from i on
  while (slots[end] != 0) ++end;
  if (end == last) return -1;
  std::memmove(slots + i + 1, slots + i, (end - i) * sizeof(std::uint64_t));
  slots[i] = key;
  shard.size.store(shard.size.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return 1;
}

void FingerprintSet::rebuild(Shard& shard, std::size_t capacity) {
  capacity = std::max(capacity, kShardCapacityMin);
  for (;;) {
    Slots slots = allocate(capacity + kTail);
    const std::uint64_t* old = shard.slots.get();
    const std::size_t old_slots = old != nullptr ? shard.capacity_plain + kTail : 0;
    std::size_t next = 0;
    bool fits = true;
    for (std::size_t i = 0; i < old_slots && fits; ++i) {  // in key order: placement in order
      if (old[i] == 0) continue;
      const std::size_t at = std::max(home(old[i], capacity), next);
      fits = at < capacity + kTail - 1;
      if (fits) slots[at] = old[i];
      next = at + 1;
    }
    if (!fits) {  // a run would reach the sentinel: a rare clustering, take more room
      capacity += capacity / 8 + kTail;
      continue;
    }
    shard.slots = std::move(slots);
    shard.capacity_plain = capacity;
    shard.grow_at = grow_threshold(capacity);
    shard.capacity.store(capacity, std::memory_order_relaxed);
    return;
  }
}

void FingerprintSet::reserve(std::size_t count) {
  // Keys spread evenly; allow a few standard deviations (sqrt(n)) above the mean per shard.
  const std::size_t mean = count / kShards;
  const std::size_t per_shard = mean + 4 * std::size_t(std::sqrt(double(mean))) + 1;
  for (unsigned s = 0; s < kShards; ++s) {
    Shard& shard = shards_[s];
    int g = shard.generation;
    while (grow_threshold(staggered_capacity(s, g)) < per_shard) ++g;
    if (g == shard.generation) continue;
    rebuild(shard, staggered_capacity(s, g));
    shard.generation = g;
  }
}

std::size_t FingerprintSet::size() const {
  std::size_t total = 0;
  for (unsigned s = 0; s < kShards; ++s) total += shards_[s].size.load(std::memory_order_relaxed);
  return total;
}

std::size_t FingerprintSet::capacity() const {
  std::size_t total = 0;
  for (unsigned s = 0; s < kShards; ++s) {
    total += shards_[s].capacity.load(std::memory_order_relaxed);
  }
  return total;
}

std::size_t FingerprintSet::bytes() const {
  return (capacity() + kShards * kTail) * sizeof(std::uint64_t) + kShards * sizeof(Shard);
}

std::size_t FingerprintSet::bytes_next_growth() const {
  std::size_t largest = 0;
  for (unsigned s = 0; s < kShards; ++s) {
    largest = std::max(largest, shards_[s].capacity.load(std::memory_order_relaxed));
  }
  return 2 * (std::size_t(double(largest) * kGrowth) + kTail) * sizeof(std::uint64_t);
}

void FingerprintSet::merge_from(const FingerprintSet& other) {
  for (unsigned s = 0; s < kShards; ++s) {
    const Shard& from = other.shards_[s];
    for (std::size_t i = 0; i < from.capacity_plain + kTail; ++i) {
      if (from.slots[i] != 0) insert_key(from.slots[i]);
    }
  }
}

}  // namespace txsim::check
