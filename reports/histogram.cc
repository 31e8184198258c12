#include "reports/histogram.h"

#include <algorithm>
#include <limits>

#include "sim/assert.h"

namespace txsim::report {

namespace {

// floor(a / b) for b > 0, also for negative a.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && (a < 0) ? 1 : 0);
}

}  // namespace

std::int64_t nice_width(std::int64_t at_least) {
  if (at_least <= 1) return 1;
  for (std::int64_t decade = 1; decade <= std::numeric_limits<std::int64_t>::max() / 10;
       decade *= 10)
    for (std::int64_t m : {1, 2, 5})
      if (m * decade >= at_least) return m * decade;
  return at_least;
}

Histogram histogram(const std::vector<std::vector<std::int64_t>>& series, std::size_t bins_max) {
  TXSIM_ASSERT(bins_max >= 1);
  Histogram h;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const auto& s : series)
    for (std::int64_t v : s) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  h.counts.assign(series.size(), {});
  if (lo > hi) return h;  // no samples at all
  const auto bins_for = [&](std::int64_t w) {
    return std::size_t(floor_div(hi, w) - floor_div(lo, w) + 1);
  };
  std::int64_t width = nice_width((hi - lo) / std::int64_t(bins_max) + 1);
  // Flooring the origin can add one bin; widen until the range fits (a few steps at most).
  for (int i = 0; i < 64 && bins_for(width) > bins_max; ++i) width = nice_width(width + 1);
  TXSIM_ASSERT(bins_for(width) <= bins_max);
  h.width = width;
  h.origin = floor_div(lo, width) * width;
  const std::size_t bins = bins_for(width);
  for (std::size_t k = 0; k < series.size(); ++k) {
    h.counts[k].assign(bins, 0);
    for (std::int64_t v : series[k]) ++h.counts[k][std::size_t(floor_div(v - h.origin, width))];
  }
  return h;
}

}  // namespace txsim::report
