// The BFS's scratch storage, tested alone: CandidateArena (a round's candidate runs),
// RecentKeys (the exact recent-key cache), ChunkedVector's reserve/shrink/reset, recycled
// chunks (memory.h) and the worker pool's back-to-back jobs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/check/candidate_arena.h"
#include "sim/check/chunked_vector.h"
#include "sim/check/memory.h"
#include "sim/check/recent_keys.h"
#include "sim/check/worker_pool.h"

namespace txsim::check {
namespace {

struct Item {
  std::uint64_t a, b;
};

TEST(CandidateArena, RunsStayPutUntilRewoundAndBlocksAreReused) {
  CandidateArena<Item> arena;
  const std::size_t run = CandidateArena<Item>::kBlock / 3 + 1;  // 3 runs do not fit a block
  std::vector<Item*> runs;
  for (std::uint64_t r = 0; r < 4; ++r) {
    Item* data = arena.room(run);
    for (std::size_t i = 0; i < run; ++i) data[i] = Item{r, i};
    arena.use(run);
    runs.push_back(data);
  }
  for (std::uint64_t r = 0; r < 4; ++r) {  // no run overwrote another
    for (std::size_t i = 0; i < run; ++i) ASSERT_EQ(runs[r][i].a, r);
  }
  EXPECT_EQ(arena.bytes(), 2 * CandidateArena<Item>::kBlock * sizeof(Item));
  arena.rewind();
  EXPECT_EQ(arena.room(run), runs[0]);  // the first block again, no new one
  EXPECT_EQ(arena.bytes(), 2 * CandidateArena<Item>::kBlock * sizeof(Item));
  arena.release();
  EXPECT_EQ(arena.bytes(), 0u);
}

TEST(CandidateArena, ARunLargerThanABlockGetsItsOwn) {
  CandidateArena<Item> arena;
  const std::size_t big = 3 * CandidateArena<Item>::kBlock;
  Item* data = arena.room(big);
  data[big - 1] = Item{1, 2};
  arena.use(big);
  EXPECT_EQ(arena.bytes(), big * sizeof(Item));
  EXPECT_EQ(data[big - 1].b, 2u);
}

TEST(RecentKeys, HitsOnlyTheVeryKeyLastMetInItsEntry) {
  RecentKeys recent;
  EXPECT_TRUE(recent.empty());
  recent.resize(RecentKeys::kEntriesMin);
  const std::uint64_t key = 0xabcdef0123456789ULL;
  EXPECT_FALSE(recent.seen(key));
  EXPECT_TRUE(recent.seen(key));
  // Same entry (same top bits), other key: a miss that replaces it. Exact, never a false hit.
  const std::uint64_t rival = key ^ 1;
  EXPECT_FALSE(recent.seen(rival));
  EXPECT_FALSE(recent.seen(key));
  EXPECT_EQ(&recent.entry(key), &recent.entry(rival));
}

TEST(RecentKeys, SizedPerLevelAndEmptiedWhenResized) {
  EXPECT_EQ(RecentKeys::entries_for(0), RecentKeys::kEntriesMin);
  // An entry per state, in steps of 2^(1/4) (a power of two gave up to two), whole cache lines.
  for (std::uint64_t states : {20'000u, 100'000u, 135'833u, 244'342u, 3'000'000u}) {
    const std::size_t entries = RecentKeys::entries_for(states);
    EXPECT_GE(entries, states);
    EXPECT_LE(double(entries), double(states) * 1.19 + RecentKeys::kEntriesStep) << states;
    EXPECT_EQ(entries % RecentKeys::kEntriesStep, 0u);
  }
  EXPECT_EQ(RecentKeys::entries_for(135'833), 155'904u);  // 2^14 * 2^(13/4), rounded up
  EXPECT_EQ(RecentKeys::entries_for(std::uint64_t{1} << 40), RecentKeys::kEntriesMax);
  RecentKeys recent;
  recent.resize(std::size_t{1} << 16);
  EXPECT_EQ(recent.bytes(), (std::size_t{1} << 16) * 8);
  EXPECT_FALSE(recent.seen(42));
  recent.resize(std::size_t{1} << 16);  // same size: kept
  EXPECT_TRUE(recent.seen(42));
  recent.resize(std::size_t{1} << 15);  // new size: empty
  EXPECT_FALSE(recent.seen(42));
}

TEST(RecentKeys, AGroupsEntriesAreOneRange) {
  // BFS phase B: the worker of a group (the key's top 5 bits, for 32 groups) owns one
  // contiguous range, of whole cache lines, for any size entries_for() gives.
  RecentKeys recent;
  const std::size_t entries = RecentKeys::entries_for(100'000);
  recent.resize(entries);
  const std::uint64_t group_bits = 5, range = entries >> group_bits;
  ASSERT_EQ(RecentKeys::kGroupsMax, std::uint64_t{1} << group_bits);
  EXPECT_EQ(range % 8, 0u);
  for (std::uint64_t g = 0; g < RecentKeys::kGroupsMax; ++g) {
    const std::uint64_t low = g << (64 - group_bits);
    const std::uint64_t high = low | ((std::uint64_t{1} << (64 - group_bits)) - 1);
    const std::ptrdiff_t first = &recent.entry(low) - &recent.entry(0);
    const std::ptrdiff_t last = &recent.entry(high) - &recent.entry(0);
    EXPECT_EQ(std::uint64_t(first), g * range);
    EXPECT_EQ(std::uint64_t(last), (g + 1) * range - 1);
  }
}

TEST(ChunkedVector, ReserveShrinkAndResetKeepOrFreeChunks) {
  ChunkedVector<std::uint64_t, 4> v;  // chunks of 16
  v.reserve(40);                      // 3 chunks, still empty
  EXPECT_EQ(v.size(), 0u);
  const std::size_t three = v.bytes();
  for (std::uint64_t i = 0; i < 20; ++i) v.push_back(i + 1);  // into the reserved chunks
  EXPECT_EQ(v.bytes(), three);
  EXPECT_EQ(v[19], 20u);
  v.shrink_to_fit();  // 2 chunks hold 20
  EXPECT_LT(v.bytes(), three);
  EXPECT_EQ(v[19], 20u);
  v.reset(16);  // one chunk kept, zeroed
  EXPECT_EQ(v.size(), 0u);
  v.extend(16);
  for (std::uint64_t i = 0; i < 16; ++i) EXPECT_EQ(v[i], 0u);
  v.push_back(7);
  EXPECT_EQ(v[16], 7u);
}

TEST(RecycledChunks, ComeBackZeroedAndAreCountedWithinTheCap) {
  const std::size_t bytes = kMappedBytesMin;
  const std::size_t before = recycled_bytes();
  auto* chunk = static_cast<unsigned char*>(allocate_chunk(bytes));
  std::memset(chunk, 0xff, bytes);
  release_chunk(chunk, bytes);
  EXPECT_LE(recycled_bytes(), kRecycledBytesMax);
  auto* again = static_cast<unsigned char*>(allocate_chunk(bytes));
  for (std::size_t i = 0; i < bytes; i += 997) ASSERT_EQ(again[i], 0);
  release_chunk(again, bytes);
  // Larger blocks are never kept.
  void* large = allocate_chunk(kRecycledBlockMax * 2);
  const std::size_t held = recycled_bytes();
  release_chunk(large, kRecycledBlockMax * 2);
  EXPECT_EQ(recycled_bytes(), held);
  EXPECT_GE(recycled_bytes(), before);
}

TEST(WorkerPool, RunsBackToBackJobsOnEveryWorker) {
  WorkerPool pool(3);
  std::atomic<std::uint64_t> sum{0};
  for (int job = 0; job < 500; ++job) {  // some jobs meet spinning workers, some sleeping ones
    pool.run([&](unsigned worker) { sum.fetch_add(worker + 1, std::memory_order_relaxed); });
  }
  EXPECT_EQ(sum.load(), 500u * (1 + 2 + 3));
}

}  // namespace
}  // namespace txsim::check
