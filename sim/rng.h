// Rng: txsim's own seeded generator (xoshiro256**, seeded through SplitMix64) and its own
// distributions. std:: distributions differ between standard libraries, so none is used.
//
// One run seed fans out into independent streams (network, choices, faults, workload), so that
// adding a fault does not shift every later latency draw. Reference values are pinned by
// tests/sim/rng_test.cc: changing the algorithm is a visible, deliberate decision.
#pragma once

#include <cstdint>

namespace txsim {

enum class Stream : std::uint64_t { network = 1, choices = 2, faults = 3, workload = 4 };

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  static Rng for_stream(std::uint64_t run_seed, Stream stream);

  std::uint64_t next_u64();
  // Uniform integer in [0, bound), bound >= 1; unbiased (Lemire's multiply-and-reject).
  std::uint64_t below(std::uint64_t bound);
  // Uniform double in [0, 1) with 53 random bits.
  double unit();
  bool bernoulli(double p) { return p > 0 && unit() < p; }
  // Standard normal N(0, 1), Marsaglia's polar method (caches the second value).
  double normal();

 private:
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// SplitMix64 step, exposed for seeding and for the pinned-value tests.
std::uint64_t splitmix64(std::uint64_t& state);

}  // namespace txsim
