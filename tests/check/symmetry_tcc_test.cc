// Symmetry reduction for TCC (`check.symmetry`, sim/check/symmetry.h; protocols/tcc/rename.cc):
// the TM stays fixed (it receives the requests), branches with the same accounts and transfers
// are interchangeable; TCC's hooks make its handlers commute with renaming, including the retry
// timers that name their branch by slot; and the reduction is exact (the distinct-state count
// with symmetry is the number of orbits of the unreduced space, by brute force) with the same
// verdict.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/tcc/tcc.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "tests/check/symmetry_helpers.h"

namespace txsim::check::symmetry_test {
namespace {

using ModelTcc = ProtocolModel<Tcc>;

// The TM C and `n` branches with an account `a` of 100 each; t1 takes 10 from each.
std::string withdraw_all(int n, const std::string& opts = "{}", const std::string& extra = "") {
  return withdraw_all_text("tcc", n, opts, extra);
}

ModelTcc model_of(const Scenario& sc, CheckSpec spec) {
  return ModelTcc(sc, Tcc(sc, sc.options.at("tcc")), std::move(spec),
                  ProtocolModelOptions{.check_blocking = false});
}

TEST(TccSymmetryClasses, BranchesAlikeAreOneClassTheTmStaysFixed) {
  const Scenario sc = load(withdraw_all(3));
  const ModelTcc m = model_of(sc, spec_of(0, true));
  ASSERT_TRUE(m.symmetry().active());
  EXPECT_EQ(m.symmetry().classes().describe(sc), "{P1, P2, P3}");
  EXPECT_EQ(m.symmetry().renaming_count(), 6u);
}

// A retry timer names its branch by slot (its index among t1's branches): swapping P1 and P3
// swaps slots 0 and 2 and keeps slot 1; the Try timeout names no branch.
TEST(TccRenaming, RetryTimersMoveToTheSlotOfTheRenamedBranch) {
  const Scenario sc = load(withdraw_all(3));
  const Tcc p(sc, sc.options.at("tcc"));
  NodeRenaming swap13{{0, 3, 2, 1}, {2, 1, 0}};  // accounts: P1.a = 0, P2.a = 1, P3.a = 2
  using tcc::TimerKind;
  EXPECT_EQ(p.renamed_timer(tcc::timer_id(TimerKind::retry, 0, 0), swap13),
            tcc::timer_id(TimerKind::retry, 0, 2));
  EXPECT_EQ(p.renamed_timer(tcc::timer_id(TimerKind::retry, 0, 1), swap13),
            tcc::timer_id(TimerKind::retry, 0, 1));
  EXPECT_EQ(p.renamed_timer(tcc::timer_id(TimerKind::retry, 0, 2), swap13),
            tcc::timer_id(TimerKind::retry, 0, 0));
  EXPECT_EQ(p.renamed_timer(tcc::timer_id(TimerKind::try_timeout, 0), swap13),
            tcc::timer_id(TimerKind::try_timeout, 0));
}

// Without crashes inside handlers every step commutes with renaming: the successors of a
// renamed world are the renamed successors of the world. Asynchronous timers fire at any time,
// so the TM re-sends to each branch from its per-slot retry timer; a duplicate exercises the
// barrier on any branch; with transient errors the TM keeps a backoff per outstanding branch.
void expect_commutes(const std::string& text, CheckSpec faults, std::size_t stride) {
  const Scenario sc = load(text);
  faults.symmetry = true;
  const ModelTcc m = model_of(sc, faults);
  ASSERT_TRUE(m.symmetry().active());
  faults.symmetry = false;
  const auto worlds = reachable(model_of(sc, faults));
  ASSERT_GT(worlds.size(), 10000u);
  EXPECT_GT(expect_successors_commute(m, worlds, stride), 0u);  // renaming changes worlds
}

TEST(TccRenaming, SuccessorsOfARenamedWorldAreTheRenamedSuccessors) {
  CheckSpec duplicate = spec_of(0, true);
  duplicate.duplicates = 1;
  expect_commutes(withdraw_all(3), duplicate, 7);
  expect_commutes(withdraw_all(2, "{transient_errors: true}"), spec_of(0, true), 5);
}

// With one crash anywhere (also in the middle of a broadcast: see docs/checker.md, "A caveat")
// every orbit of the reachable space is found, and nothing else: exact, same verdict.
TEST(TccSymmetry, DistinctStatesWithSymmetryAreExactlyTheOrbits) {
  const Scenario sc = load(withdraw_all(3));
  const ModelTcc plain = model_of(sc, spec_of(1, false));
  const ModelTcc sym = model_of(sc, spec_of(1, true));
  const auto [worlds, orbit_count] = expect_exact_orbits(plain, sym);
  EXPECT_EQ(worlds, 15059u);  // pinned: docs/checker.md quotes them
  EXPECT_EQ(orbit_count, 3223u);
  EXPECT_LT(orbit_count * 3, worlds);
  EXPECT_GE(orbit_count * 6, worlds);  // at most 3! per orbit
  EXPECT_EQ(run(sym, 2).distinct_states, orbit_count);
  EXPECT_EQ(run(sym, 1, true).distinct_states, orbit_count);
}

// Without the barrier's idempotency a duplicated Confirm spends twice: found with and without
// symmetry, at the same depth.
TEST(TccSymmetry, BrokenBarrierFindsTheSameViolation) {
  const Scenario sc = load(withdraw_all(2, "{idempotency: false}"));
  CheckSpec spec = spec_of(0, false);
  spec.duplicates = 1;
  const auto a = run(model_of(sc, spec));
  spec.symmetry = true;
  const auto b = run(model_of(sc, spec));
  ASSERT_EQ(a.verdict, Verdict::violation);
  ASSERT_EQ(b.verdict, Verdict::violation);
  EXPECT_EQ(b.violation->invariant, a.violation->invariant);
  EXPECT_EQ(b.depth, a.depth);
}

TEST(TccSymmetry, ScenarioFileReportsClassesAndFewerStates) {
  Scenario sc = load_file("scenarios/tcc/check-symmetry-three-branches.yaml");
  ASSERT_TRUE(sc.check.symmetry);
  auto with = check_protocol<Tcc>(sc, CheckOptions{});
  ASSERT_TRUE(with.ok()) << with.error().message;
  EXPECT_EQ(with->verdict(), "ok");
  EXPECT_NE(with->symmetry.find("{P1, P2, P3}"), std::string::npos) << with->symmetry;
  sc.check.symmetry = false;
  auto without = check_protocol<Tcc>(sc, CheckOptions{});
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->verdict(), "ok");
  EXPECT_EQ(with->stats.distinct_states, 3223u);
  EXPECT_EQ(with->stats.states_generated, 13988u);
  EXPECT_EQ(without->stats.distinct_states, 15059u);
  EXPECT_EQ(without->stats.states_generated, 66550u);
}

}  // namespace
}  // namespace txsim::check::symmetry_test
