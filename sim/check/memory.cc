// Memory figures from the OS: sysconf for physical memory, cgroup v2 then v1 for a container's
// limit, /proc/self/statm for the resident set. Anything unreadable counts as unknown.
#include "sim/check/memory.h"

#include <unistd.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <fstream>
#include <new>
#include <string>

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
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (!(in >> size_pages >> resident_pages)) return 0;
  return resident_pages * page_bytes();
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

}  // namespace txsim::check
