// The saga graph: counts of the execution graph pinned against closed forms for linear sagas
// of n = 1..8 steps and for a diamond; Boost's cycle detection and reachability behind the
// validation rules; a mis-ordered pivot reported with its path to an unrecoverable state.
#include <gtest/gtest.h>

#include "sim/saga_explore.h"
#include "sim/saga_graph.h"

namespace txsim {
namespace {

SagaStep make_step(std::string name, SagaStepKind kind, std::vector<std::size_t> after) {
  SagaStep s;
  s.name = std::move(name);
  s.kind = kind;
  s.after = std::move(after);
  s.service = NodeId(0);
  s.compensable = kind == SagaStepKind::compensatable;
  return s;
}

// T1..Tn; steps 1..k-1 compensatable, step k the pivot (k = 0: none), the rest retriable.
SagaDef linear(std::size_t n, std::size_t pivot = 0) {
  SagaDef d;
  d.name = "linear";
  for (std::size_t i = 1; i <= n; ++i) {
    SagaStepKind kind = SagaStepKind::compensatable;
    if (pivot != 0 && i == pivot) kind = SagaStepKind::pivot;
    if (pivot != 0 && i > pivot) kind = SagaStepKind::retriable;
    std::vector<std::size_t> after;
    if (i > 1) after.push_back(i - 2);
    d.steps.push_back(make_step("T" + std::to_string(i), kind, after));
  }
  return d;
}

SagaDef diamond() {
  SagaDef d;
  d.name = "diamond";
  d.steps.push_back(make_step("A", SagaStepKind::compensatable, {}));
  d.steps.push_back(make_step("B", SagaStepKind::compensatable, {0}));
  d.steps.push_back(make_step("C", SagaStepKind::compensatable, {0}));
  d.steps.push_back(make_step("D", SagaStepKind::compensatable, {1, 2}));
  return d;
}

// Linear, all compensatable, failed step not compensated: the forward states 0..n done, and for
// a failure at Ti the states "Ti failed" plus one per compensation Ci-1..C1 (i of them):
//   states = (n+1) + n(n+1)/2 = (n+1)(n+2)/2, paths = n+1, failure points = n,
//   transitions = n + sum_i (1 + (i-1)) = n + n(n+1)/2.
// Compensating the failed step adds one state and one transition per failure point.
TEST(SagaExplore, LinearSagasMatchTheClosedForms) {
  for (std::size_t n = 1; n <= 8; ++n) {
    const SagaDef d = linear(n);
    const SagaGraph g(d);
    for (bool comp : {false, true}) {
      const SagaExploration x = explore_saga(d, g, comp);
      SCOPED_TRACE("n=" + std::to_string(n) + (comp ? " compensate_failed" : ""));
      EXPECT_EQ(x.states.size(), (n + 1) * (n + 2) / 2 + (comp ? n : 0));
      EXPECT_EQ(x.edges.size(), n + n * (n + 1) / 2 + (comp ? n : 0));
      EXPECT_EQ(x.paths, n + 1);
      EXPECT_EQ(x.failure_points, n);
      EXPECT_EQ(x.terminals.size(), n + 1);
      EXPECT_TRUE(x.unrecoverable.empty());
      EXPECT_FALSE(x.truncated);
    }
  }
}

// With the pivot at step k only T1..Tk can fail: states = (n+1) + k(k+1)/2, paths = k+1.
TEST(SagaExplore, APivotEndsTheFailurePoints) {
  for (std::size_t n = 1; n <= 8; ++n) {
    for (std::size_t k = 1; k <= n; ++k) {
      const SagaDef d = linear(n, k);
      const SagaExploration x = explore_saga(d, SagaGraph(d), false);
      SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k));
      EXPECT_EQ(x.states.size(), (n + 1) + k * (k + 1) / 2);
      EXPECT_EQ(x.paths, k + 1);
      EXPECT_EQ(x.failure_points, k);
      EXPECT_TRUE(x.unrecoverable.empty());
    }
  }
}

// A -> {B, C} -> D: 6 forward states; failures at A (1 state), B or C after A (2 each), C after
// AB or B after AC (3 each), D (5: the compensations of B and C interleave) = 22 states;
// paths 2 + 1 + 1 + 1 + 1 + 1 + 4 = 11; 6 failure points; 7 terminal states.
TEST(SagaExplore, DiamondInterleavesItsBranches) {
  const SagaDef d = diamond();
  const SagaGraph g(d);
  EXPECT_EQ(g.order().front(), 0u);
  EXPECT_EQ(g.order().back(), 3u);
  EXPECT_TRUE(g.reaches(0, 3));
  EXPECT_FALSE(g.reaches(1, 2));
  const SagaExploration x = explore_saga(d, g, false);
  EXPECT_EQ(x.states.size(), 22u);
  EXPECT_EQ(x.paths, 11u);
  EXPECT_EQ(x.failure_points, 6u);
  EXPECT_EQ(x.terminals.size(), 7u);
  EXPECT_TRUE(x.unrecoverable.empty());
  EXPECT_EQ(saga_paths(x, 100).size(), 11u);
}

TEST(SagaGraphRules, ACycleIsFoundWithItsSteps) {
  SagaDef d = diamond();
  d.steps[0].after = {3};  // A after D
  const SagaGraph g(d);
  const auto c = g.cycle();
  ASSERT_FALSE(c.empty());
  const auto problems = saga_problems(d, g);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("form a cycle"), std::string::npos);
}

// A -> P -> C: a compensatable step after the pivot. The loader refuses it; explored anyway,
// the graph shows why: C fails after P, P cannot be undone, and A waits behind P for ever.
TEST(SagaGraphRules, AMisorderedPivotIsReportedWithItsPath) {
  SagaDef d;
  d.name = "misordered";
  d.steps.push_back(make_step("A", SagaStepKind::compensatable, {}));
  d.steps.push_back(make_step("P", SagaStepKind::pivot, {0}));
  d.steps.push_back(make_step("C", SagaStepKind::compensatable, {1}));
  const SagaGraph g(d);
  const auto problems = saga_problems(d, g);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].step, 2u);
  EXPECT_NE(problems[0].message.find("can run after the pivot 'P'"), std::string::npos);
  const SagaExploration x = explore_saga(d, g, false);
  ASSERT_EQ(x.unrecoverable.size(), 1u);
  std::vector<std::string> path;
  for (std::size_t e : x.shortest_bad_path) path.push_back(describe_edge(d, x.edges[e]));
  EXPECT_EQ(path, (std::vector<std::string>{"A done", "P done", "C fails"}));
  EXPECT_EQ(describe_state(d, x.states[x.unrecoverable[0]]), "A done, P done, C failed");
}

TEST(SagaGraphRules, StepsWithoutCompensationAndSecondPivots) {
  SagaDef d = linear(3, 2);
  d.steps[0].compensable = false;  // a compensatable step that cannot be undone
  d.steps[2].kind = SagaStepKind::pivot;  // a second pivot after the first
  const auto problems = saga_problems(d, SagaGraph(d));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].message.find("has no compensation"), std::string::npos);
  EXPECT_NE(problems[1].message.find("second pivot"), std::string::npos);
}

}  // namespace
}  // namespace txsim
