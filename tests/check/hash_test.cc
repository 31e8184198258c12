// Hasher: deterministic, order- and length-sensitive, pinned reference values.
#include "sim/check/hash.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace txsim::check {
namespace {

TEST(Hasher, PinnedValues) {
  // Changing the algorithm changes every fingerprint: make it a visible decision.
  EXPECT_EQ(Hasher{}.finish(), 0x5c575356414c5c9cULL);
  Hasher h;
  h.add(1);
  h.add(2);
  EXPECT_EQ(h.finish(), 0xf201ccb11c4baa85ULL);
  EXPECT_EQ(hash_words({42}), 0x311ff339c6eac18bULL);
}

TEST(Hasher, OrderAndLengthMatter) {
  EXPECT_NE(hash_words({1, 2}), hash_words({2, 1}));
  EXPECT_NE(hash_words({0}), hash_words({0, 0}));
  EXPECT_NE(hash_words({}), hash_words({0}));
  Hasher a, b;
  a.add(std::string_view("ab"));
  a.add(std::string_view("c"));
  b.add(std::string_view("a"));
  b.add(std::string_view("bc"));
  EXPECT_NE(a.finish(), b.finish());
}

TEST(Hasher, BytesAreReadLittleEndianWhateverTheTail) {
  const std::array<unsigned char, 11> bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  Hasher direct;
  direct.add_bytes(bytes.data(), bytes.size());
  Hasher words;
  words.add(11);
  words.add(0x0807060504030201ULL);
  words.add(0x0b0a09ULL);
  EXPECT_EQ(direct.finish(), words.finish());
}

enum class Color : std::uint8_t { red, green };
struct Point {
  int x, y;
};
void hash_append(Hasher& h, const Point& p) {
  h.add_value(p.x);
  h.add_value(p.y);
}

TEST(Hasher, ValuesRangesAndCustomTypes) {
  Hasher a;
  a.add_value(Color::green);
  a.add_range(std::vector<Point>{{1, 2}, {3, 4}});
  a.add_value(std::string("name"));
  Hasher b;
  b.add(1);
  b.add(2);
  b.add(1), b.add(2), b.add(3), b.add(4);
  b.add(std::string_view("name"));
  EXPECT_EQ(a.finish(), b.finish());
}

TEST(Hasher, SmallInputsSpreadOverAllBits) {
  std::unordered_set<std::uint64_t> seen;
  std::uint64_t ones = 0;
  constexpr std::uint64_t kCount = 1 << 16;
  for (std::uint64_t i = 0; i < kCount; ++i) {
    const std::uint64_t fp = hash_words({i});
    seen.insert(fp);
    ones += std::uint64_t(__builtin_popcountll(fp));
  }
  EXPECT_EQ(seen.size(), kCount);
  EXPECT_NEAR(double(ones) / kCount, 32.0, 0.1);
}

}  // namespace
}  // namespace txsim::check
