// How much memory the checker may use, and how much the process uses: the inputs of the
// memory_max_bytes limit, which must stop a search cleanly before the OS kills the process.
#pragma once

#include <cstdint>
#include <limits>

namespace txsim::check {

inline constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();

// Physical memory, lowered to the cgroup limit when one is set (containers); 0 when unknown.
std::uint64_t memory_available_bytes();

// The default memory_max_bytes: 3/4 of memory_available_bytes(), or kUnbounded if unknown.
std::uint64_t memory_max_default();

// The process's resident set size (Linux /proc/self/statm); 0 when unknown.
std::uint64_t resident_bytes();

}  // namespace txsim::check
