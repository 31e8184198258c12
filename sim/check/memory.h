// How much memory the checker may use, and how much the process uses: the inputs of the
// memory_max_bytes limit, which must stop a search cleanly before the OS kills the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace txsim::check {

inline constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();

// Physical memory, lowered to the cgroup limit when one is set (containers); 0 when unknown.
std::uint64_t memory_available_bytes();

// The default memory_max_bytes: 3/4 of memory_available_bytes(), or kUnbounded if unknown.
std::uint64_t memory_max_default();

// The process's anonymous resident memory (Linux /proc/self/statm: resident less shared, i.e.
// less the file-backed pages); 0 when unknown. File-backed pages are the program's code and
// libraries, faulted in as a search first runs them (~0.25 MB more with two threads): clean
// pages the kernel can drop, not memory the search holds.
std::uint64_t resident_bytes();

// Zeroed memory for the checker's large blocks (visited-set shards, level and trace chunks):
// blocks of kMappedBytesMin and more come straight from the OS (mmap) and go back to it when
// released, so the resident set follows what the search holds; malloc would keep freed blocks
// in its heap. Smaller ones use operator new. Page-aligned when mapped.
inline constexpr std::size_t kMappedBytesMin = std::size_t{16} << 10;
void* allocate_block(std::size_t bytes);
void release_block(void* block, std::size_t bytes);

// The same for chunks that come and go in a steady flow (BFS level and trace chunks, candidate
// arenas): released chunks of at most kRecycledBlockMax bytes are kept for reuse,
// kRecycledBytesMax in all (recycled_bytes(), which memory estimates count), and handed out
// again zeroed. A BFS frees the chunks of the level it expands while it fills the next level's,
// of the same size, and an mmap/munmap pair cost more than zeroing the chunk again (with two
// threads, munmap also stops the other core to flush its TLB). Thread-safe.
inline constexpr std::size_t kRecycledBlockMax = std::size_t{64} << 10;
inline constexpr std::size_t kRecycledBytesMax = std::size_t{256} << 10;
void* allocate_chunk(std::size_t bytes);
void release_chunk(void* chunk, std::size_t bytes);
std::size_t recycled_bytes();

// A standard allocator over allocate_block, for containers of large chunks.
template <class T>
struct BlockAllocator {
  using value_type = T;
  BlockAllocator() = default;
  template <class U>
  BlockAllocator(const BlockAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_block(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { release_block(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const BlockAllocator<U>&) const { return true; }
};

}  // namespace txsim::check
