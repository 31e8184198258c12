#include "sim/assert.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace txsim {

namespace {
std::atomic<std::uint64_t> g_seed{0};
std::atomic<bool> g_has_seed{false};
}  // namespace

void set_assert_seed(std::uint64_t seed) {
  g_seed.store(seed, std::memory_order_relaxed);
  g_has_seed.store(true, std::memory_order_relaxed);
}

void assert_fail(const char* cond, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "txsim: assertion failed: %s (%s:%d)%s%s\n", cond, file, line,
               msg ? ": " : "", msg ? msg : "");
  if (g_has_seed.load(std::memory_order_relaxed)) {
    std::fprintf(stderr, "txsim: reproduce with --seed %llu\n",
                 static_cast<unsigned long long>(g_seed.load(std::memory_order_relaxed)));
  }
  std::abort();
}

}  // namespace txsim
