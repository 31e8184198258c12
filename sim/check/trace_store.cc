// TraceStore: reading the bit-packed records back; see the header.
#include "sim/check/trace_store.h"

#include <algorithm>

namespace txsim::check {

std::uint64_t TraceStore::read(std::uint64_t at, int width) const {
  if (width == 0) return 0;
  const std::uint64_t word = at >> 6;
  const int offset = int(at & 63);
  std::uint64_t value = words_[word] >> offset;
  if (offset + width > 64) value |= words_[word + 1] << (64 - offset);
  return width == 64 ? value : value & ((std::uint64_t{1} << width) - 1);
}

TraceStore::Record TraceStore::record(std::uint64_t index) const {
  TXSIM_ASSERT(index < size_);
  const auto after = std::upper_bound(levels_.begin(), levels_.end(), index,
                                      [](std::uint64_t i, const Level& l) { return i < l.base; });
  const auto at = std::size_t(after - levels_.begin()) - 1;
  const Level& level = levels_[at];
  const int width = level.parent_bits + level.emitted_bits;
  const std::uint64_t word = read(level.bit_base + (index - level.base) * std::uint64_t(width), width);
  const auto emitted = std::uint32_t(word & ((std::uint64_t{1} << level.emitted_bits) - 1));
  if (at == 0) return Record{kNoParent, emitted};
  return Record{levels_[at - 1].base + (word >> level.emitted_bits), emitted};
}

std::vector<std::uint64_t> TraceStore::chain_to(std::uint64_t index) const {
  std::vector<std::uint64_t> chain;
  for (std::uint64_t at = index; at != kNoParent; at = record(at).parent) {
    TXSIM_ASSERT_MSG(chain.size() <= levels_.size(), "trace store has a cycle");
    chain.push_back(at);
  }
  return {chain.rbegin(), chain.rend()};
}

}  // namespace txsim::check
