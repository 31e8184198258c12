// Symmetry reduction for protocol models (`check.symmetry`, sim/check/symmetry.h): which nodes
// are interchangeable, that 2PC's renaming hooks make its handlers commute with renaming, and
// that the reduction is exact: the distinct-state count with symmetry equals the number of
// orbits of the unreduced space (computed by brute force), with the same verdict and real,
// replayable counterexamples.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "protocols/saga/saga.h"
#include "protocols/two_phase/two_phase.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/check/protocol_replay.h"
#include "tests/check/symmetry_helpers.h"

namespace txsim::check::symmetry_test {
namespace {

using Model2pc = ProtocolModel<TwoPhase>;

// `n` participants with an account `a` of 100 each; t1 takes 10 from each. `extra` is appended.
std::string withdraw_all(int n, const std::string& extra = "", const std::string& opts = "{}") {
  return withdraw_all_text("two_phase", n, opts, extra);
}

Model2pc model_of(const Scenario& sc, CheckSpec spec, bool blocking = false) {
  return Model2pc(sc, TwoPhase(sc, sc.options.at("two_phase")), std::move(spec),
                  ProtocolModelOptions{blocking});
}

// --- which nodes are interchangeable -------------------------------------------------------

TEST(SymmetryClasses, SameRoleAccountsAndTransfersMakeOneClassTheCoordinatorStaysFixed) {
  const Scenario sc = load(withdraw_all(3));
  const SymmetryClasses c = symmetry_classes(sc);
  ASSERT_EQ(c.classes.size(), 1u);
  EXPECT_EQ(c.classes[0], (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(c.describe(sc), "{P1, P2, P3}");
  EXPECT_EQ(c.renamings(sc.nodes.size(), sc.accounts.size()).size(), 6u);
  EXPECT_TRUE(c.renamings(sc.nodes.size(), sc.accounts.size()).front().identity());
}

TEST(SymmetryClasses, DifferentBalancesAmountsVotesOrFaultScriptsBreakSymmetry) {
  // The pinned 2PC scenario: different balances and amounts, nobody is interchangeable.
  const Scenario asym = load(
      "name: a\nprotocols: [two_phase]\nnodes: {coordinator: C, participants: [P1, P2]}\n"
      "accounts: {P1: {a: 100}, P2: {b: 50}}\nworkload:\n  transactions:\n    - id: t1\n"
      "      transfers:\n        - {at: P1, account: a, amount: -10}\n"
      "        - {at: P2, account: b, amount: 10}\n");
  EXPECT_TRUE(symmetry_classes(asym).empty());
  std::string amounts = withdraw_all(3);
  amounts.replace(amounts.rfind("-10"), 3, "-20");  // P3 withdraws more
  EXPECT_EQ(symmetry_classes(load(amounts)).describe(load(amounts)), "{P1, P2}");
  // A fault script naming P2 singles it out.
  const Scenario scripted = load(withdraw_all(3, "faults:\n  - when: {at: 5ms}\n    crash: P2\n"));
  EXPECT_EQ(symmetry_classes(scripted).describe(scripted), "{P1, P3}");
  // An allowed partition that separates P1 from the others is kept only by renamings fixing P1.
  const Scenario parts =
      load(withdraw_all(3, "check: {partitions: 1, partitions_allowed: [[[P1], [C, P2, P3]]]}\n"));
  EXPECT_EQ(symmetry_classes(parts).describe(parts), "{P2, P3}");
  // The caller's own test (ProtocolModel: request targets) refines further.
  EXPECT_TRUE(
      symmetry_classes(load(withdraw_all(2)), [](NodeId, NodeId) { return false; }).empty());
}

// --- 2PC's hooks: handlers commute with renaming --------------------------------------------

// Without crashes inside handlers every step commutes with renaming. (A crash in the middle of
// a broadcast does not: the cut keeps a prefix of the sends in participant order, so P1 always
// hears first; see docs/checker.md "Symmetry reduction" for what that means for exactness.)
TEST(TwoPhaseRenaming, SuccessorsOfARenamedWorldAreTheRenamedSuccessors) {
  const Scenario sc = load(withdraw_all(3));
  CheckSpec faults = spec_of(0, true);
  faults.drops = 1;
  faults.duplicates = 1;
  const Model2pc m = model_of(sc, faults);
  ASSERT_TRUE(m.symmetry().active());
  faults.symmetry = false;
  const auto worlds = reachable(model_of(sc, faults));
  ASSERT_GT(worlds.size(), 1000u);
  const std::size_t moved = expect_successors_commute(m, worlds, 23);  // a sample: quick
  EXPECT_GT(moved, 0u);  // renaming really changes worlds
}

// --- the reduction: exact, same verdicts, real counterexamples ------------------------------

TEST(TwoPhaseSymmetry, DistinctStatesWithSymmetryAreExactlyTheOrbits) {
  const Scenario sc = load(withdraw_all(3));
  const Model2pc plain = model_of(sc, spec_of(1, false));
  const Model2pc sym = model_of(sc, spec_of(1, true));
  const auto [worlds, orbit_count] = expect_exact_orbits(plain, sym);
  EXPECT_LT(orbit_count, worlds);
  EXPECT_GE(orbit_count * 6, worlds);  // at most 3! renamings per orbit
  // The same with 2 threads and with full states stored (canonical() compared in full).
  EXPECT_EQ(run(sym, 2).distinct_states, orbit_count);
  EXPECT_EQ(run(sym, 1, true).distinct_states, orbit_count);
}

TEST(TwoPhaseSymmetry, AsymmetricScenarioIsUnchanged) {
  std::string text = withdraw_all(2);
  text.replace(text.rfind("-10"), 3, "10");
  const Scenario sc = load(text);
  const Model2pc sym = model_of(sc, spec_of(0, true));
  EXPECT_FALSE(sym.symmetry().active());
  EXPECT_EQ(run(sym).distinct_states, run(model_of(sc, spec_of(0, false))).distinct_states);
}

TEST(TwoPhaseSymmetry, BrokenVariantFindsTheSameViolationAndItsTraceReplays) {
  const Scenario sc = load(withdraw_all(2, "", "{log_before_send: false}"));
  const Model2pc plain = model_of(sc, spec_of(1, false));
  const Model2pc sym = model_of(sc, spec_of(1, true));
  const auto a = run(plain);
  const auto b = run(sym);
  ASSERT_EQ(a.verdict, Verdict::violation);
  ASSERT_EQ(b.verdict, Verdict::violation);
  EXPECT_EQ(b.violation->invariant, a.violation->invariant);
  EXPECT_EQ(b.depth, a.depth);  // BFS: the shortest counterexample is as short
  ASSERT_TRUE(b.counterexample.has_value());
  // The path is real: every step an enabled action of the real (unrenamed) predecessor, and
  // the simulator re-executes it to the same violation.
  std::vector<Action> schedule;
  for (const auto& s : b.counterexample->steps) schedule.push_back(s.action);
  auto replayed = replay_schedule(sym, schedule, nullptr);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  ASSERT_TRUE(replayed->violation.has_value());
  EXPECT_EQ(replayed->violation->invariant, b.violation->invariant);
}

TEST(TwoPhaseSymmetry, SyncScenarioFileReportsClassesAndFewerStates) {
  const std::string file =
      std::string(TXSIM_SOURCE_DIR) + "/scenarios/two_phase/check-sync-one-crash-symmetry.yaml";
  Result<Scenario> sc = load_scenario_file(file, registry_context());
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  ASSERT_TRUE(sc->check.symmetry);
  CheckOptions opt;
  auto with = check_protocol<TwoPhase>(*sc, opt);
  ASSERT_TRUE(with.ok()) << with.error().message;
  EXPECT_EQ(with->verdict(), "ok");
  EXPECT_NE(with->symmetry.find("{P1, P2, P3}"), std::string::npos) << with->symmetry;
  EXPECT_NE(format_report(*with).find("Symmetry: interchangeable nodes {P1, P2, P3}"),
            std::string::npos);
  Scenario off = *sc;
  off.check.symmetry = false;
  auto without = check_protocol<TwoPhase>(off, opt);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->verdict(), "ok");
  EXPECT_TRUE(without->symmetry.empty());
  EXPECT_LT(with->stats.distinct_states, without->stats.distinct_states);
}

// The file `txsim check` refuses in tests/CMakeLists.txt (cli/check-symmetry-not-offered).
TEST(TwoPhaseSymmetry, AProtocolWithoutTheHookIsRefusedAtTheKey) {
  static_assert(!RenamesNodes<Saga>);
  const Scenario sc = load_file("tests/data/cli/symmetry-not-offered.yaml");
  auto r = check_protocol<Saga>(sc, CheckOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symmetry-not-offered.yaml:30:3: error: key 'check.symmetry'"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("protocol saga"), std::string::npos);
}

}  // namespace
}  // namespace txsim::check::symmetry_test
