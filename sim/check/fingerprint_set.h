// FingerprintSet: the visited set of the checker in fingerprint mode, 8 bytes per slot, each
// shard kept between 72% and 90% full, growing a 64th at a time; the shards grow at staggered
// sizes, so the whole table stays about 80% full: about 10 bytes per state.
//
// Layout. A slot holds mix64(fingerprint) (slot_key), a bijection, so distinct fingerprints stay
// distinct and positions are well spread even when a model's fingerprints are not; 0 marks an
// empty slot (the one fingerprint whose mix is 0 is remapped to kZeroKey, sharing a slot with at
// most one other fingerprint: a 2^-64 event, like any collision). The top 6 bits of the key pick
// one of 64 shards; each shard is an open-addressing table of any capacity, the key's home slot
// being (key << 6) * capacity >> 64, so homes grow with the key.
//
// Ordered linear probing (Amble & Knuth 1974): the keys of a shard, read left to right, are
// sorted, each sits at or after its home and no empty slot lies between the two. A lookup stops
// at the first key >= its own (a miss costs about as much as a hit: at 90% load about 5.5 slots,
// one or two cache lines), an insert shifts the rest of its run right by one slot. Runs never
// wrap: kTail spare slots follow the last home, and the very last slot stays empty (a sentinel);
// an insert that would need it grows the shard instead. Growing rebuilds a shard 5/4 larger in
// one sequential pass (the keys are sorted, the homes monotonic), so at most one shard's old and
// new arrays are alive at once per inserting thread, never the whole table twice.
//
// Staggered growth. Keys spread evenly, so shards of equal capacities would all grow at about
// the same moment, and the whole table would be 90% full just before and 72% just after: a
// search ending there keeps 11.1 bytes per state (TwoPhase, 8 RMs, ended at 74%). Instead,
// shard s's capacities are kShardCapacityMin * kGrowth^(g + s / 64), g = 0, 1, 2, ... (the
// shard's generation): the shards' growth points are spread evenly over one growth step, and
// the table's fill stays near the mean, 90% / (1.25^u averaged over u in [0, 1)): 80%.
//
// Concurrency: shards are independent. Inserts into distinct shards may run on different
// threads at once (BFS gives each thread a group of shards), but contains() must not run while
// anything inserts. size(), bytes() and capacity() may be read at any time (they are counters).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/check/hash.h"

namespace txsim::check {

struct FingerprintSlotsDeleter {  // see FingerprintSet::allocate
  std::size_t count = 0;
  void operator()(std::uint64_t* slots) const;
};

class FingerprintSet {
 public:
  static constexpr std::uint64_t kZeroKey = 0x9e3779b97f4a7c15ULL;
  static constexpr int kShardBits = 6;
  static constexpr unsigned kShards = 1u << kShardBits;
  static constexpr std::size_t kShardCapacityMin = 16;
  static constexpr std::size_t kTail = 64;  // spare slots after the last home (>= kWindow)
  // A shard grows when an insert would take it above kLoadMax, by a factor kGrowth. 90% rather
  // than 85%: a byte less per state, and no measurable time (docs/performance.md, session 5).
  static constexpr double kLoadMax = 0.90;
  static constexpr double kGrowth = 1.25;

  // Room for about `count` fingerprints without growing.
  explicit FingerprintSet(std::size_t count = 0);

  FingerprintSet(FingerprintSet&&) noexcept;
  FingerprintSet& operator=(FingerprintSet&&) noexcept;
  FingerprintSet(const FingerprintSet&) = delete;
  FingerprintSet& operator=(const FingerprintSet&) = delete;
  ~FingerprintSet();

  [[gnu::always_inline]] static std::uint64_t slot_key(std::uint64_t fingerprint) {
    const std::uint64_t key = mix64(fingerprint);
    return key == 0 ? kZeroKey : key;
  }
  // Which shard holds the fingerprint (of slot key `key`).
  static unsigned shard_of(std::uint64_t fingerprint) {
    return shard_of_key(slot_key(fingerprint));
  }
  static unsigned shard_of_key(std::uint64_t key) { return unsigned(key >> (64 - kShardBits)); }

  bool contains(std::uint64_t fingerprint) const { return contains_key(slot_key(fingerprint)); }
  // The same by slot key (slot_key(fingerprint)).
  [[gnu::always_inline]] bool contains_key(std::uint64_t key) const {
    const Shard& shard = shards_[key >> (64 - kShardBits)];
    const std::uint64_t* slot = shard.slots.get() + home(key, shard.capacity_plain);
    const int quick = window(slot, key);
    if (quick >= 0) return quick == 1;
    for (slot += kWindow;; ++slot) {
      if (*slot >= key) return *slot == key;
      if (*slot == 0) return false;
    }
  }

  // Brings the fingerprint's home slot toward the cache, ahead of a contains() or insert().
  void prefetch(std::uint64_t fingerprint) const { prefetch_key(slot_key(fingerprint)); }
  // The same by slot key: a search that carries the key computes mix64 once per state.
  [[gnu::always_inline]] void prefetch_key(std::uint64_t key) const {
    const Shard& shard = shards_[key >> (64 - kShardBits)];
    const std::uint64_t* slot = shard.slots.get() + home(key, shard.capacity_plain);
#if defined(__x86_64__)
    // GCC 12 drops __builtin_prefetch here (the address is computed from loads); asm stays.
    asm volatile("prefetcht0 %0" : : "m"(*slot));
#else
    __builtin_prefetch(slot);
#endif
  }

  // True when the fingerprint was not in the set. Grows its shard when needed. Single-threaded
  // per shard (see the header comment).
  bool insert(std::uint64_t fingerprint) { return insert_by_key(slot_key(fingerprint)); }
  // The same by slot key (slot_key(fingerprint)).
  bool insert_by_key(std::uint64_t key) {
    const Shard& shard = shards_[key >> (64 - kShardBits)];
    if (window(shard.slots.get() + home(key, shard.capacity_plain), key) == 1) return false;
    return insert_key(key);
  }

  // Single-threaded. Afterwards about `count` fingerprints (evenly spread) fit without growth.
  void reserve(std::size_t count);

  std::size_t size() const;
  std::size_t capacity() const;  // home slots, all shards
  std::size_t bytes() const;     // slots allocated, tails included
  // The most a growth may allocate while the shard's old array is still alive (for limits).
  std::size_t bytes_next_growth() const;
  double load_factor() const { return double(size()) / double(capacity()); }

  // Single-threaded: adds every fingerprint of `other` (random walk merges per-thread sets).
  void merge_from(const FingerprintSet& other);

 private:
  // Slot arrays come from allocate_block (memory.h): large ones go back to the OS when a shard
  // grows (malloc would keep the old arrays in its heap and the resident set would grow).
  using Slots = std::unique_ptr<std::uint64_t[], FingerprintSlotsDeleter>;
  static Slots allocate(std::size_t count);  // zeroed

  struct alignas(64) Shard {
    Slots slots;                             // capacity + kTail, the last one always 0
    std::size_t capacity_plain = 0;          // home slots, read by the lookups
    std::size_t grow_at = 0;                 // the size above which the shard grows
    int generation = 0;                      // of the capacity (see staggered growth)
    std::atomic<std::size_t> capacity{0};    // the same, for counters read concurrently
    std::atomic<std::size_t> size{0};
  };

  static constexpr std::size_t kWindow = 4;  // slots a lookup reads without branching

  // The first kWindow slots from `slot` (a key's home) decide most lookups, and reading them
  // without data-dependent branches lets the CPU overlap the cache misses of several lookups:
  // 1 the key is there, 0 it cannot be further on (an empty or a larger key comes first), -1
  // the run goes on past the window.
  [[gnu::always_inline]] static int window(const std::uint64_t* slot, std::uint64_t key) {
    bool found = false, ends = false;
    for (std::size_t i = 0; i < kWindow; ++i) {
      found |= slot[i] == key;
      ends |= (slot[i] == 0) | (slot[i] > key);
    }
    return found ? 1 : ends ? 0 : -1;
  }

  [[gnu::always_inline]] static std::size_t home(std::uint64_t key, std::size_t capacity) {
    __extension__ typedef unsigned __int128 U128;  // __extension__: quiet under -Wpedantic
    return std::size_t((U128(key << kShardBits) * capacity) >> 64);
  }
  bool insert_key(std::uint64_t key);
  // Shard s's capacity in generation g (see staggered growth).
  static std::size_t staggered_capacity(unsigned s, int g);
  // The shard rebuilt at the first generation after its current one that holds more slots.
  void grow(unsigned s);
  // Inserts into a shard with room; 1 placed, 0 present, -1 no room (the shard must grow).
  static int place(Shard& shard, std::uint64_t key);
  static void rebuild(Shard& shard, std::size_t capacity);

  std::unique_ptr<Shard[]> shards_;
};

}  // namespace txsim::check
