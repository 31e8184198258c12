// FingerprintSet, FlatIndex, TraceStore, ChunkedVector: the checker's storage, tested alone.
#include "sim/check/fingerprint_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "sim/check/chunked_vector.h"
#include "sim/check/flat_index.h"
#include "sim/check/hash.h"
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

TEST(FingerprintSet, GrowsAShardAtATimeAndStaysDense) {
  FingerprintSet set;
  const std::size_t first = set.capacity();
  constexpr std::uint64_t kCount = 200'000;
  double load_min = 1;
  for (std::uint64_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(set.insert(i * 2));  // consecutive, poorly spread fingerprints
    ASSERT_LE(set.load_factor(), FingerprintSet::kLoadMax);
    if (i > 10'000) load_min = std::min(load_min, set.load_factor());
  }
  EXPECT_EQ(set.size(), kCount);
  EXPECT_GT(set.capacity(), first);
  // Growing by 5/4 a shard at a time keeps the whole table above 0.90 / 1.25 = 0.72 full (less
  // a little, as shards fill unevenly): at most 11.5 bytes per fingerprint.
  EXPECT_GE(load_min, 0.68);
  EXPECT_LE(double(set.bytes()) / kCount, 11.8);
  for (std::uint64_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(set.contains(i * 2));
    ASSERT_FALSE(set.contains(i * 2 + 1));
  }
}

TEST(FingerprintSet, StaggeredShardsKeepTheWholeTableNearEightyPercentFull) {
  // Shards of equal sizes would grow together: the table would swing between 90% and 72% full.
  // Staggered, their growth points spread over one growth step, and the table stays near the
  // mean fill, 0.90 / 1.25^u averaged over u in [0, 1): 0.80.
  FingerprintSet set;
  double load_min = 1, load_max = 0;
  for (std::uint64_t i = 0; i < 400'000; ++i) {
    set.insert(hash_words({i}));
    if (i < 20'000) continue;
    load_min = std::min(load_min, set.load_factor());
    load_max = std::max(load_max, set.load_factor());
  }
  EXPECT_GE(load_min, 0.76);
  EXPECT_LE(load_max, 0.85);
  EXPECT_LE(double(set.bytes()) / 400'000, 10.6);
}

TEST(FingerprintSet, ReserveAvoidsGrowth) {
  FingerprintSet set(1 << 16);
  const std::size_t capacity = set.capacity();
  for (std::uint64_t i = 0; i < (1 << 16); ++i) set.insert(hash_words({i}));
  EXPECT_EQ(set.capacity(), capacity);
  EXPECT_GE(set.load_factor(), 0.6);  // the room reserve() leaves for uneven shards
}

// BFS inserts from several threads at once, each into its own shards.
TEST(FingerprintSet, ThreadsInsertingIntoDistinctShards) {
  constexpr std::uint64_t kCount = 300'000;
  FingerprintSet set;
  std::vector<std::uint64_t> inserted(2, 0);
  auto insert_half = [&](unsigned half) {
    for (std::uint64_t i = 0; i < kCount; ++i) {
      const std::uint64_t fp = hash_words({i % (kCount / 2)});  // each one twice
      if (FingerprintSet::shard_of(fp) % 2 == half && set.insert(fp)) ++inserted[half];
    }
  };
  std::thread other(insert_half, 1u);
  insert_half(0);
  other.join();
  EXPECT_EQ(inserted[0] + inserted[1], kCount / 2);
  EXPECT_EQ(set.size(), kCount / 2);
  for (std::uint64_t i = 0; i < kCount / 2; ++i) ASSERT_TRUE(set.contains(hash_words({i})));
  EXPECT_FALSE(set.contains(hash_words({kCount})));
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
  const std::vector<std::uint64_t> initial{TraceStore::pack(0, 2)};  // 0: initial state #2
  trace.append_level(1, [&](std::uint64_t i) { return initial[i]; });
  trace.append_level(1, [](std::uint64_t) { return TraceStore::pack(0, 5); });  // 1
  trace.append_level(2, [](std::uint64_t i) { return TraceStore::pack(0, std::uint32_t(i)); });
  // Level 4 (records 4 .. 70 003): parents 2 and 3 alternate, crossing chunk boundaries.
  trace.append_level(70'000, [](std::uint64_t i) {
    return TraceStore::pack(i % 2, std::uint32_t(i % 3));
  });
  trace.append_level(2, [](std::uint64_t i) {
    return TraceStore::pack(i == 0 ? 69'999 : 3, TraceStore::kSuccessorsMax);
  });
  EXPECT_EQ(trace.size(), 70'006u);
  EXPECT_EQ(trace.chain_to(3), (std::vector<std::uint64_t>{0, 1, 3}));
  EXPECT_EQ(trace.record(3).emitted, 1u);
  EXPECT_EQ(trace.record(4 + 5).parent, 3u);
  EXPECT_EQ(trace.record(4 + 5).emitted, 2u);
  const std::uint64_t last = trace.size() - 1;
  EXPECT_EQ(trace.chain_to(last - 1), (std::vector<std::uint64_t>{0, 1, 3, 4 + 69'999, last - 1}));
  EXPECT_EQ(trace.chain_to(last), (std::vector<std::uint64_t>{0, 1, 3, 4 + 3, last}));
  EXPECT_EQ(trace.record(last).emitted, TraceStore::kSuccessorsMax);
  EXPECT_EQ(trace.record(0).emitted, 2u);
  EXPECT_EQ(trace.record(0).parent, TraceStore::kNoParent);
  // Level 4 needs 1 + 2 bits a record, not 64.
  EXPECT_LT(trace.bytes(), 200'000u);
}

TEST(ChunkedVector, AppendsIndexesAndReleases) {
  ChunkedVector<std::uint64_t, 4> v;  // chunks of 16
  for (std::uint64_t i = 0; i < 100; ++i) v.push_back(i * 3);
  EXPECT_EQ(v.size(), 100u);
  EXPECT_EQ(v[0], 0u);
  EXPECT_EQ(v[99], 297u);
  const std::size_t before = v.bytes();
  v.release_before(40);  // chunks 0 and 1
  EXPECT_EQ(v.bytes(), before - 2 * 16 * sizeof(std::uint64_t));
  EXPECT_EQ(v[40], 120u);
  v.clear();
  EXPECT_TRUE(v.empty());
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
