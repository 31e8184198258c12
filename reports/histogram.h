// Histogram binning for the GUI's comparison charts: several series of samples (one per
// protocol) counted over one shared set of bins, so their bars line up and can be compared.
//
// Why "nice" widths: a bin labelled "2 ms - 4 ms" is read at a glance, "1.37 ms - 2.74 ms" is
// not. The width is the smallest 1, 2 or 5 x 10^k (in the samples' unit) that covers the range
// in at most bins_max bins; the first bin starts at a multiple of the width.
//
// Invariants: width >= 1; every sample falls in exactly one bin [lower(i), upper(i)); the
// counts of a series sum to its sample count; bins() <= bins_max; no samples -> no bins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace txsim::report {

struct Histogram {
  std::int64_t origin = 0;  // lower edge of bin 0
  std::int64_t width = 1;
  std::vector<std::vector<std::uint64_t>> counts;  // [series][bin]

  std::size_t bins() const { return counts.empty() ? 0 : counts.front().size(); }
  std::int64_t lower(std::size_t bin) const { return origin + std::int64_t(bin) * width; }
  std::int64_t upper(std::size_t bin) const { return lower(bin) + width; }
};

// The smallest 1, 2 or 5 x 10^k that is >= at_least (at least 1).
std::int64_t nice_width(std::int64_t at_least);

// bins_max >= 1.
Histogram histogram(const std::vector<std::vector<std::int64_t>>& series, std::size_t bins_max);

}  // namespace txsim::report
