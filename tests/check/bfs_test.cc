// Breadth-first search: TLC-style counts pinned by hand, thread-independence, shortest
// counterexamples, blocking states, store_states.
#include "sim/check/bfs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/check/explore.h"
#include "tests/check/toy_models.h"

namespace txsim::check {
namespace {

using toy::Cell;
using toy::Grid;
using toy::Tangle;

CheckOptions with_threads(unsigned threads) {
  CheckOptions options;
  options.threads = threads;
  return options;
}

// Steps of two counterexamples whose actions differ; paths of different lengths differ in all.
template <class Path>
std::size_t actions_that_differ(const Path& a, const Path& b) {
  if (a.steps.size() != b.steps.size()) return std::max(a.steps.size(), b.steps.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.steps.size(); ++i) differ += a.steps[i].action != b.steps[i].action;
  return differ;
}

class BfsThreads : public ::testing::TestWithParam<unsigned> {};
INSTANTIATE_TEST_SUITE_P(Threads, BfsThreads, ::testing::Values(1u, 2u, 4u));

TEST_P(BfsThreads, GridCountsAsDerivedByHand) {
  Grid grid;
  grid.n = 3;
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.distinct_states, 16u);   // (n+1)^2
  EXPECT_EQ(r.states_generated, 25u);  // 1 + 2 n (n+1)
  EXPECT_EQ(r.depth, 7u);              // 2n + 1
  EXPECT_EQ(r.frontier_left, 0u);
  EXPECT_EQ(r.threads, GetParam());
  EXPECT_FALSE(r.counterexample.has_value());
  EXPECT_DOUBLE_EQ(r.collision_probability, collision_probability(16, 25));
}

TEST_P(BfsThreads, SelfLoopsCountAsGenerated) {
  Grid grid;
  grid.n = 3;
  grid.self_loop = true;
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  EXPECT_EQ(r.distinct_states, 16u);
  EXPECT_EQ(r.states_generated, 25u + 16u);
  EXPECT_EQ(r.depth, 7u);
}

TEST_P(BfsThreads, LargerGridFollowsTheFormula) {
  Grid grid;
  grid.n = 150;
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.distinct_states, 151u * 151u);
  EXPECT_EQ(r.states_generated, 1u + 2u * 150u * 151u);
  EXPECT_EQ(r.depth, 301u);
}

TEST_P(BfsThreads, TangleMatchesTheReferenceBfs) {
  const Tangle tangle;
  const toy::ReferenceCounts expected = toy::reference_bfs(tangle);
  const CheckResult<Tangle> r = explore(tangle, with_threads(GetParam()));
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.distinct_states, expected.distinct);
  EXPECT_EQ(r.states_generated, expected.generated);
  EXPECT_EQ(r.depth, expected.depth);
}

TEST_P(BfsThreads, ShortestCounterexample) {
  Grid grid;
  grid.n = 5;
  grid.bad = Cell{2, 3};
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  ASSERT_EQ(r.verdict, Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "Bad");
  ASSERT_TRUE(r.counterexample.has_value());
  EXPECT_EQ(r.counterexample->states(), 6u);  // the bad cell's BFS depth: x + y + 1
  EXPECT_EQ(r.depth, 6u);
  EXPECT_EQ(r.counterexample->last(), (Cell{2, 3}));
  EXPECT_EQ(r.counterexample->initial, (Cell{0, 0}));
  EXPECT_TRUE(toy::is_valid_path(grid, *r.counterexample));
  // Levels 1..6 are complete (the cells with x + y <= 5), levels 1..5 expanded.
  EXPECT_EQ(r.distinct_states, 21u);
  EXPECT_EQ(r.states_generated, 31u);
  EXPECT_EQ(r.frontier_left, 6u);
}

TEST_P(BfsThreads, ViolationInAnInitialState) {
  Grid grid;
  grid.bad = Cell{0, 0};
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  ASSERT_EQ(r.verdict, Verdict::violation);
  EXPECT_EQ(r.counterexample->states(), 1u);
  EXPECT_EQ(r.depth, 1u);
  EXPECT_EQ(r.distinct_states, 1u);
  EXPECT_EQ(r.states_generated, 1u);
}

TEST(Bfs, ReportIsTheSameWithAnyNumberOfThreads) {
  Tangle tangle;
  tangle.invariants = true;
  const CheckResult<Tangle> one = explore(tangle, with_threads(1));
  ASSERT_EQ(one.verdict, Verdict::violation);
  EXPECT_TRUE(toy::is_valid_path(tangle, *one.counterexample));
  for (unsigned threads : {2u, 3u, 4u}) {
    const CheckResult<Tangle> many = explore(tangle, with_threads(threads));
    ASSERT_EQ(many.verdict, Verdict::violation) << threads;
    EXPECT_EQ(many.violation->invariant, one.violation->invariant);
    EXPECT_EQ(many.violation->detail, one.violation->detail);
    EXPECT_EQ(many.distinct_states, one.distinct_states);
    EXPECT_EQ(many.states_generated, one.states_generated);
    EXPECT_EQ(many.depth, one.depth);
    ASSERT_EQ(many.counterexample->steps.size(), one.counterexample->steps.size());
    for (std::size_t i = 0; i < one.counterexample->steps.size(); ++i) {
      EXPECT_EQ(many.counterexample->steps[i].action, one.counterexample->steps[i].action);
      EXPECT_EQ(many.counterexample->steps[i].state, one.counterexample->steps[i].state);
    }
  }
}

// Deep cells of a large grid, in levels of over a thousand states (the parallel rounds): every
// cell has two parents in the level before, the first in level order wins, so the path shows
// whether the level order is the same whatever the threads.
TEST(Bfs, DeepCounterexamplesAreTheSameWithAnyNumberOfThreads) {
  for (const Cell bad : {Cell{1100, 1000}, Cell{600, 1150}}) {
    Grid grid;
    grid.n = 1200;
    grid.bad = bad;
    const CheckResult<Grid> one = explore(grid, with_threads(1));
    ASSERT_EQ(one.verdict, Verdict::violation);
    EXPECT_TRUE(toy::is_valid_path(grid, *one.counterexample));
    for (unsigned threads : {2u, 3u}) {
      const CheckResult<Grid> many = explore(grid, with_threads(threads));
      ASSERT_EQ(many.verdict, Verdict::violation) << threads;
      EXPECT_EQ(many.distinct_states, one.distinct_states);
      EXPECT_EQ(many.states_generated, one.states_generated);
      EXPECT_EQ(many.frontier_left, one.frontier_left);
      EXPECT_EQ(many.counterexample->last(), bad);
      EXPECT_EQ(actions_that_differ(*one.counterexample, *many.counterexample), 0u) << threads;
    }
  }
}

// The lead (worker 0) admits its own units as it expands them, which is right only while they
// are the round's first. With a share of 1/64 it runs out at once and takes the others' units,
// and with 63/64 the others take its units, in every round: still one thread's paths.
TEST(Bfs, CounterexamplesAreTheSameWhenWorkersTakeEachOthersUnits) {
  Grid grid;
  grid.n = 1200;
  grid.bad = Cell{1100, 1000};
  const CheckResult<Grid> one = explore(grid, with_threads(1));
  ASSERT_EQ(one.verdict, Verdict::violation);
  toy::HyperGrid hyper;
  hyper.bad = toy::HyperGrid::State{{24, 24, 20, 3}};
  const CheckResult<toy::HyperGrid> hyper_one = explore(hyper, with_threads(1));
  ASSERT_EQ(hyper_one.verdict, Verdict::violation);
  for (unsigned threads : {2u, 3u}) {
    for (unsigned share : {1u, 63u}) {
      CheckOptions options = with_threads(threads);
      options.lead_share_64ths = share;
      const CheckResult<Grid> many = explore(grid, options);
      ASSERT_EQ(many.verdict, Verdict::violation) << threads << " " << share;
      EXPECT_EQ(many.distinct_states, one.distinct_states) << threads << " " << share;
      EXPECT_EQ(actions_that_differ(*one.counterexample, *many.counterexample), 0u)
          << threads << " " << share;
      const CheckResult<toy::HyperGrid> hyper_many = explore(hyper, options);
      ASSERT_EQ(hyper_many.verdict, Verdict::violation) << threads << " " << share;
      EXPECT_EQ(hyper_many.distinct_states, hyper_one.distinct_states);
      EXPECT_EQ(actions_that_differ(*hyper_one.counterexample, *hyper_many.counterexample), 0u)
          << threads << " " << share;
    }
  }
}

// Levels of over ten thousand states: the storage BFS keeps from level to level (origin
// chunks, reserved room) must not leak one level's data into the next one's paths.
TEST(Bfs, CounterexamplesPastLargeLevelsAreValidPathsWithAnyNumberOfThreads) {
  toy::HyperGrid grid;
  grid.bad = toy::HyperGrid::State{{24, 24, 20, 3}};  // level 72; the widest is level 49
  const CheckResult<toy::HyperGrid> one = explore(grid, with_threads(1));
  ASSERT_EQ(one.verdict, Verdict::violation);
  EXPECT_EQ(one.counterexample->states(), 72u);
  EXPECT_TRUE(toy::is_valid_path(grid, *one.counterexample));
  const CheckResult<toy::HyperGrid> two = explore(grid, with_threads(2));
  ASSERT_EQ(two.verdict, Verdict::violation);
  EXPECT_TRUE(toy::is_valid_path(grid, *two.counterexample));
  EXPECT_EQ(two.distinct_states, one.distinct_states);
  ASSERT_EQ(two.counterexample->steps.size(), one.counterexample->steps.size());
  for (std::size_t i = 0; i < one.counterexample->steps.size(); ++i) {
    ASSERT_EQ(two.counterexample->steps[i].action, one.counterexample->steps[i].action) << i;
  }
}

// States that own heap memory (ProtocolModel's worlds): the same result with any number of
// threads (their levels are expanded on one thread; docs/performance.md says why), and every
// state made is destroyed once.
TEST(Bfs, HeapOwningStatesGiveTheSameResultWithAnyThreadsAndNoLeak) {
  const long live_before = toy::HeapGrid::Counted::live.load();
  {
    toy::HeapGrid model;
    model.grid.n = 16;  // levels of up to 3 281 states
    model.grid.bad = toy::HyperGrid::State{{16, 16, 14, 3}};
    const CheckResult<toy::HeapGrid> one = explore(model, with_threads(1));
    ASSERT_EQ(one.verdict, Verdict::violation);
    EXPECT_TRUE(toy::is_valid_path(model, *one.counterexample));
    for (unsigned threads : {2u, 3u}) {
      const CheckResult<toy::HeapGrid> many = explore(model, with_threads(threads));
      ASSERT_EQ(many.verdict, Verdict::violation) << threads;
      EXPECT_EQ(many.distinct_states, one.distinct_states) << threads;
      EXPECT_EQ(many.states_generated, one.states_generated) << threads;
      ASSERT_EQ(many.counterexample->steps.size(), one.counterexample->steps.size());
      for (std::size_t i = 0; i < one.counterexample->steps.size(); ++i) {
        ASSERT_EQ(many.counterexample->steps[i].action, one.counterexample->steps[i].action);
      }
    }
    model.grid.bad.reset();  // the whole space: 17^4 states
    const CheckResult<toy::HeapGrid> all = explore(model, with_threads(2));
    EXPECT_EQ(all.verdict, Verdict::ok);
    EXPECT_EQ(all.distinct_states, 17u * 17 * 17 * 17);
  }
  EXPECT_EQ(toy::HeapGrid::Counted::live.load(), live_before);
}

// A byte per heap-owning state names the worker that allocated it, so such a search runs at
// most 256 workers, whatever it is asked for; flat states take any number.
TEST(Bfs, HeapOwningStatesUseAtMost256Workers) {
  toy::HeapGrid model;
  model.grid.n = 6;  // levels of up to 146 states: the ordered path runs
  const CheckResult<toy::HeapGrid> many = explore(model, with_threads(300));
  EXPECT_EQ(many.threads, 256u);
  EXPECT_EQ(many.verdict, Verdict::ok);
  EXPECT_EQ(many.distinct_states, 7u * 7 * 7 * 7);
}

TEST_P(BfsThreads, BlockingStateAtTheCorner) {
  Grid grid;
  grid.n = 3;
  grid.corner_terminal = false;
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  ASSERT_EQ(r.verdict, Verdict::blocking);
  EXPECT_FALSE(r.violation.has_value());
  EXPECT_EQ(r.counterexample->last(), (Cell{3, 3}));
  EXPECT_EQ(r.counterexample->states(), 7u);
  EXPECT_TRUE(toy::is_valid_path(grid, *r.counterexample));
  EXPECT_EQ(r.distinct_states, 16u);
  EXPECT_EQ(r.states_generated, 25u);
}

TEST_P(BfsThreads, BlockingDeadEnd) {
  Grid grid;
  grid.n = 3;
  grid.dead_end = Cell{1, 0};
  const CheckResult<Grid> r = explore(grid, with_threads(GetParam()));
  ASSERT_EQ(r.verdict, Verdict::blocking);
  EXPECT_EQ(r.counterexample->states(), 2u);
  EXPECT_EQ(r.counterexample->last(), (Cell{1, 0}));
  EXPECT_EQ(r.depth, 2u);
  // Level 2 is expanded to the end: (0, 1) yields (1, 1) and (0, 2).
  EXPECT_EQ(r.distinct_states, 5u);
  EXPECT_EQ(r.states_generated, 5u);
}

TEST_P(BfsThreads, StoreStatesGivesTheSameCounts) {
  const Tangle tangle;
  CheckOptions options = with_threads(GetParam());
  const CheckResult<Tangle> by_fingerprint = explore(tangle, options);
  options.store_states = true;
  const CheckResult<Tangle> stored = explore(tangle, options);
  EXPECT_EQ(stored.distinct_states, by_fingerprint.distinct_states);
  EXPECT_EQ(stored.states_generated, by_fingerprint.states_generated);
  EXPECT_EQ(stored.depth, by_fingerprint.depth);
  EXPECT_TRUE(stored.store_states);
  EXPECT_EQ(stored.collision_probability, 0.0);
}

TEST_P(BfsThreads, StoreStatesSurvivesFingerprintCollisions) {
  Grid grid;
  grid.n = 3;
  grid.weak_fingerprint = true;  // fingerprint x + y: one per anti-diagonal
  CheckOptions options = with_threads(GetParam());
  const CheckResult<Grid> collided = explore(grid, options);
  EXPECT_EQ(collided.distinct_states, 7u);
  EXPECT_EQ(collided.states_generated, 10u);
  options.store_states = true;
  const CheckResult<Grid> stored = explore(grid, options);
  EXPECT_EQ(stored.distinct_states, 16u);
  EXPECT_EQ(stored.states_generated, 25u);
  EXPECT_EQ(stored.depth, 7u);
}

TEST(Bfs, EmptyModel) {
  struct Empty : Tangle {
    std::vector<State> initial_states() const { return {}; }
  };
  const CheckResult<Empty> r = explore(Empty{});
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.distinct_states, 0u);
  EXPECT_EQ(r.depth, 0u);
}

TEST(Bfs, DuplicateInitialStatesCountAsGenerated) {
  const CheckResult<Tangle> r = explore(Tangle{.m = 7});
  const toy::ReferenceCounts expected = toy::reference_bfs(Tangle{.m = 7});
  EXPECT_EQ(r.distinct_states, expected.distinct);
  EXPECT_EQ(r.states_generated, expected.generated);
}

TEST(Bfs, SummaryReadsLikeTlc) {
  Grid grid;
  const CheckResult<Grid> r = explore(grid);
  const std::string text = format_summary(r);
  EXPECT_NE(text.find("25 states generated, 16 distinct states found, 0 states left on queue."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("The depth of the complete state graph search is 7."), std::string::npos);
  EXPECT_NE(text.find("probability of a collision"), std::string::npos);
}

TEST(CollisionProbability, OptimisticEstimate) {
  EXPECT_EQ(collision_probability(10, 10), 0.0);
  EXPECT_DOUBLE_EQ(collision_probability(1'000'000, 3'000'000), 1e6 * 2e6 / 18446744073709551616.0);
}

}  // namespace
}  // namespace txsim::check
