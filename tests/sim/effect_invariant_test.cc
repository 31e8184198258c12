// The effect invariants (sim/invariants_effects.cc) and the Ledger's effect bookkeeping: each
// invariant catches a hand-built violating history of a TCC-style transaction and passes the
// good ones; effect-at-most-once looks only at touched transactions unless asked for all.
#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/invariant.h"
#include "sim/ledger.h"

namespace txsim {
namespace {

constexpr NodeId C = 0, P1 = 1, P2 = 2;
constexpr TxId T1 = 0;
constexpr AccountId A = 0, B = 1;
constexpr std::int32_t kTry = Ledger::kEffectReserve, kConfirm = Ledger::kEffectApply,
                       kCancel = Ledger::kEffectRelease;

// C is the TM; t1 moves 10 from P1.a (debit branch) to P2.b (credit branch).
Scenario bank() {
  Scenario sc;
  sc.name = "effect-unit";
  sc.nodes = {
      {"C", Role::coordinator, {}}, {"P1", Role::participant, {}}, {"P2", Role::participant, {}}};
  sc.accounts = {{"a", P1, 100}, {"b", P2, 50}};
  TxSpec t;
  t.name = "t1";
  t.transfers = {{P1, A, -10}, {P2, B, 10}};
  t.participants = {P1, P2};
  sc.transactions = {t};
  return sc;
}

Observation effect(std::int32_t id) { return {ObsKind::effect, T1, kNoAccount, id}; }
Observation freeze(AccountId a, int delta) { return {ObsKind::freeze, T1, a, delta}; }
Observation decide(bool confirm) { return {ObsKind::decide, T1, kNoAccount, confirm ? 1 : 0}; }

class EffectInvariantTest : public ::testing::Test {
 protected:
  std::optional<std::string> check(std::string_view id, bool all = true) const {
    for (const auto& i : standard_invariants())
      if (i->info().id == id) return i->check(sc, ledger, all);
    throw std::runtime_error("no invariant " + std::string(id));
  }
  std::optional<std::string> check_on(const Ledger& other) const {
    for (const auto& i : standard_invariants())
      if (i->info().id == "branch-matches-decision") return i->check(sc, other, true);
    return std::nullopt;
  }
  void try_both() {
    for (NodeId n : {P1, P2}) {
      ledger.apply(n, freeze(n == P1 ? A : B, 10));
      ledger.apply(n, effect(kTry));
      ledger.apply(n, {ObsKind::vote, T1, kNoAccount, 1});
    }
  }
  void finish_both(bool confirm) {
    ledger.apply(C, decide(confirm));
    for (NodeId n : {P1, P2}) {
      ledger.apply(n, freeze(n == P1 ? A : B, -10));
      ledger.apply(n, effect(confirm ? kConfirm : kCancel));
      ledger.apply(n, decide(confirm));
    }
  }

  Scenario sc = bank();
  Ledger ledger{sc};
};

TEST_F(EffectInvariantTest, LedgerTracksLastAndRepeatedEffects) {
  EXPECT_EQ(ledger.last_effect(T1, P1), Ledger::kNone);
  EXPECT_EQ(ledger.repeated_effect(T1, P1), Ledger::kNone);
  ledger.apply(P1, effect(kTry));
  ledger.apply(P1, effect(kCancel));
  EXPECT_EQ(ledger.last_effect(T1, P1), kCancel);
  EXPECT_EQ(ledger.effects_seen(T1, P1), 0b101);
  EXPECT_EQ(ledger.repeated_effect(T1, P1), Ledger::kNone);
  EXPECT_EQ(ledger.touched_txs(), std::vector<TxId>{T1});
  ledger.apply(P1, effect(kTry));
  EXPECT_EQ(ledger.repeated_effect(T1, P1), kTry);
  EXPECT_EQ(ledger.last_effect(T1, P1), kTry);
  Ledger other(sc);
  EXPECT_FALSE(other == ledger) << "effects are part of the ledger's value";
}

TEST_F(EffectInvariantTest, CleanConfirmAndCleanCancelHoldEverything) {
  try_both();
  finish_both(true);
  for (const auto& i : standard_invariants())
    EXPECT_EQ(i->check(sc, ledger, true), std::nullopt) << i->info().id;
  Ledger cancelled(sc);
  ledger = cancelled;
  ledger.note_fault();  // every Try succeeded, so only a failure (a timeout) justifies Cancel
  try_both();
  finish_both(false);
  for (const auto& i : standard_invariants())
    EXPECT_EQ(i->check(sc, ledger, true), std::nullopt) << i->info().id;
}

TEST_F(EffectInvariantTest, NoFrozenFundsCatchesHangingAndOverRelease) {
  ledger.apply(P1, freeze(A, 10));
  EXPECT_EQ(check("no-frozen-funds"),
            "P1.a still has 10 frozen forever (a reservation nobody will confirm or cancel)");
  ledger.apply(P1, freeze(A, -20));
  EXPECT_EQ(check("no-frozen-funds"), "P1.a still has -10 frozen (released more than was ever "
                                      "reserved)");
  ledger.apply(P1, freeze(A, 10));
  EXPECT_EQ(check("no-frozen-funds"), std::nullopt);
}

TEST_F(EffectInvariantTest, EffectAtMostOnceCatchesADoubleConfirm) {
  try_both();
  finish_both(true);
  EXPECT_EQ(check("effect-at-most-once"), std::nullopt);
  ledger.clear_touched();
  ledger.apply(P2, effect(kConfirm));
  EXPECT_EQ(check("effect-at-most-once", false), "P2 applied apply (Confirm) of t1 twice");
  ledger.clear_touched();
  EXPECT_EQ(check("effect-at-most-once", false), std::nullopt) << "nothing touched";
  EXPECT_EQ(check("effect-at-most-once", true), "P2 applied apply (Confirm) of t1 twice");
}

TEST_F(EffectInvariantTest, BranchMatchesDecisionCatchesATryAfterItsCancel) {
  ledger.apply(C, decide(false));
  ledger.apply(P1, decide(false));  // a null compensation: no effect
  EXPECT_EQ(check("branch-matches-decision"), std::nullopt);
  ledger.apply(P1, freeze(A, 10));
  ledger.apply(P1, effect(kTry));  // the hanging Try
  EXPECT_EQ(check("branch-matches-decision"),
            "t1 was cancelled but P1 last ran reserve (Try)");
}

TEST_F(EffectInvariantTest, BranchMatchesDecisionNeedsEveryBranchConfirmed) {
  try_both();
  ledger.apply(C, decide(true));
  ledger.apply(P1, effect(kConfirm));
  EXPECT_EQ(check("branch-matches-decision"), "t1 was confirmed but P2 last ran reserve (Try)");
  Ledger undecided(sc);
  undecided.apply(P1, effect(kTry));
  EXPECT_EQ(check_on(undecided), "t1: P1 ran reserve (Try) but nothing was decided");
}

TEST_F(EffectInvariantTest, ProtocolsWithoutEffectsPassTrivially) {
  ledger.apply(C, decide(true));  // a 2PC-style history: decisions, no effects
  ledger.apply(P1, decide(true));
  EXPECT_EQ(check("branch-matches-decision"), std::nullopt);
  EXPECT_EQ(check("effect-at-most-once"), std::nullopt);
  EXPECT_EQ(check("no-frozen-funds"), std::nullopt);
}

}  // namespace
}  // namespace txsim
