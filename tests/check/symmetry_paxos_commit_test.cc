// Symmetry reduction for Paxos Commit (`check.symmetry`, sim/check/symmetry.h;
// protocols/paxos_commit/rename.cc): acceptors are always interchangeable, RMs only when no RM
// can take over (RM ballots are ordered by node id); renaming RMs permutes the consensus
// instances and renaming acceptors the bits of acceptor masks; handlers commute with that;
// and the reduction is exact (distinct states with symmetry = orbits of the unreduced space,
// by brute force) with the same verdict.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/paxos_commit/paxos_commit.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "tests/check/symmetry_helpers.h"

namespace txsim::check::symmetry_test {
namespace {

using ModelPc = ProtocolModel<PaxosCommit>;
using paxos_commit::Value;

// The leader C, RMs P1, P2 with an account `a` of 100 each (t1 takes 10 from each) and
// acceptors A1..A3.
std::string withdraw_both(const std::string& opts, const std::string& extra = "") {
  return "name: sym\nprotocols: [paxos_commit]\n"
         "nodes: {coordinator: C, participants: [P1, P2], acceptors: [A1, A2, A3]}\n"
         "accounts: {P1: {a: 100}, P2: {a: 100}}\nworkload:\n  transactions:\n    - id: t1\n"
         "      transfers:\n        - {at: P1, account: a, amount: -10}\n"
         "        - {at: P2, account: a, amount: -10}\n"
         "options: {paxos_commit: " +
         opts + "}\n" + extra;
}

ModelPc model_of(const Scenario& sc, CheckSpec spec) {
  return ModelPc(sc, PaxosCommit(sc, sc.options.at("paxos_commit")), std::move(spec),
                 ProtocolModelOptions{.check_blocking = false});
}

CheckSpec sync_spec(std::uint32_t crashes, bool symmetry) {
  CheckSpec s = spec_of(crashes, symmetry);
  s.timeouts = TimeoutModel::synchronous;
  return s;
}

std::string classes_of(const std::string& opts) {
  const Scenario sc = load(withdraw_both(opts));
  return model_of(sc, spec_of(0, true)).symmetry().classes().describe(sc);
}

TEST(PaxosCommitSymmetryClasses, AcceptorsAlwaysRmsOnlyWhenNoRmCanTakeOver) {
  EXPECT_EQ(classes_of("{}"), "{A1, A2, A3}");  // rm_takeover: RM ballots order the RMs
  EXPECT_EQ(classes_of("{rm_takeover: false}"), "{P1, P2} {A1, A2, A3}");
  EXPECT_EQ(classes_of("{max_round: 0}"), "{P1, P2} {A1, A2, A3}");  // nobody takes over
}

// Swapping P1 and P2 swaps instances 0 and 1 of t1; swapping A1 and A3 swaps mask bits 0 and 2.
TEST(PaxosCommitRenaming, InstancesAndAcceptorBitsMoveWithTheirNodes) {
  const Scenario sc = load(withdraw_both("{rm_takeover: false}"));
  const PaxosCommit p(sc, sc.options.at("paxos_commit"));
  ASSERT_EQ(sc.node_by_name("P1"), NodeId{1});
  ASSERT_EQ(sc.node_by_name("A1"), NodeId{3});
  const NodeRenaming r{{0, 2, 1, 5, 4, 3}, {1, 0}};  // C P1 P2 A1 A2 A3; P1.a P2.a
  paxos_commit::State s = p.init(3);                 // A1
  s.durable.acceptor.push_back({0, 0, {}});
  s.durable.acceptor[0].accepted[0] = {0, Value::prepared};
  s.vol.leading.push_back({0});
  s.vol.leading[0].promised = 0b011;                       // A1, A2
  s.vol.leading[0].learn[1] = {6, 0b001, Value::aborted};  // C's ballot
  s.vol.leading[0].chosen[0] = Value::prepared;
  const paxos_commit::State t = p.renamed(s, r);
  EXPECT_EQ(t.node, 5u);
  EXPECT_EQ(t.durable.acceptor[0].accepted[0].val, Value::none);
  EXPECT_EQ(t.durable.acceptor[0].accepted[1].val, Value::prepared);
  EXPECT_EQ(t.vol.leading[0].promised, 0b110);  // A3, A2
  EXPECT_EQ(t.vol.leading[0].learn[0], (paxos_commit::Learn{6, 0b100, Value::aborted}));
  EXPECT_EQ(t.vol.leading[0].chosen[1], Value::prepared);
  EXPECT_EQ(t.vol.leading[0].chosen[0], Value::none);
  EXPECT_EQ(p.renamed(t, r), s);  // a swap is its own inverse
  paxos_commit::Phase2a vote{0, 0, {}};
  vote.values[1] = Value::aborted;
  const auto m = std::get<paxos_commit::Phase2a>(p.renamed(paxos_commit::Msg{vote}, r));
  EXPECT_EQ(m.values[0], Value::aborted);
  EXPECT_EQ(m.values[1], Value::none);
}

// Without crashes inside handlers every step commutes with renaming. Synchronous timing with a
// lost and a duplicated message: the fast path (ballot 0) with every RM and acceptor renamed,
// all of it. Asynchronous timing: premature timeouts start higher ballots (the leader's, and
// with rm_takeover the RMs', whose acceptors are renamed); too many to list, so sampled along
// random paths.
TEST(PaxosCommitRenaming, SuccessorsOfARenamedWorldAreTheRenamedSuccessors) {
  const Scenario fast = load(withdraw_both("{rm_takeover: false, max_round: 1}"));
  CheckSpec lossy = sync_spec(0, true);
  lossy.drops = 1;
  lossy.duplicates = 1;
  const ModelPc m = model_of(fast, lossy);
  ASSERT_EQ(m.symmetry().renaming_count(), 12u);
  lossy.symmetry = false;
  const auto worlds = reachable(model_of(fast, lossy));
  ASSERT_GT(worlds.size(), 10000u);
  EXPECT_GT(expect_successors_commute(m, worlds, 13), 0u);
  for (const char* opts : {"{rm_takeover: false, max_round: 1}", "{max_round: 2}"}) {
    const ModelPc async = model_of(load(withdraw_both(opts)), spec_of(0, true));
    const auto path_worlds = walk(async, 100, 40);
    EXPECT_GT(expect_successors_commute(async, path_worlds, 4), 0u) << opts;
  }
}

// One crash anywhere (also in the middle of a broadcast: see docs/checker.md, "A caveat"),
// synchronous timing: every orbit of the reachable space is found, and nothing else.
void expect_exact(const std::string& opts, std::size_t renamings, std::uint64_t worlds,
                  std::uint64_t orbits_pinned) {
  const Scenario sc = load(withdraw_both(opts));
  const ModelPc plain = model_of(sc, sync_spec(1, false));
  const ModelPc sym = model_of(sc, sync_spec(1, true));
  ASSERT_EQ(sym.symmetry().renaming_count(), renamings);
  const auto [full, reduced] = expect_exact_orbits(plain, sym, opts);
  EXPECT_EQ(full, worlds) << opts;  // pinned: docs/checker.md quotes them
  EXPECT_EQ(reduced, orbits_pinned) << opts;
  EXPECT_LT(reduced * 3, full) << opts;
  EXPECT_GE(reduced * renamings, full) << opts;
}

TEST(PaxosCommitSymmetry, DistinctStatesWithSymmetryAreExactlyTheOrbits) {
  expect_exact("{rm_takeover: false, max_round: 2}", 12, 27238, 4363);  // RMs and acceptors
  expect_exact("{max_round: 2}", 6, 44721, 11906);                      // acceptors; RMs take over
}

TEST(PaxosCommitSymmetry, ScenarioFileReportsClassesAndFewerStates) {
  Scenario sc = load_file("scenarios/paxos_commit/check-sync-one-crash-symmetry.yaml");
  ASSERT_TRUE(sc.check.symmetry);
  auto with = check_protocol<PaxosCommit>(sc, CheckOptions{});
  ASSERT_TRUE(with.ok()) << with.error().message;
  EXPECT_EQ(with->verdict(), "ok");
  EXPECT_NE(with->symmetry.find("{A1, A2, A3}"), std::string::npos) << with->symmetry;
  sc.check.symmetry = false;
  auto without = check_protocol<PaxosCommit>(sc, CheckOptions{});
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->verdict(), "ok");
  EXPECT_EQ(with->stats.distinct_states, 11906u);
  EXPECT_EQ(with->stats.states_generated, 46219u);
  EXPECT_EQ(without->stats.distinct_states, 44721u);
  EXPECT_EQ(without->stats.states_generated, 172353u);
}

}  // namespace
}  // namespace txsim::check::symmetry_test
