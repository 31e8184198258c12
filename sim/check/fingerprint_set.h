// FingerprintSet: the visited set of the checker in fingerprint mode, 8 bytes per slot.
//
// An open-addressing table (linear probing) of 64-bit words, sized to a power of two and kept
// at a load factor of at most 1/2: the table costs 8 / load bytes per state, 16 at the fullest
// and 32 just after a doubling (reserve() can size it once to avoid the doublings).
//
// A slot holds mix64(fingerprint), a bijection, so distinct fingerprints stay distinct and the
// slot position is well spread even when a model's fingerprints are not (small integers). The
// word 0 marks an empty slot; the one fingerprint whose mix is 0 is remapped to kZeroKey, so it
// shares a slot with at most one other fingerprint (a 2^-64 event, like any collision).
//
// Concurrency contract (what level-synchronous BFS needs):
// - contains() and insert_concurrent() may run together on any number of threads;
//   insert_concurrent() is lock-free (one compare-and-swap on the empty slot it claims) and
//   never grows the table, so the caller reserve()s room for every insert first;
// - insert() (grows on demand), reserve() and the move operations are single-threaded:
//   no other call may run at the same time. BFS grows the table between levels only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/check/hash.h"

namespace txsim::check {

class FingerprintSet {
 public:
  static constexpr std::uint64_t kZeroKey = 0x9e3779b97f4a7c15ULL;
  static constexpr std::size_t kCapacityMin = 1024;

  // Room for `count` fingerprints without growing.
  explicit FingerprintSet(std::size_t count = 0);

  FingerprintSet(FingerprintSet&&) noexcept;
  FingerprintSet& operator=(FingerprintSet&&) noexcept;
  FingerprintSet(const FingerprintSet&) = delete;
  FingerprintSet& operator=(const FingerprintSet&) = delete;
  ~FingerprintSet();

  bool contains(std::uint64_t fingerprint) const;

  // Single-threaded. True when the fingerprint was not in the set. Doubles the table first when
  // the insert would take the load factor above 1/2.
  bool insert(std::uint64_t fingerprint);

  // Thread-safe against contains() and itself. The caller has reserve()d room: asserts that
  // the table never fills (it would otherwise probe forever).
  bool insert_concurrent(std::uint64_t fingerprint);

  // Single-threaded. Afterwards `count` fingerprints fit at a load factor of at most 1/2.
  void reserve(std::size_t count);

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return capacity_; }
  std::size_t bytes() const { return capacity_ * sizeof(std::uint64_t); }
  // What the next doubling allocates while the old table is still alive.
  std::size_t bytes_next_growth() const { return 2 * bytes(); }
  double load_factor() const { return double(size()) / double(capacity_); }

  // Single-threaded: adds every fingerprint of `other` (random walk merges per-thread sets).
  void merge_from(const FingerprintSet& other);

  static std::uint64_t slot_key(std::uint64_t fingerprint) {
    const std::uint64_t key = mix64(fingerprint);
    return key == 0 ? kZeroKey : key;
  }

 private:
  using Slot = std::atomic<std::uint64_t>;

  std::size_t home(std::uint64_t key) const { return std::size_t(key >> shift_); }
  void rebuild(std::size_t capacity);
  // Single-threaded: true when the key was absent and is now stored (no growth).
  bool place(std::uint64_t key);

  std::unique_ptr<Slot[]> slots_;
  std::size_t capacity_ = 0;  // a power of two
  std::size_t mask_ = 0;
  int shift_ = 64;  // home slot = top log2(capacity) bits of the key
  std::atomic<std::size_t> size_{0};
};

// For tables of at most half load, the capacity that holds `count` entries.
std::size_t capacity_for(std::size_t count, std::size_t capacity_min);

}  // namespace txsim::check
