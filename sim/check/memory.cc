// Memory figures from the OS: sysconf for physical memory, cgroup v2 then v1 for a container's
// limit, /proc/self/statm for the anonymous resident set. Anything unreadable counts as unknown.
#include "sim/check/memory.h"

#include <unistd.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "sim/assert.h"

namespace txsim::check {
namespace {

// The first whitespace-separated number in a file, or 0 ("max", missing file, garbage).
std::uint64_t read_number(const char* path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word.empty() || word.size() > 19) return 0;
  if (!std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stoull(word);
}

// Released mapped blocks kept for reuse (see memory.h), newest last.
class Recycler {
 public:
  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = blocks_.size(); i-- > 0;) {
      if (blocks_[i].bytes != bytes) continue;
      void* block = blocks_[i].block;
      blocks_.erase(blocks_.begin() + std::ptrdiff_t(i));
      bytes_.store(bytes_.load(std::memory_order_relaxed) - bytes, std::memory_order_relaxed);
      return block;
    }
    return nullptr;
  }
  bool keep(void* block, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes_.load(std::memory_order_relaxed) + bytes > kRecycledBytesMax) return false;
    blocks_.push_back(Entry{block, bytes});
    bytes_.store(bytes_.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
    return true;
  }
  std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    void* block;
    std::size_t bytes;
  };
  std::mutex mutex_;
  std::vector<Entry> blocks_;
  std::atomic<std::size_t> bytes_{0};
};

Recycler& recycler() {
  static Recycler* instance = new Recycler;  // never destroyed: blocks may be freed at exit
  return *instance;
}

bool recyclable(std::size_t bytes) {
#if defined(__linux__)
  return bytes >= kMappedBytesMin && bytes <= kRecycledBlockMax;  // mapped: not malloc's
#else
  return false;
#endif
}

std::uint64_t page_bytes() {
  const long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? std::uint64_t(page) : 4096;
}

}  // namespace

std::uint64_t memory_available_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  std::uint64_t bytes = pages > 0 ? std::uint64_t(pages) * page_bytes() : 0;
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    const std::uint64_t limit = read_number(path);
    if (limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;
  }
  return bytes;
}

std::uint64_t memory_max_default() {
  const std::uint64_t available = memory_available_bytes();
  return available == 0 ? kUnbounded : available / 4 * 3;
}

std::uint64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size_pages = 0, resident_pages = 0, shared_pages = 0;
  if (!(in >> size_pages >> resident_pages >> shared_pages) || shared_pages > resident_pages) {
    return 0;
  }
  return (resident_pages - shared_pages) * page_bytes();
}

void* allocate_block(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kMappedBytesMin) {
    // MAP_POPULATE: blocks are filled soon after (shard rebuilds, level and trace chunks), so
    // faulting their pages in with one call instead of one trap per page saves 3-5% of a
    // search's CPU; at most a chunk's unfilled tail per sequence becomes resident early.
    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    TXSIM_ASSERT_MSG(block != MAP_FAILED, "out of memory (mmap)");
    return block;  // zero pages
  }
#endif
  void* block = ::operator new(bytes);
  std::fill_n(static_cast<unsigned char*>(block), bytes, 0);
  return block;
}

void release_block(void* block, std::size_t bytes) {
  if (block == nullptr) return;
#if defined(__linux__)
  if (bytes >= kMappedBytesMin) {
    munmap(block, bytes);
    return;
  }
#endif
  ::operator delete(block);
}

void* allocate_chunk(std::size_t bytes) {
  if (recyclable(bytes)) {
    if (void* chunk = recycler().take(bytes)) return std::memset(chunk, 0, bytes);
  }
  return allocate_block(bytes);
}

void release_chunk(void* chunk, std::size_t bytes) {
  if (chunk == nullptr) return;
  if (recyclable(bytes) && recycler().keep(chunk, bytes)) return;
  release_block(chunk, bytes);
}

std::size_t recycled_bytes() { return recycler().bytes(); }

}  // namespace txsim::check
