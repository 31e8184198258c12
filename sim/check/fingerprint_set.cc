// FingerprintSet: see the header for the layout and the concurrency contract.
#include "sim/check/fingerprint_set.h"

#include <bit>
#include <utility>

#include "sim/assert.h"

namespace txsim::check {

std::size_t capacity_for(std::size_t count, std::size_t capacity_min) {
  std::size_t capacity = std::bit_ceil(capacity_min < 2 ? std::size_t{2} : capacity_min);
  while (capacity / 2 < count) capacity *= 2;
  return capacity;
}

FingerprintSet::FingerprintSet(std::size_t count) { rebuild(capacity_for(count, kCapacityMin)); }

FingerprintSet::FingerprintSet(FingerprintSet&& other) noexcept { *this = std::move(other); }

FingerprintSet& FingerprintSet::operator=(FingerprintSet&& other) noexcept {
  slots_ = std::move(other.slots_);
  capacity_ = std::exchange(other.capacity_, 0);
  mask_ = std::exchange(other.mask_, 0);
  shift_ = std::exchange(other.shift_, 64);
  size_.store(other.size_.exchange(0, std::memory_order_relaxed), std::memory_order_relaxed);
  return *this;
}

FingerprintSet::~FingerprintSet() = default;

bool FingerprintSet::contains(std::uint64_t fingerprint) const {
  const std::uint64_t key = slot_key(fingerprint);
  for (std::size_t i = home(key);; i = (i + 1) & mask_) {
    const std::uint64_t here = slots_[i].load(std::memory_order_relaxed);
    if (here == key) return true;
    if (here == 0) return false;
  }
}

bool FingerprintSet::insert(std::uint64_t fingerprint) {
  if ((size() + 1) * 2 > capacity_) rebuild(capacity_ * 2);
  return place(slot_key(fingerprint));
}

bool FingerprintSet::place(std::uint64_t key) {
  for (std::size_t i = home(key);; i = (i + 1) & mask_) {
    const std::uint64_t here = slots_[i].load(std::memory_order_relaxed);
    if (here == key) return false;
    if (here == 0) {
      slots_[i].store(key, std::memory_order_relaxed);
      size_.store(size() + 1, std::memory_order_relaxed);
      return true;
    }
  }
}

bool FingerprintSet::insert_concurrent(std::uint64_t fingerprint) {
  const std::uint64_t key = slot_key(fingerprint);
  for (std::size_t i = home(key);; i = (i + 1) & mask_) {
    std::uint64_t here = slots_[i].load(std::memory_order_relaxed);
    if (here == 0 && slots_[i].compare_exchange_strong(here, key, std::memory_order_relaxed)) {
      const std::size_t size = size_.fetch_add(1, std::memory_order_relaxed) + 1;
      TXSIM_ASSERT_MSG(size < capacity_, "FingerprintSet full: reserve() before concurrent use");
      return true;
    }
    // Either the slot was taken before we looked, or another thread won the race for it; in
    // both cases `here` now holds its word, which may be our own key.
    if (here == key) return false;
  }
}

void FingerprintSet::reserve(std::size_t count) {
  const std::size_t capacity = capacity_for(count, capacity_);
  if (capacity > capacity_) rebuild(capacity);
}

void FingerprintSet::merge_from(const FingerprintSet& other) {
  reserve(size() + other.size());
  for (std::size_t i = 0; i < other.capacity_; ++i) {
    const std::uint64_t key = other.slots_[i].load(std::memory_order_relaxed);
    if (key != 0) place(key);
  }
}

void FingerprintSet::rebuild(std::size_t capacity) {
  TXSIM_ASSERT(std::has_single_bit(capacity) && capacity >= 2);
  std::unique_ptr<Slot[]> old = std::exchange(slots_, std::make_unique<Slot[]>(capacity));
  const std::size_t old_capacity = std::exchange(capacity_, capacity);
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  size_.store(0, std::memory_order_relaxed);
  for (std::size_t i = 0; i < old_capacity; ++i) {
    const std::uint64_t key = old[i].load(std::memory_order_relaxed);
    if (key != 0) place(key);
  }
}

}  // namespace txsim::check
