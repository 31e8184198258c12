// FlatIndex: a small single-threaded hash map from a fingerprint to a 32-bit entry index.
//
// The building block of the sharded tables that sit behind a lock (StateStore):
// each shard maps fingerprints to positions in its own vector of entries. Open addressing with
// linear probing, power-of-two capacity, load factor at most 1/2, 16 bytes per slot. Keys are
// stored as FingerprintSet::slot_key(fingerprint) so positions are well spread.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/check/fingerprint_set.h"

namespace txsim::check {

class FlatIndex {
 public:
  std::optional<std::uint32_t> find(std::uint64_t fingerprint) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t key = FingerprintSet::slot_key(fingerprint);
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) return std::nullopt;
    }
  }

  // Sets the value for a fingerprint, inserting it when absent.
  void put(std::uint64_t fingerprint, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) rebuild(slots_.empty() ? 16 : slots_.size() * 2);
    Slot& slot = locate(FingerprintSet::slot_key(fingerprint));
    if (slot.key == 0) ++size_;
    slot = Slot{FingerprintSet::slot_key(fingerprint), value};
  }

  // Room for `count` keys without growing.
  void reserve(std::size_t count) {
    std::size_t capacity = slots_.empty() ? 16 : slots_.size();
    while (capacity / 2 < count) capacity *= 2;
    if (capacity > slots_.size()) rebuild(capacity);
  }

  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

  void clear() {
    slots_ = {};
    size_ = 0;
    mask_ = 0;
    shift_ = 64;
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
  };

  std::size_t home(std::uint64_t key) const { return std::size_t(key >> shift_); }

  Slot& locate(std::uint64_t key) {
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key || slots_[i].key == 0) return slots_[i];
    }
  }

  void rebuild(std::size_t capacity) {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
    for (const Slot& slot : old) {
      if (slot.key != 0) locate(slot.key) = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
  int shift_ = 64;
};

}  // namespace txsim::check
