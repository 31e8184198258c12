// Limits: states_max, depth_max, memory_max_bytes and the stop flag end a search cleanly with
// the verdict incomplete and the counts of what it covered.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "sim/check/explore.h"
#include "tests/check/toy_models.h"

namespace txsim::check {
namespace {

using toy::Grid;

class Limits : public ::testing::TestWithParam<Strategy> {
 protected:
  CheckOptions options() const {
    CheckOptions options;
    options.strategy = GetParam();
    return options;
  }
};
std::string test_name(const ::testing::TestParamInfo<Strategy>& info) {
  std::string name = strategy_name(info.param);
  std::replace(name.begin(), name.end(), '-', '_');  // test names are identifiers
  return name;
}
INSTANTIATE_TEST_SUITE_P(Strategies, Limits,
                         ::testing::Values(Strategy::bfs, Strategy::dfs, Strategy::random_walk),
                         test_name);

TEST(BfsLimits, StatesMaxStopsExactlyWithOneThread) {
  Grid grid;
  grid.n = 3;
  CheckOptions options;
  options.states_max = 5;
  const CheckResult<Grid> r = explore(grid, options);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::states_max);
  // (0,0) | (1,0) (0,1) | expanding (1,0) finds (2,0), (1,1): the fifth state, stop.
  EXPECT_EQ(r.distinct_states, 5u);
  EXPECT_EQ(r.states_generated, 5u);
  EXPECT_EQ(r.depth, 3u);
  EXPECT_EQ(r.frontier_left, 3u);  // (0,1) unexpanded, (2,0) and (1,1) new
}

TEST(BfsLimits, StatesMaxWithTwoThreads) {
  Grid grid;
  grid.n = 100;
  CheckOptions options;
  options.threads = 2;
  options.states_max = 1000;
  const CheckResult<Grid> r = explore(grid, options);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::states_max);
  EXPECT_LE(r.distinct_states, 1000u);
  EXPECT_GT(r.distinct_states, 900u);
}

TEST(BfsLimits, DepthMax) {
  Grid grid;
  grid.n = 3;
  CheckOptions options;
  options.depth_max = 3;
  const CheckResult<Grid> r = explore(grid, options);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::depth_max);
  EXPECT_EQ(r.distinct_states, 6u);   // x + y <= 2
  EXPECT_EQ(r.states_generated, 7u);  // 1 + 2 * 3
  EXPECT_EQ(r.depth, 3u);
  EXPECT_EQ(r.frontier_left, 3u);
}

TEST(BfsLimits, DepthMaxLargeEnoughIsNotALimit) {
  Grid grid;
  grid.n = 3;
  CheckOptions options;
  options.depth_max = 8;
  EXPECT_EQ(explore(grid, options).verdict, Verdict::ok);
}

TEST_P(Limits, MemoryMaxStopsCleanly) {
  Grid grid;
  grid.n = 1000;  // a million states
  CheckOptions opts = options();
  opts.memory_max_bytes = 2'000'000;
  opts.walks = 1'000'000;
  const CheckResult<Grid> r = explore(grid, opts);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::memory_max);
  EXPECT_GT(r.distinct_states, 1000u);
  EXPECT_LT(r.distinct_states, 1'000'000u);
  EXPECT_GE(r.states_generated, r.distinct_states);
}

TEST_P(Limits, MemoryMaxWithTwoThreads) {
  Grid grid;
  grid.n = 1000;
  CheckOptions opts = options();
  opts.threads = 2;
  opts.memory_max_bytes = 2'000'000;
  opts.walks = 1'000'000;
  const CheckResult<Grid> r = explore(grid, opts);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::memory_max);
  EXPECT_LT(r.distinct_states, 1'000'000u);
}

TEST_P(Limits, StopFlagSetBeforehand) {
  Grid grid;
  grid.n = 50;
  std::atomic<bool> stop{true};
  CheckOptions opts = options();
  opts.stop = &stop;
  const CheckResult<Grid> r = explore(grid, opts);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::stopped);
  EXPECT_LT(r.distinct_states, 51u * 51u);
}

TEST_P(Limits, StopFlagSetDuringTheSearch) {
  std::atomic<bool> stop{false};
  Grid grid;
  grid.n = 300;
  grid.stop = &stop;
  grid.stop_after = 2000;
  CheckOptions opts = options();
  opts.stop = &stop;
  opts.walks = 1'000'000;
  const CheckResult<Grid> r = explore(grid, opts);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::stopped);
  EXPECT_GT(r.distinct_states, 0u);
  EXPECT_LT(r.distinct_states, 301u * 301u);
}

TEST_P(Limits, StatesMax) {
  Grid grid;
  grid.n = 300;
  CheckOptions opts = options();
  opts.states_max = 500;
  opts.walks = 1'000'000;
  const CheckResult<Grid> r = explore(grid, opts);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::states_max);
  EXPECT_LE(r.distinct_states, 500u);
  EXPECT_GT(r.distinct_states, 400u);
}

}  // namespace
}  // namespace txsim::check
