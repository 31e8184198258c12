// TXSIM_ASSERT: always on, in every build type. A failed assertion is a bug in txsim (never an
// input error): it prints the condition, the place and, when a run is active, the seed that
// reproduces it, then aborts.
#pragma once

#include <cstdint>

namespace txsim {

[[noreturn]] void assert_fail(const char* cond, const char* file, int line, const char* msg);

// The simulator records its seed here so an assertion failure can print `--seed N`.
void set_assert_seed(std::uint64_t seed);

}  // namespace txsim

#define TXSIM_ASSERT(cond) \
  ((cond) ? (void)0 : ::txsim::assert_fail(#cond, __FILE__, __LINE__, nullptr))
#define TXSIM_ASSERT_MSG(cond, msg) \
  ((cond) ? (void)0 : ::txsim::assert_fail(#cond, __FILE__, __LINE__, (msg)))
