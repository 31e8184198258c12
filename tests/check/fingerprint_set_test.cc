// FingerprintSet, FlatIndex, TraceStore, LevelMap: the checker's storage, tested on their own.
#include "sim/check/fingerprint_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "sim/check/flat_index.h"
#include "sim/check/hash.h"
#include "sim/check/level_map.h"
#include "sim/check/state_store.h"
#include "sim/check/trace_store.h"

namespace txsim::check {
namespace {

TEST(FingerprintSet, InsertAndContains) {
  FingerprintSet set;
  EXPECT_FALSE(set.contains(7));
  EXPECT_TRUE(set.insert(7));
  EXPECT_FALSE(set.insert(7));
  EXPECT_TRUE(set.contains(7));
  EXPECT_FALSE(set.contains(8));
  EXPECT_EQ(set.size(), 1u);
}

TEST(FingerprintSet, ZeroIsAnOrdinaryFingerprint) {
  FingerprintSet set;
  EXPECT_FALSE(set.contains(0));
  EXPECT_TRUE(set.insert(0));
  EXPECT_TRUE(set.contains(0));
  EXPECT_FALSE(set.insert(0));
  EXPECT_EQ(set.size(), 1u);
}

TEST(FingerprintSet, GrowsByDoublingAndKeepsLoadAtMostHalf) {
  FingerprintSet set;
  const std::size_t first = set.capacity();
  constexpr std::uint64_t kCount = 100'000;
  for (std::uint64_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(set.insert(i * 2));  // consecutive, poorly spread fingerprints
    ASSERT_LE(set.load_factor(), 0.5);
  }
  EXPECT_EQ(set.size(), kCount);
  EXPECT_GT(set.capacity(), first);
  EXPECT_EQ(set.capacity() & (set.capacity() - 1), 0u);
  EXPECT_EQ(set.bytes(), set.capacity() * 8);
  EXPECT_LE(double(set.bytes()) / kCount, 32.0);
  for (std::uint64_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(set.contains(i * 2));
    ASSERT_FALSE(set.contains(i * 2 + 1));
  }
}

TEST(FingerprintSet, ReserveSizesOnceForSixteenBytesPerState) {
  FingerprintSet set(1 << 16);
  EXPECT_EQ(set.capacity(), std::size_t{1} << 17);
  for (std::uint64_t i = 0; i < (1 << 16); ++i) set.insert(hash_words({i}));
  EXPECT_EQ(set.capacity(), std::size_t{1} << 17);
  EXPECT_EQ(double(set.bytes()) / set.size(), 16.0);
}

TEST(FingerprintSet, ConcurrentInsertsFromTwoThreads) {
  constexpr std::uint64_t kEach = 200'000, kOverlap = 50'000;
  FingerprintSet set;
  set.reserve(2 * kEach);
  std::vector<std::uint64_t> won(2, 0);
  auto insert_range = [&](int thread, std::uint64_t begin) {
    for (std::uint64_t i = begin; i < begin + kEach; ++i) {
      if (set.insert_concurrent(hash_words({i}))) ++won[thread];
    }
  };
  std::thread other(insert_range, 1, kEach - kOverlap);
  insert_range(0, 0);
  other.join();
  const std::uint64_t unique = 2 * kEach - kOverlap;
  EXPECT_EQ(won[0] + won[1], unique);  // each fingerprint won by exactly one thread
  EXPECT_EQ(set.size(), unique);
  for (std::uint64_t i = 0; i < unique; ++i) ASSERT_TRUE(set.contains(hash_words({i})));
  EXPECT_FALSE(set.contains(hash_words({unique})));
}

TEST(FingerprintSet, MergeFrom) {
  FingerprintSet a, b;
  for (std::uint64_t i = 0; i < 3000; ++i) a.insert(i);
  for (std::uint64_t i = 2000; i < 5000; ++i) b.insert(i);
  a.merge_from(b);
  EXPECT_EQ(a.size(), 5000u);
  EXPECT_TRUE(a.contains(4999));
}

TEST(FlatIndex, PutFindOverwrite) {
  FlatIndex index;
  EXPECT_FALSE(index.find(3).has_value());
  for (std::uint32_t i = 0; i < 1000; ++i) index.put(i, i * 10);
  index.put(5, 7);
  EXPECT_EQ(index.size(), 1000u);
  EXPECT_EQ(index.find(5), 7u);
  EXPECT_EQ(index.find(999), 9990u);
  EXPECT_FALSE(index.find(1000).has_value());
}

TEST(TraceStore, ChainsBackToTheRoot) {
  TraceStore trace;
  trace.append(TraceStore::kNoParent, 2);               // 0: initial state #2
  trace.append(0, 5);                                   // 1
  trace.append(1, 0);                                   // 2
  for (int i = 0; i < 70'000; ++i) trace.append(2, 1);  // crosses a chunk boundary
  trace.append(70'002, TraceStore::kSuccessorsMax);
  EXPECT_EQ(trace.chain_to(2), (std::vector<std::uint64_t>{0, 1, 2}));
  const std::uint64_t last = trace.size() - 1;
  EXPECT_EQ(trace.chain_to(last), (std::vector<std::uint64_t>{0, 1, 2, 70'002, last}));
  EXPECT_EQ(trace.record(last).emitted, TraceStore::kSuccessorsMax);
  EXPECT_EQ(trace.record(0).emitted, 2u);
  EXPECT_EQ(trace.record(0).parent, TraceStore::kNoParent);
}

TEST(LevelMap, KeepsTheSmallestOriginAndSortsByIt) {
  LevelMap<int> map(/*compare_states=*/false);
  EXPECT_TRUE(map.offer(100, Origin{5, 1}, 1));
  EXPECT_TRUE(map.offer(200, Origin{2, 0}, 2));
  EXPECT_FALSE(map.offer(100, Origin{3, 4}, 3));  // same state, smaller origin: kept
  EXPECT_FALSE(map.offer(100, Origin{9, 0}, 4));
  Level<int> level;
  map.drain(level, 10);
  ASSERT_EQ(level.size(), 2u);
  EXPECT_EQ(level.states, (std::vector<int>{2, 3}));
  EXPECT_EQ(level.fingerprints, (std::vector<std::uint64_t>{200, 100}));
  EXPECT_EQ(level.origins[1], (Origin{3, 4}));
  EXPECT_EQ(map.size(), 0u);
}

TEST(LevelMap, ComparesStatesWhenAskedTo) {
  LevelMap<int> map(/*compare_states=*/true);
  EXPECT_TRUE(map.offer(1, Origin{0, 0}, 10));
  EXPECT_TRUE(map.offer(1, Origin{0, 1}, 11));  // same fingerprint, another state
  EXPECT_FALSE(map.offer(1, Origin{0, 2}, 10));
  EXPECT_EQ(map.size(), 2u);
}

TEST(StateStore, DistinguishesStatesWithEqualFingerprints) {
  StateStore<int> store;
  EXPECT_TRUE(store.insert(1, 10));
  EXPECT_TRUE(store.insert(1, 11));
  EXPECT_FALSE(store.insert(1, 10));
  EXPECT_TRUE(store.contains(1, 11));
  EXPECT_FALSE(store.contains(1, 12));
  EXPECT_EQ(store.size(), 2u);
}

}  // namespace
}  // namespace txsim::check
