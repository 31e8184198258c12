// Depth-first search: same counts as BFS on a full search, violations and blocking states
// with a valid path, the depth bound.
#include "sim/check/dfs.h"

#include <gtest/gtest.h>

#include "sim/check/explore.h"
#include "tests/check/toy_models.h"

namespace txsim::check {
namespace {

using toy::Cell;
using toy::Grid;

CheckOptions dfs() {
  CheckOptions options;
  options.strategy = Strategy::dfs;
  return options;
}

TEST(Dfs, FullSearchCountsLikeBfs) {
  Grid grid;
  grid.n = 3;
  const CheckResult<Grid> r = explore(grid, dfs());
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.strategy, Strategy::dfs);
  EXPECT_EQ(r.distinct_states, 16u);
  EXPECT_EQ(r.states_generated, 25u);
  EXPECT_EQ(r.depth, 7u);  // right, right, right, up, up, up
}

TEST(Dfs, TangleCountsLikeBfs) {
  const toy::Tangle tangle;
  const toy::ReferenceCounts expected = toy::reference_bfs(tangle);
  const CheckResult<toy::Tangle> r = explore(tangle, dfs());
  EXPECT_EQ(r.distinct_states, expected.distinct);
  EXPECT_EQ(r.states_generated, expected.generated);
}

TEST(Dfs, FindsAViolationWithAValidPath) {
  Grid grid;
  grid.n = 6;
  grid.bad = Cell{2, 4};
  const CheckResult<Grid> r = explore(grid, dfs());
  ASSERT_EQ(r.verdict, Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "Bad");
  EXPECT_EQ(r.counterexample->last(), (Cell{2, 4}));
  EXPECT_EQ(r.counterexample->states(), 7u);  // every path to (2,4) has 7 states
  EXPECT_TRUE(toy::is_valid_path(grid, *r.counterexample));
}

TEST(Dfs, BlockingState) {
  Grid grid;
  grid.n = 3;
  grid.dead_end = Cell{2, 2};
  const CheckResult<Grid> r = explore(grid, dfs());
  ASSERT_EQ(r.verdict, Verdict::blocking);
  EXPECT_EQ(r.counterexample->last(), (Cell{2, 2}));
  EXPECT_TRUE(toy::is_valid_path(grid, *r.counterexample));
}

TEST(Dfs, DepthBoundMakesItIncomplete) {
  Grid grid;
  grid.n = 3;
  CheckOptions options = dfs();
  options.depth_max = 4;
  const CheckResult<Grid> r = explore(grid, options);
  EXPECT_EQ(r.verdict, Verdict::incomplete);
  EXPECT_EQ(r.stop_reason, StopReason::depth_max);
  EXPECT_EQ(r.depth, 4u);
  EXPECT_EQ(r.distinct_states, 10u);  // x + y <= 3
}

TEST(Dfs, StoreStatesSurvivesFingerprintCollisions) {
  Grid grid;
  grid.n = 3;
  grid.weak_fingerprint = true;
  CheckOptions options = dfs();
  options.store_states = true;
  const CheckResult<Grid> r = explore(grid, options);
  EXPECT_EQ(r.distinct_states, 16u);
  EXPECT_EQ(r.states_generated, 25u);
}

}  // namespace
}  // namespace txsim::check
