// Shared vocabulary of the textbook TLA+ ports (see textbook.h): the rmState values, the
// names TLC prints for model values (r1, a1, ...) and 2-bit packing of rmState. (Fingerprints
// use check::Hasher, sim/check/hash.h.)
//
// Invariants: RM index r (0-based) is the model value "r{r+1}" of the TLA+ configuration, and
// acceptor index a is "a{a+1}". Every helper is a pure function; nothing here allocates except
// the naming and JSON helpers, which only describe_* calls use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "sim/check/model.h"

namespace txsim::textbook {

// rmState values, numbered in the order the specs list them in TCTypeOK / TPTypeOK / PCTypeOK.
enum class RmState : std::uint8_t { working = 0, prepared = 1, committed = 2, aborted = 3 };

// "working", "prepared", "committed", "aborted".
std::string_view rm_state_name(RmState s);

// TLC's model values: rm_name(0) == "r1", acceptor_name(2) == "a3".
std::string rm_name(int r);
std::string acceptor_name(int a);

// a == b for types whose value is their bytes (no padding), compared 8 bytes at a time.
template <class T>
bool bytes_equal(const T& a, const T& b) {
  static_assert(std::has_unique_object_representations_v<T>);
  const auto* p = reinterpret_cast<const unsigned char*>(&a);
  const auto* q = reinterpret_cast<const unsigned char*>(&b);
  std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= sizeof(T); i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p + i, 8);
    std::memcpy(&y, q + i, 8);
    diff |= x ^ y;
  }
  for (; i < sizeof(T); ++i) diff |= std::uint64_t(p[i] ^ q[i]);
  return diff == 0;
}

// rmState as 2 bits per RM, RM r in bits [2r, 2r + 2).
constexpr RmState rm_get(std::uint32_t packed, int r) {
  return static_cast<RmState>((packed >> (2 * r)) & 3U);
}
constexpr std::uint32_t rm_set(std::uint32_t packed, int r, RmState v) {
  const int shift = 2 * r;
  return (packed & ~(3U << shift)) | (static_cast<std::uint32_t>(v) << shift);
}
// [rm \in RM |-> "working"] is all zero bits, whatever the number of RMs.
inline constexpr std::uint32_t kAllWorking = 0;

// A JSON array of quoted RM names for the set bits of `mask`, e.g. ["r1","r3"].
std::string rm_set_json(std::uint32_t mask, int rms);
// A JSON object {"r1":"working",...} for a packed rmState.
std::string rm_state_json(std::uint32_t packed, int rms);

// TCommit's TCConsistent over a packed rmState: no RM aborted while another committed.
// TwoPhase checks it too (TwoPhase implements TCommit), so the one definition serves both.
std::optional<check::Violation> tc_consistent(std::uint32_t packed, int rms);

}  // namespace txsim::textbook
