// Random walks: deterministic per seed, independent of the number of threads, and they find
// violations and blocking states with a replayable path.
#include "sim/check/random_walk.h"

#include <gtest/gtest.h>

#include "sim/check/explore.h"
#include "tests/check/toy_models.h"

namespace txsim::check {
namespace {

using toy::Cell;
using toy::Grid;
using toy::Tangle;

CheckOptions walks(std::uint64_t seed, unsigned threads = 1) {
  CheckOptions options;
  options.strategy = Strategy::random_walk;
  options.seed = seed;
  options.threads = threads;
  options.walks = 300;
  options.walk_depth_max = 40;
  return options;
}

TEST(RandomWalk, GridWalksAlwaysEndAtTheCorner) {
  Grid grid;
  grid.n = 3;
  const CheckResult<Grid> r = explore(grid, walks(1));
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.depth, 7u);
  // Every walk expands 7 states: 2 successors inside the grid, 1 on the far edges, none at
  // the corner; 9 successors along the edges, 11 near the diagonal.
  EXPECT_GE(r.states_generated, 1u + 300u * 9u);
  EXPECT_LE(r.states_generated, 1u + 300u * 11u);
  EXPECT_EQ(r.distinct_states, 16u);
}

TEST(RandomWalk, DeterministicPerSeedAndThreadCount) {
  const Tangle tangle;
  const CheckResult<Tangle> a = explore(tangle, walks(7));
  const CheckResult<Tangle> b = explore(tangle, walks(7));
  const CheckResult<Tangle> c = explore(tangle, walks(7, 2));
  const CheckResult<Tangle> d = explore(tangle, walks(8));
  EXPECT_EQ(a.distinct_states, b.distinct_states);
  EXPECT_EQ(a.states_generated, b.states_generated);
  EXPECT_EQ(a.distinct_states, c.distinct_states);
  EXPECT_EQ(a.states_generated, c.states_generated);
  EXPECT_EQ(a.depth, c.depth);
  EXPECT_NE(a.distinct_states, d.distinct_states);  // another seed, other walks
}

TEST(RandomWalk, FindsAViolationTheSameWayWithAnyThreads) {
  Tangle tangle;
  tangle.invariants = true;
  CheckOptions options = walks(3);
  options.walk_depth_max = 200;
  const CheckResult<Tangle> one = explore(tangle, options);
  ASSERT_EQ(one.verdict, Verdict::violation);
  EXPECT_TRUE(toy::is_valid_path(tangle, *one.counterexample));
  EXPECT_EQ(one.depth, one.counterexample->states());
  options.threads = 2;
  const CheckResult<Tangle> two = explore(tangle, options);
  ASSERT_EQ(two.verdict, Verdict::violation);
  EXPECT_EQ(two.violation->detail, one.violation->detail);
  ASSERT_EQ(two.counterexample->steps.size(), one.counterexample->steps.size());
  for (std::size_t i = 0; i < one.counterexample->steps.size(); ++i) {
    EXPECT_EQ(two.counterexample->steps[i].action, one.counterexample->steps[i].action);
  }
}

TEST(RandomWalk, FindsABlockingState) {
  Grid grid;
  grid.n = 4;
  grid.corner_terminal = false;
  const CheckResult<Grid> r = explore(grid, walks(5));
  ASSERT_EQ(r.verdict, Verdict::blocking);
  EXPECT_EQ(r.counterexample->last(), (Cell{4, 4}));
  EXPECT_TRUE(toy::is_valid_path(grid, *r.counterexample));
}

}  // namespace
}  // namespace txsim::check
