// Distribution: every latency law's samples from a fixed seed (bounds, mean, the shape a
// scenario author expects), describe() strings, and format_duration.
#include "sim/distribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace txsim {
namespace {

constexpr int kDraws = 200'000;

struct Summary {
  double mean = 0, stddev = 0;
  Micros min = 0, max = 0, median = 0;
  std::vector<Micros> values;  // sorted
};

Summary draw(const Distribution& d, std::uint64_t seed = 2024) {
  Rng rng(seed);
  Summary s;
  s.values.reserve(kDraws);
  double sum = 0, sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const Micros v = d.sample(rng);
    s.values.push_back(v);
    sum += double(v);
    sq += double(v) * double(v);
  }
  std::sort(s.values.begin(), s.values.end());
  s.mean = sum / kDraws;
  s.stddev = std::sqrt(sq / kDraws - s.mean * s.mean);
  s.min = s.values.front();
  s.max = s.values.back();
  s.median = s.values[kDraws / 2];
  return s;
}

double fraction_above(const Summary& s, Micros x) {
  const auto it = std::upper_bound(s.values.begin(), s.values.end(), x);
  return double(s.values.end() - it) / kDraws;
}

TEST(Distribution, FixedAlwaysGivesItsValueAndDrawsNothing) {
  const Distribution d = Distribution::fixed(ms(2));
  Rng a(1), b(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(a), 2000);
  EXPECT_EQ(a.next_u64(), b.next_u64()) << "a fixed latency must not consume network draws";
  EXPECT_EQ(d.mean(), 2000);
}

TEST(Distribution, UniformCoversBothBoundsWithMeanInTheMiddle) {
  const Summary s = draw(Distribution::uniform(ms(1), ms(5)));
  EXPECT_EQ(s.min, 1000) << "the low bound is inclusive and reached";
  EXPECT_EQ(s.max, 5000) << "the high bound is inclusive and reached";
  EXPECT_NEAR(s.mean, 3000, 15);  // standard error 2.6us
  EXPECT_NEAR(s.stddev, 4000 / std::sqrt(12.0), 15);
  EXPECT_EQ(Distribution::uniform(ms(1), ms(5)).mean(), 3000);
}

TEST(Distribution, UniformOverThreeValuesIsFlat) {
  const Summary s = draw(Distribution::uniform(us(1), us(3)));
  std::map<Micros, int> counts;
  for (Micros v : s.values) ++counts[v];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [v, n] : counts) {
    EXPECT_GE(v, 1);
    EXPECT_LE(v, 3);
    EXPECT_NEAR(double(n) / kDraws, 1.0 / 3, 0.005) << v;
  }
}

TEST(Distribution, UniformWithEqualBoundsIsThatValue) {
  Rng rng(3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Distribution::uniform(ms(4), ms(4)).sample(rng), 4000);
}

TEST(Distribution, NormalHasItsMeanAndStddev) {
  const Summary s = draw(Distribution::normal(ms(3), ms(1)));
  EXPECT_NEAR(s.mean, 3000, 10);  // standard error 2.2us
  EXPECT_NEAR(s.stddev, 1000, 10);
  EXPECT_NEAR(double(s.median), 3000, 15);
  EXPECT_GE(s.min, 0);
}

TEST(Distribution, NormalIsClampedAtZero) {
  // mean 1ms, stddev 2ms: P(X <= 0) = Phi(-0.5) = 0.3085, and E[max(X, 0)] = 1395.6us.
  const Summary s = draw(Distribution::normal(ms(1), ms(2)));
  EXPECT_EQ(s.min, 0) << "never negative";
  const double zeros = double(std::count(s.values.begin(), s.values.end(), 0)) / kDraws;
  EXPECT_NEAR(zeros, 0.3085, 0.005);
  EXPECT_NEAR(s.mean, 1395.6, 12);
  EXPECT_EQ(Distribution::normal(ms(1), ms(2)).mean(), 1000) << "analytic, before clamping";
}

TEST(Distribution, ExponentialHasItsMeanAndTail) {
  const Summary s = draw(Distribution::exponential(ms(2)));
  EXPECT_GE(s.min, 0);
  EXPECT_NEAR(s.mean, 2000, 20);  // standard error 4.5us
  EXPECT_NEAR(s.stddev, 2000, 30);
  EXPECT_NEAR(fraction_above(s, 2000), std::exp(-1.0), 0.005);
  EXPECT_NEAR(double(s.median), 2000 * std::log(2.0), 15);
}

TEST(Distribution, LognormalHasItsMedianAndMean) {
  const Distribution d = Distribution::lognormal(ms(2), 0.5);
  const Summary s = draw(d);
  EXPECT_GT(s.min, 0);
  EXPECT_NEAR(double(s.median), 2000, 15);  // standard error of the median 2.8us
  EXPECT_NEAR(d.mean(), 2000 * std::exp(0.125), 1e-9);
  EXPECT_NEAR(s.mean, d.mean(), 15);
  // log(X) is normal with sigma 0.5: one sigma above the median is 2000 * e^0.5.
  EXPECT_NEAR(fraction_above(s, Micros(2000 * std::exp(0.5))), 0.1587, 0.005);
}

TEST(Distribution, SameSeedSameSamples) {
  const Distribution d = Distribution::lognormal(ms(3), 1.0);
  Rng a(77), b(77);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(d.sample(a), d.sample(b));
}

TEST(Distribution, DescribeNamesTheLawAndItsParameters) {
  EXPECT_EQ(Distribution::fixed(ms(2)).describe(), "fixed 2ms");
  EXPECT_EQ(Distribution::uniform(ms(1), ms(5)).describe(), "uniform[1ms, 5ms]");
  EXPECT_EQ(Distribution::uniform(us(250), us(1500)).describe(), "uniform[250us, 1.500ms]");
  EXPECT_EQ(Distribution::normal(ms(3), ms(1)).describe(), "normal(mean 3ms, stddev 1ms)");
  EXPECT_EQ(Distribution::exponential(ms(2)).describe(), "exponential(mean 2ms)");
  EXPECT_EQ(Distribution::lognormal(ms(2), 0.5).describe(),
            "lognormal(median 2ms, sigma 0.500000)");
}

TEST(Distribution, EqualityComparesKindAndParameters) {
  EXPECT_EQ(Distribution::uniform(ms(1), ms(5)), Distribution::uniform(ms(1), ms(5)));
  EXPECT_NE(Distribution::uniform(ms(1), ms(5)), Distribution::uniform(ms(1), ms(6)));
  EXPECT_NE(Distribution::fixed(ms(2)), Distribution::exponential(ms(2)));
}

TEST(FormatDuration, ShortestExactRendering) {
  EXPECT_EQ(format_duration(0), "0us");
  EXPECT_EQ(format_duration(1), "1us");
  EXPECT_EQ(format_duration(999), "999us");
  EXPECT_EQ(format_duration(1000), "1ms");
  EXPECT_EQ(format_duration(1250), "1.250ms");
  EXPECT_EQ(format_duration(1001), "1.001ms");
  EXPECT_EQ(format_duration(999'000), "999ms");
  EXPECT_EQ(format_duration(sec(3)), "3s");
  EXPECT_EQ(format_duration(1'500'000), "1500ms");
  EXPECT_EQ(format_duration(sec(60)), "60s");
}

TEST(FormatDuration, NegativeDurationsKeepTheirSign) {
  EXPECT_EQ(format_duration(-1), "-1us");
  EXPECT_EQ(format_duration(-1250), "-1.250ms");
  EXPECT_EQ(format_duration(-ms(7)), "-7ms");
  EXPECT_EQ(format_duration(-sec(2)), "-2s");
}

TEST(FormatDuration, UnitHelpersScale) {
  EXPECT_EQ(us(5), 5);
  EXPECT_EQ(ms(5), 5000);
  EXPECT_EQ(sec(5), 5'000'000);
}

}  // namespace
}  // namespace txsim
