// Symmetry reduction for protocol models (`check.symmetry`, sim/check/symmetry.h): which nodes
// are interchangeable, that 2PC's renaming hooks make its handlers commute with renaming, and
// that the reduction is exact: the distinct-state count with symmetry equals the number of
// orbits of the unreduced space (computed by brute force), with the same verdict and real,
// replayable counterexamples.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/registry.h"
#include "protocols/three_phase/three_phase.h"
#include "protocols/two_phase/two_phase.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/check/protocol_replay.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace txsim::check {
namespace {

using Model2pc = ProtocolModel<TwoPhase>;

LoadContext registry_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

Scenario load(const std::string& text, const std::string& file = "sym.yaml") {
  Result<Scenario> sc = load_scenario_text(text, file, registry_context());
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

// `n` participants with an account `a` of 100 each; t1 takes 10 from each. `extra` is appended.
std::string withdraw_all(int n, const std::string& extra = "", const std::string& opts = "{}") {
  std::string names, accounts, transfers;
  for (int i = 1; i <= n; ++i) {
    const std::string p = "P" + std::to_string(i);
    names += (i > 1 ? ", " : "") + p;
    accounts += (i > 1 ? ", " : "") + p + ": {a: 100}";
    transfers += "        - {at: " + p + ", account: a, amount: -10}\n";
  }
  return "name: sym\nprotocols: [two_phase]\nnodes: {coordinator: C, participants: [" + names +
         "]}\naccounts: {" + accounts + "}\nworkload:\n  transactions:\n    - id: t1\n" +
         "      transfers:\n" + transfers + "options: {two_phase: " + opts + "}\n" + extra;
}

Model2pc model_of(const Scenario& sc, CheckSpec spec, bool blocking = false) {
  return Model2pc(sc, TwoPhase(sc, sc.options.at("two_phase")), std::move(spec),
                  ProtocolModelOptions{blocking});
}

CheckSpec spec_of(std::uint32_t crashes, bool symmetry) {
  CheckSpec s;
  s.crashes = crashes;
  s.symmetry = symmetry;
  return s;
}

// Every reachable world, compared in full (no fingerprint shortcuts): the brute-force side.
std::vector<World<TwoPhase>> reachable(const Model2pc& m) {
  std::vector<World<TwoPhase>> all;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_fp;
  auto add = [&](World<TwoPhase>&& w) {
    auto& bucket = by_fp[world_fingerprint(m.protocol(), w)];
    for (std::size_t i : bucket)
      if (all[i] == w) return;
    bucket.push_back(all.size());
    all.push_back(std::move(w));
  };
  for (auto& w : m.initial_states()) add(std::move(w));
  for (std::size_t i = 0; i < all.size(); ++i) {
    const World<TwoPhase> w = all[i];
    m.successors(w, [&](const Action&, World<TwoPhase>&& next) { add(std::move(next)); });
  }
  return all;
}

// Distinct canonical worlds among `worlds`, compared in full.
std::size_t orbits(const Model2pc& sym, const std::vector<World<TwoPhase>>& worlds) {
  std::vector<World<TwoPhase>> reps;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_fp;
  for (const auto& w : worlds) {
    World<TwoPhase> c = sym.canonical(w);
    auto& bucket = by_fp[world_fingerprint(sym.protocol(), c)];
    if (std::none_of(bucket.begin(), bucket.end(), [&](std::size_t i) { return reps[i] == c; })) {
      bucket.push_back(reps.size());
      reps.push_back(std::move(c));
    }
  }
  return reps.size();
}

CheckResult<Model2pc> run(const Model2pc& m, unsigned threads = 1, bool store = false) {
  CheckOptions opt;
  opt.threads = threads;
  opt.store_states = store;
  return explore(m, opt);
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
  const Scenario scripted = load(withdraw_all(
      3, "faults:\n  - when: {at: 5ms}\n    crash: P2\n"));
  EXPECT_EQ(symmetry_classes(scripted).describe(scripted), "{P1, P3}");
  // An allowed partition that separates P1 from the others is kept only by renamings fixing P1.
  const Scenario parts = load(withdraw_all(
      3, "check: {partitions: 1, partitions_allowed: [[[P1], [C, P2, P3]]]}\n"));
  EXPECT_EQ(symmetry_classes(parts).describe(parts), "{P2, P3}");
  // The caller's own test (ProtocolModel: request targets) refines further.
  EXPECT_TRUE(symmetry_classes(load(withdraw_all(2)), [](NodeId, NodeId) { return false; })
                  .empty());
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
  const TwoPhase& p = m.protocol();
  faults.symmetry = false;
  const auto worlds = reachable(model_of(sc, faults));
  ASSERT_GT(worlds.size(), 1000u);
  std::size_t moved = 0;
  for (std::size_t i = 0; i < worlds.size(); i += 23) {  // a sample keeps it quick
    const auto& w = worlds[i];
    for (const NodeRenaming& r : m.symmetry().renamings()) {
      const World<TwoPhase> rw = m.symmetry().renamed(p, w, r);
      if (!(rw == w)) ++moved;
      EXPECT_EQ(m.fingerprint(rw), m.fingerprint(w));
      EXPECT_EQ(world_fingerprint(p, m.canonical(w)), m.fingerprint(w));
      std::vector<std::uint64_t> a, b;
      m.successors(rw, [&](const Action&, World<TwoPhase>&& x) {
        a.push_back(world_fingerprint(p, x));
      });
      m.successors(w, [&](const Action&, World<TwoPhase>&& x) {
        b.push_back(world_fingerprint(p, m.symmetry().renamed(p, x, r)));
      });
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      ASSERT_EQ(a, b) << "world " << i << ": " << m.describe_state(w);
      EXPECT_EQ(m.check_invariants(rw).has_value(), m.check_invariants(w).has_value());
    }
  }
  EXPECT_GT(moved, 0u);  // renaming really changes worlds
}

// --- the reduction: exact, same verdicts, real counterexamples ------------------------------

TEST(TwoPhaseSymmetry, DistinctStatesWithSymmetryAreExactlyTheOrbits) {
  const Scenario sc = load(withdraw_all(3));
  const Model2pc plain = model_of(sc, spec_of(1, false));
  const Model2pc sym = model_of(sc, spec_of(1, true));
  const auto all = reachable(plain);
  const std::size_t orbit_count = orbits(sym, all);
  const auto full = run(plain);
  const auto reduced = run(sym);
  EXPECT_EQ(full.verdict, Verdict::ok);
  EXPECT_EQ(reduced.verdict, Verdict::ok);
  EXPECT_EQ(full.distinct_states, all.size());
  EXPECT_EQ(reduced.distinct_states, orbit_count);
  EXPECT_LT(reduced.distinct_states, full.distinct_states);
  // At most 3! renamings per orbit, so at least a sixth of the worlds.
  EXPECT_GE(reduced.distinct_states * 6, full.distinct_states);
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

TEST(TwoPhaseSymmetry, AProtocolWithoutTheHookIsRefusedAtTheKey) {
  static_assert(!RenamesNodes<ThreePhase>);
  std::string text = withdraw_all(2, "check:\n  crashes: 1\n  symmetry: true\n");
  text.replace(text.find("[two_phase]"), 11, "[three_phase]");
  text.replace(text.find("options: {two_phase: {}}\n"), 25, "");
  const Scenario sc = load(text, "tp.yaml");
  auto r = check_protocol<ThreePhase>(sc, CheckOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tp.yaml:13:3: error: key 'check.symmetry'"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("three_phase"), std::string::npos);
}

}  // namespace
}  // namespace txsim::check
