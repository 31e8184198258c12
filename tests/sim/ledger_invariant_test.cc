// The Ledger and the standard invariants: each invariant catches a hand-built violating
// history and passes a good one; always-invariants look only at what the last step touched
// unless asked for everything; the simulator reports violations in the trace and the result.
#include <gtest/gtest.h>

#include "sim/invariant.h"
#include "sim/ledger.h"
#include "tests/sim/sim_test_support.h"

namespace txsim {
namespace {

constexpr NodeId C = 0, P1 = 1, P2 = 2;
constexpr TxId T1 = 0, T2 = 1, T3 = 2;
constexpr AccountId A = 0, B = 1;

TxSpec tx(std::string name, std::vector<TransferSpec> transfers) {
  TxSpec t;
  t.name = std::move(name);
  t.transfers = std::move(transfers);
  for (const TransferSpec& tr : t.transfers)
    if (std::find(t.participants.begin(), t.participants.end(), tr.at) == t.participants.end())
      t.participants.push_back(tr.at);
  std::sort(t.participants.begin(), t.participants.end());
  return t;
}

// C coordinates; P1 owns a = 100, P2 owns b = 50.
// t1 moves 10 from P1.a to P2.b; t2 moves 200 (P1.a cannot afford it); t3 credits P1.a by 5.
Scenario bank() {
  Scenario sc;
  sc.name = "ledger-unit";
  sc.nodes = {
      {"C", Role::coordinator, {}}, {"P1", Role::participant, {}}, {"P2", Role::participant, {}}};
  sc.accounts = {{"a", P1, 100}, {"b", P2, 50}};
  sc.transactions = {tx("t1", {{P1, A, -10}, {P2, B, 10}}), tx("t2", {{P1, A, -200}, {P2, B, 200}}),
                     tx("t3", {{P1, A, 5}})};
  return sc;
}

Observation vote(TxId t, bool yes) { return {ObsKind::vote, t, kNoAccount, yes ? 1 : 0}; }
Observation decide(TxId t, bool commit) { return {ObsKind::decide, t, kNoAccount, commit}; }
Observation balance(TxId t, AccountId a, int delta) { return {ObsKind::balance, t, a, delta}; }
Observation lock(TxId t, AccountId a) { return {ObsKind::lock, t, a, 0}; }
Observation unlock(TxId t, AccountId a) { return {ObsKind::unlock, t, a, 0}; }

class InvariantTest : public ::testing::Test {
 protected:
  const Invariant& inv(std::string_view id) const {
    for (const auto& i : standard_invariants())
      if (i->info().id == id) return *i;
    throw std::runtime_error("no invariant " + std::string(id));
  }
  std::optional<std::string> check(std::string_view id, bool all = true) const {
    return inv(id).check(sc, ledger, all);
  }
  // A commit of t1 done right: both vote yes, everybody decides commit, money moves.
  void commit_t1() {
    ledger.apply(P1, vote(T1, true));
    ledger.apply(P2, vote(T1, true));
    ledger.apply(C, decide(T1, true));
    ledger.apply(P1, decide(T1, true));
    ledger.apply(P1, balance(T1, A, -10));
    ledger.apply(P2, decide(T1, true));
    ledger.apply(P2, balance(T1, B, 10));
  }

  Scenario sc = bank();
  Ledger ledger{sc};
};

TEST_F(InvariantTest, StandardSetIdsKindsAndExplanations) {
  EXPECT_EQ(standard_invariant_ids(),
            (std::vector<std::string>{"AC1", "AC2", "AC3", "AC4", "money-conservation",
                                      "stock-conservation", "no-negative-balance", "nothing-in-doubt", "no-lock-held",
                                      "no-frozen-funds", "effect-at-most-once",
                                      "branch-matches-decision", "semantic-atomicity"}));
  EXPECT_EQ(inv("AC1").info().kind, InvariantKind::always);
  EXPECT_EQ(inv("AC2").info().kind, InvariantKind::always);
  EXPECT_EQ(inv("AC3").info().kind, InvariantKind::always);
  EXPECT_EQ(inv("AC4").info().kind, InvariantKind::final);
  EXPECT_EQ(inv("money-conservation").info().kind, InvariantKind::quiescent);
  EXPECT_EQ(inv("no-negative-balance").info().kind, InvariantKind::always);
  EXPECT_EQ(inv("nothing-in-doubt").info().kind, InvariantKind::quiescent);
  EXPECT_EQ(inv("no-lock-held").info().kind, InvariantKind::quiescent);
  EXPECT_EQ(inv("no-frozen-funds").info().kind, InvariantKind::quiescent);
  EXPECT_EQ(inv("effect-at-most-once").info().kind, InvariantKind::always);
  EXPECT_EQ(inv("branch-matches-decision").info().kind, InvariantKind::quiescent);
  for (const auto& i : standard_invariants()) {
    EXPECT_FALSE(i->info().title.empty()) << i->info().id;
    EXPECT_GT(i->info().explanation.size(), 80u) << i->info().id;
  }
}

TEST_F(InvariantTest, EveryInvariantHoldsForACleanCommit) {
  commit_t1();
  for (const auto& i : standard_invariants())
    EXPECT_EQ(i->check(sc, ledger, true), std::nullopt) << i->info().id;
  EXPECT_EQ(ledger.balance(A), 90);
  EXPECT_EQ(ledger.balance(B), 60);
}

TEST_F(InvariantTest, EveryInvariantHoldsForAnEmptyHistory) {
  for (const auto& i : standard_invariants())
    EXPECT_EQ(i->check(sc, ledger, true), std::nullopt) << i->info().id;
}

TEST_F(InvariantTest, AC1CatchesDifferentDecisions) {
  ledger.apply(P1, decide(T1, true));
  ledger.apply(P2, decide(T1, true));
  EXPECT_EQ(check("AC1"), std::nullopt);
  ledger.apply(C, decide(T1, false));
  EXPECT_EQ(check("AC1"), "t1: C decided abort but P1 decided commit");
}

TEST_F(InvariantTest, AC2CatchesAReversedDecision) {
  ledger.apply(P1, decide(T1, false));
  ledger.apply(P1, decide(T1, false));
  EXPECT_EQ(check("AC2"), std::nullopt) << "repeating a decision is not reversing it";
  ledger.apply(P1, decide(T1, true));
  EXPECT_TRUE(ledger.reversed(T1, P1));
  EXPECT_EQ(ledger.decision(T1, P1), 0) << "the first decision is kept as evidence";
  EXPECT_EQ(check("AC2"), "t1: P1 first decided abort, then the opposite");
  EXPECT_EQ(check("AC1"), std::nullopt) << "one node: nothing to disagree with";
}

TEST_F(InvariantTest, AC3CatchesCommitWithoutUnanimousYes) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(C, decide(T1, true));
  EXPECT_EQ(check("AC3"), "t1 committed but P2 never voted");
  ledger.apply(P2, vote(T1, false));
  EXPECT_EQ(check("AC3"), "t1 committed but P2 voted no");
}

TEST_F(InvariantTest, AC3AllowsAbortWithoutVotesAndCommitWithAllYes) {
  ledger.apply(C, decide(T2, false));
  EXPECT_EQ(check("AC3"), std::nullopt);
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P2, vote(T1, true));
  ledger.apply(C, decide(T1, true));
  EXPECT_EQ(check("AC3"), std::nullopt);
}

TEST_F(InvariantTest, AC4CatchesAbortDespiteAllYesAndNoFaults) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P2, vote(T1, true));
  ledger.apply(C, decide(T1, false));
  EXPECT_EQ(check("AC4"),
            "t1: every participant voted yes and nothing failed, yet C decided abort");
  ledger.note_fault();
  EXPECT_TRUE(ledger.faults_happened());
  EXPECT_EQ(check("AC4"), std::nullopt) << "a fault excuses the abort";
}

TEST_F(InvariantTest, AC4AllowsAbortAfterANoVote) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P2, vote(T1, false));
  ledger.apply(C, decide(T1, false));
  EXPECT_EQ(check("AC4"), std::nullopt);
}

TEST_F(InvariantTest, MoneyConservationCatchesAHalfAppliedTransfer) {
  commit_t1();
  ledger.apply(P2, balance(T1, B, -10));  // P2's credit undone: 10 destroyed
  EXPECT_EQ(check("money-conservation"), "total balance is 140, expected 150 (destroyed 10)");
}

TEST_F(InvariantTest, MoneyConservationCountsNetAmountOfFullyCommittedTransactions) {
  ledger.apply(P1, balance(T3, A, 5));
  EXPECT_EQ(check("money-conservation"), "total balance is 155, expected 150 (created 5)")
      << "t3 credited 5 without committing";
  ledger.apply(P1, decide(T3, true));
  EXPECT_EQ(ledger.net_amount(T3), 5);
  EXPECT_EQ(check("money-conservation"), std::nullopt);
}

TEST_F(InvariantTest, NoNegativeBalanceCatchesAnOverdraft) {
  ledger.apply(P1, balance(T2, A, -100));
  EXPECT_EQ(check("no-negative-balance"), std::nullopt) << "exactly zero is allowed";
  ledger.apply(P1, balance(T2, A, -100));
  EXPECT_EQ(check("no-negative-balance"), "P1.a has balance -100");
}

TEST_F(InvariantTest, NothingInDoubtCatchesAYesVoterWithoutOutcome) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P2, vote(T1, false));
  EXPECT_TRUE(ledger.in_doubt(T1, P1));
  EXPECT_FALSE(ledger.in_doubt(T1, P2)) << "a no voter is never in doubt";
  EXPECT_EQ(check("nothing-in-doubt"), "P1 is still in doubt about t1");
  ledger.apply(P1, decide(T1, false));
  EXPECT_EQ(check("nothing-in-doubt"), std::nullopt);
}

TEST_F(InvariantTest, NoLockHeldCatchesALeftoverLock) {
  ledger.apply(P1, lock(T1, A));
  ledger.apply(P1, lock(T2, A));
  EXPECT_EQ(ledger.locks_held(P1), 2u);
  EXPECT_EQ(check("no-lock-held"), "P1 still holds 1 lock(s) for t1");
  ledger.apply(P1, unlock(T1, A));
  ledger.apply(P1, unlock(T1, A));  // an extra unlock does not underflow
  EXPECT_EQ(ledger.locks(T1, P1), 0);
  EXPECT_EQ(check("no-lock-held"), "P1 still holds 1 lock(s) for t2");
  ledger.on_crash(P1);
  EXPECT_EQ(check("no-lock-held"), std::nullopt) << "a crash loses volatile locks";
}

TEST_F(InvariantTest, CrashKeepsVotesDecisionsAndMoney) {
  commit_t1();
  const Ledger before = ledger;
  ledger.on_crash(P1);
  EXPECT_EQ(ledger, before);
  EXPECT_EQ(ledger.vote(T1, P1), 1);
  EXPECT_EQ(ledger.balance(A), 90);
}

TEST_F(InvariantTest, FirstVoteStands) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P1, vote(T1, false));
  EXPECT_EQ(ledger.vote(T1, P1), 1);
  EXPECT_EQ(ledger.vote(T1, P2), Ledger::kNone);
}

TEST_F(InvariantTest, TouchedListsWhatChangedOnceEach) {
  ledger.apply(P1, vote(T1, true));
  ledger.apply(P2, vote(T1, true));
  ledger.apply(P1, balance(T2, A, -1));
  ledger.apply(P1, lock(T3, A));  // locks are judged at quiescence: not "touched"
  ledger.apply(P1, Observation{ObsKind::phase, T3, kNoAccount, 2});
  EXPECT_EQ(ledger.touched_txs(), std::vector<TxId>{T1});
  EXPECT_EQ(ledger.touched_accounts(), std::vector<AccountId>{A});
  ledger.clear_touched();
  EXPECT_TRUE(ledger.touched_txs().empty());
  EXPECT_TRUE(ledger.touched_accounts().empty());
}

TEST_F(InvariantTest, AlwaysInvariantsInTouchedScopeSeeOnlyTheLastStep) {
  ledger.apply(P1, decide(T1, true));
  ledger.apply(P2, decide(T1, false));
  ledger.apply(P1, balance(T2, A, -150));
  EXPECT_NE(check("AC1", false), std::nullopt);
  EXPECT_NE(check("no-negative-balance", false), std::nullopt);
  ledger.clear_touched();
  EXPECT_EQ(check("AC1", false), std::nullopt) << "t1 was not touched by this step";
  EXPECT_EQ(check("no-negative-balance", false), std::nullopt);
  EXPECT_NE(check("AC1", true), std::nullopt) << "scope_all still sees it";
  EXPECT_NE(check("no-negative-balance", true), std::nullopt);
  ledger.apply(P1, vote(T2, true));  // touches t2 only
  EXPECT_EQ(check("AC1", false), std::nullopt);
  ledger.apply(P2, decide(T1, false));  // touches t1 again: the disagreement is back in view
  EXPECT_EQ(check("AC1", false), "t1: P1 decided commit but P2 decided abort");
}

TEST_F(InvariantTest, LedgerEqualityComparesHistory) {
  Ledger other(sc);
  EXPECT_EQ(ledger, other);
  ledger.apply(P1, vote(T1, true));
  EXPECT_NE(ledger, other);
  other.apply(P1, vote(T1, true));
  EXPECT_EQ(ledger, other);
  other.note_fault();
  EXPECT_NE(ledger, other);
}

// ---- through the simulator -------------------------------------------------------------------
// 2PC's broken variant sends Commit before logging it; the coordinator crashes after the
// first Commit, forgets the decision and answers the others' queries with a presumed abort.
const char* kBroken =
    "name: broken-2pc\n"
    "protocols: [two_phase]\n"
    "nodes: {coordinator: C, participants: [P1, P2]}\n"
    "accounts: {P1: {a: 100}, P2: {b: 50}}\n"
    "workload: {transactions: [{id: t1, transfers: [{at: P1, account: a, amount: -10},\n"
    "                                               {at: P2, account: b, amount: 10}]}]}\n"
    "network: {latency: {fixed: 1ms}}\n"
    "options: {two_phase: {log_before_send: false}}\n"
    "faults: [{when: {sent: {from: C, type: Commit, count: 1}}, crash: C, recover_after: 5ms}]\n"
    "expect: {violation: AC1}\n";

TEST(InvariantRun, SimulatorReportsAViolationInTraceAndResult) {
  const Scenario sc = test::must_load(kBroken, test::registry_context());
  test::CaptureSink sink;
  auto r = find_protocol("two_phase")->run(sc, RunOptions{1, &sink});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->violated());
  EXPECT_EQ(r->first_violation()->id, "AC1");
  EXPECT_TRUE(r->expectation_misses.empty()) << r->expectation_misses[0];
  bool traced = false;
  for (const test::Captured& e : sink.of(TraceKind::violation)) {
    if (e.type != "AC1") continue;
    EXPECT_FALSE(traced) << "a violation is reported once";
    traced = e.time == r->first_violation()->at && e.text == r->invariants[0].detail;
  }
  EXPECT_TRUE(traced);
}

TEST(InvariantRun, StopOnViolationEndsTheRunAtTheViolation) {
  const Scenario sc = test::must_load(std::string(kBroken) + "run: {stop_on_violation: true}\n",
                                      test::registry_context());
  auto r = find_protocol("two_phase")->run(sc, RunOptions{1, nullptr});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, EndReason::violation);
  EXPECT_EQ(r->end_time, r->first_violation()->at);
}

}  // namespace
}  // namespace txsim
