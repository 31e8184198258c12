// Rng: pinned reference values, an independent xoshiro256** / SplitMix64 check, and
// statistical sanity from fixed seeds.
//
// The pinned values below were computed once from sim/rng.cc. Every trace, sweep and seed a
// user has written down depends on them: changing one is a deliberate, announced decision
// (bump the trace format version), never a side effect.
#include "sim/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace txsim {
namespace {

// ---- an independent implementation, written from the published algorithms ----------------
// SplitMix64: Steele, Lea & Flood, "Fast splittable pseudorandom number generators" (2014),
// as in Vigna's splitmix64.c. xoshiro256**: Blackman & Vigna, "Scrambled linear pseudorandom
// number generators" (2018), xoshiro256starstar.c.
struct RefSplitMix {
  std::uint64_t x;
  std::uint64_t next() {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

struct RefXoshiro {
  std::array<std::uint64_t, 4> s;
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  explicit RefXoshiro(std::uint64_t seed) {  // the seeding Vigna recommends
    RefSplitMix sm{seed};
    for (auto& w : s) w = sm.next();
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

TEST(RngReference, SplitMix64MatchesPublishedOutputsForSeedZero) {
  // The first outputs of splitmix64.c started from 0, as widely published.
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(splitmix64(state), 0x06c45d188009454fULL);
  EXPECT_EQ(state, 3 * 0x9e3779b97f4a7c15ULL) << "the state advances by the golden gamma";
}

TEST(RngReference, SplitMix64MatchesIndependentImplementation) {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xFFFFFFFFFFFFFFFFULL, 0x123456789ABCDEFULL}) {
    RefSplitMix ref{seed};
    std::uint64_t state = seed;
    for (int i = 0; i < 100; ++i) ASSERT_EQ(splitmix64(state), ref.next()) << seed << " " << i;
  }
}

TEST(RngReference, XoshiroMatchesIndependentImplementation) {
  for (std::uint64_t seed : {0ULL, 1ULL, 7ULL, 42ULL, 0xDEADBEEFULL, ~0ULL}) {
    Rng rng(seed);
    RefXoshiro ref(seed);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.next_u64(), ref.next()) << seed << " " << i;
  }
}

TEST(RngReference, ForStreamSeedsThroughSplitMixOfTheMixedSeed) {
  // for_stream(seed, s) == Rng(splitmix64(seed ^ s * 0xD1B54A32D192ED03)).
  for (std::uint64_t seed : {0ULL, 7ULL, 1000ULL}) {
    for (Stream st : {Stream::network, Stream::choices, Stream::faults, Stream::workload}) {
      RefSplitMix mix{seed ^ (static_cast<std::uint64_t>(st) * 0xD1B54A32D192ED03ULL)};
      RefXoshiro ref(mix.next());
      Rng rng = Rng::for_stream(seed, st);
      for (int i = 0; i < 50; ++i) ASSERT_EQ(rng.next_u64(), ref.next());
    }
  }
}

// ---- pinned values ---------------------------------------------------------------------------
TEST(RngPinned, FirstOutputsOfSeedZero) {
  Rng r(0);
  const std::uint64_t want[] = {0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL, 0x1a5f849d4933e6e0ULL,
                                0x6aa594f1262d2d2cULL, 0xbba5ad4a1f842e59ULL};
  for (std::uint64_t w : want) EXPECT_EQ(r.next_u64(), w);
}

TEST(RngPinned, FirstOutputsOfSeed42) {
  Rng r(42);
  const std::uint64_t want[] = {0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL, 0xae17533239e499a1ULL,
                                0xecb8ad4703b360a1ULL, 0xfde6dc7fe2ec5e64ULL};
  for (std::uint64_t w : want) EXPECT_EQ(r.next_u64(), w);
}

TEST(RngPinned, FirstOutputsOfNetworkStreamOfSeed7) {
  Rng r = Rng::for_stream(7, Stream::network);
  EXPECT_EQ(r.next_u64(), 0x43d280f371a01e90ULL);
  EXPECT_EQ(r.next_u64(), 0x4cd0aa5363aab404ULL);
  EXPECT_EQ(r.next_u64(), 0x839e50ab650537eeULL);
}

TEST(RngPinned, BelowTenSequenceOfSeedOne) {
  Rng r(1);
  const std::vector<std::uint64_t> want = {7, 5, 5, 3, 6, 1, 0, 3, 8, 5,
                                           9, 9, 9, 6, 5, 8, 0, 4, 0, 0};
  std::vector<std::uint64_t> got;
  for (std::size_t i = 0; i < want.size(); ++i) got.push_back(r.below(10));
  EXPECT_EQ(got, want);
}

TEST(RngPinned, UnitOfSeedOne) {
  Rng r(1);
  EXPECT_EQ(r.unit(), 0.70292183315885048);
  EXPECT_EQ(r.unit(), 0.52043661993885693);
  EXPECT_EQ(r.unit(), 0.5741057000197225);
}

TEST(RngPinned, NormalOfSeedOne) {
  // log and sqrt may differ in the last bit between C libraries: allow a few ulps.
  Rng r(1);
  EXPECT_DOUBLE_EQ(r.normal(), 1.8843961047879769);
  EXPECT_DOUBLE_EQ(r.normal(), 0.18978089448693036);
  EXPECT_DOUBLE_EQ(r.normal(), 1.302090250702661);
  EXPECT_DOUBLE_EQ(r.normal(), -1.9094343319583578);
}

// ---- behaviour -------------------------------------------------------------------------------
TEST(Rng, SameSeedSameSequenceDifferentSeedDifferentSequence) {
  Rng a(123), b(123), c(124);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs |= x != c.next_u64();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, BelowStaysInRangeAndOneIsAlwaysZero) {
  Rng r(5);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(r.below(1), 0u);
  for (std::uint64_t bound : {2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 63) + 1, ~0ULL}) {
    for (int i = 0; i < 1000; ++i) ASSERT_LT(r.below(bound), bound) << bound;
  }
}

TEST(Rng, BelowIsUniformByChiSquare) {
  // 10 buckets, 9 degrees of freedom: P(chi2 > 27.88) = 0.001. Fixed seeds, so no flakiness.
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
    Rng r(seed);
    constexpr int kBuckets = 10, kDraws = 100'000;
    std::array<int, kBuckets> counts{};
    for (int i = 0; i < kDraws; ++i) ++counts[r.below(kBuckets)];
    const double expected = double(kDraws) / kBuckets;
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    EXPECT_LT(chi2, 27.88) << "seed " << seed;
  }
}

TEST(Rng, BelowNonPowerOfTwoBoundIsUnbiased) {
  // 3 * 2^62 does not divide 2^64: a plain modulo would favour the low third by a third.
  Rng r(9);
  const std::uint64_t bound = 3ULL << 62, third = 1ULL << 62;
  int low = 0;
  constexpr int kDraws = 60'000;
  for (int i = 0; i < kDraws; ++i) low += r.below(bound) < third;
  EXPECT_NEAR(double(low) / kDraws, 1.0 / 3, 0.01);
}

TEST(Rng, UnitIsInHalfOpenRangeWithMeanOneHalf) {
  Rng r(11);
  constexpr int kDraws = 200'000;
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = r.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  EXPECT_NEAR(sum / kDraws, 0.5, 0.003);  // stddev of the mean: 0.29 / sqrt(2e5) = 0.00065
  EXPECT_LT(lo, 0.001);
  EXPECT_GT(hi, 0.999);
}

TEST(Rng, BernoulliEdgesAndRate) {
  Rng r(12);
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(r.bernoulli(0.0));
    EXPECT_TRUE(r.bernoulli(1.0));
  }
  for (int i = 0; i < 100'000; ++i) hits += r.bernoulli(0.3);
  EXPECT_NEAR(hits / 100'000.0, 0.3, 0.006);
}

TEST(Rng, BernoulliZeroConsumesNoDraw) {
  // Loss 0 on a link must not shift the network stream.
  Rng a(3), b(3);
  EXPECT_FALSE(a.bernoulli(0.0));
  EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, NormalHasMeanZeroAndUnitStddev) {
  Rng r(13);
  constexpr int kDraws = 200'000;
  double sum = 0, sq = 0;
  int beyond_two = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = r.normal();
    sum += x;
    sq += x * x;
    beyond_two += std::abs(x) > 2;
  }
  const double mean = sum / kDraws;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sq / kDraws - mean * mean), 1.0, 0.01);
  EXPECT_NEAR(double(beyond_two) / kDraws, 0.0455, 0.003);  // two-sided 2-sigma tail
}

TEST(Rng, StreamsOfOneSeedAreDistinctAndDifferFromPlainSeed) {
  const Stream all[] = {Stream::network, Stream::choices, Stream::faults, Stream::workload};
  std::set<std::uint64_t> firsts;
  for (Stream s : all) firsts.insert(Rng::for_stream(7, s).next_u64());
  firsts.insert(Rng(7).next_u64());
  EXPECT_EQ(firsts.size(), 5u);
  // Neighbouring seeds on one stream are unrelated too.
  std::set<std::uint64_t> seeds;
  for (std::uint64_t seed = 0; seed < 1000; ++seed)
    seeds.insert(Rng::for_stream(seed, Stream::network).next_u64());
  EXPECT_EQ(seeds.size(), 1000u);
}

TEST(Rng, StreamsAreUncorrelated) {
  // The network and choice streams of one seed agree on a below(2) draw about half the time.
  Rng a = Rng::for_stream(99, Stream::network), b = Rng::for_stream(99, Stream::choices);
  int same = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) same += a.below(2) == b.below(2);
  EXPECT_NEAR(double(same) / kDraws, 0.5, 0.01);
}

}  // namespace
}  // namespace txsim
