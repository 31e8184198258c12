// histogram(): shared nice bins over several series.
#include "reports/histogram.h"

#include <gtest/gtest.h>

#include <numeric>

namespace txsim::report {
namespace {

TEST(Histogram, NiceWidthsAreOneTwoFiveTimesAPowerOfTen) {
  EXPECT_EQ(nice_width(0), 1);
  EXPECT_EQ(nice_width(1), 1);
  EXPECT_EQ(nice_width(2), 2);
  EXPECT_EQ(nice_width(3), 5);
  EXPECT_EQ(nice_width(6), 10);
  EXPECT_EQ(nice_width(11), 20);
  EXPECT_EQ(nice_width(4001), 5000);
}

TEST(Histogram, SeriesShareBinsAndEverySampleIsCountedOnce) {
  const std::vector<std::vector<std::int64_t>> series = {{1000, 1500, 2100, 9999}, {3000, 3000}};
  const Histogram h = histogram(series, 10);
  EXPECT_EQ(h.width, 1000);  // range 1000..9999 in 10 bins
  EXPECT_EQ(h.origin, 1000);
  ASSERT_EQ(h.bins(), 9u);
  ASSERT_EQ(h.counts.size(), 2u);
  EXPECT_EQ(h.counts[0][0], 2u);  // 1000, 1500
  EXPECT_EQ(h.counts[0][1], 1u);  // 2100
  EXPECT_EQ(h.counts[0][8], 1u);  // 9999 in [9000, 10000)
  EXPECT_EQ(h.counts[1][2], 2u);
  for (std::size_t k = 0; k < series.size(); ++k)
    EXPECT_EQ(std::accumulate(h.counts[k].begin(), h.counts[k].end(), std::uint64_t(0)),
              series[k].size());
  EXPECT_EQ(h.lower(8), 9000);
  EXPECT_EQ(h.upper(8), 10000);
}

TEST(Histogram, NeverMoreBinsThanAsked) {
  for (std::size_t bins_max = 1; bins_max <= 30; ++bins_max) {
    const Histogram h = histogram({{7, 123, 4567, 89012}}, bins_max);
    EXPECT_LE(h.bins(), bins_max);
    EXPECT_GE(h.bins(), 1u);
    EXPECT_LE(h.origin, 7);
    EXPECT_GT(h.upper(h.bins() - 1), 89012);
  }
}

TEST(Histogram, OneValueAndNoValues) {
  const Histogram one = histogram({{42, 42}, {}}, 8);
  ASSERT_EQ(one.bins(), 1u);
  EXPECT_EQ(one.width, 1);
  EXPECT_EQ(one.origin, 42);
  EXPECT_EQ(one.counts[0][0], 2u);
  EXPECT_EQ(one.counts[1][0], 0u);
  EXPECT_EQ(histogram({{}, {}}, 8).bins(), 0u);
}

}  // namespace
}  // namespace txsim::report
