// Resource invariants: money, balances, locks and doubt. They are what a bank's auditor (and a
// student) sees of an atomicity failure: money created or destroyed, accounts frozen forever.
#include "sim/invariant.h"
#include "sim/invariants_builtin.h"

namespace txsim {
namespace {

// Committed by every participant: the transaction's transfers should be applied in full.
bool fully_committed(const Ledger& l, TxId t) {
  for (NodeId p : l.participants(t))
    if (l.decision(t, p) != 1) return false;
  return !l.participants(t).empty();
}

class MoneyConservation final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"money-conservation", "money conservation",
        "Once the system settles, the total of all balances equals the initial total plus the "
        "net amount of the transactions that committed everywhere. A transfer that is applied at "
        "one participant but not at the other creates or destroys money.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario&, const Ledger& l, bool) const override {
    std::int64_t actual = 0, expected = 0;
    for (std::size_t a = 0; a < l.account_count(); ++a) {
      actual += l.balance(AccountId(a));
      expected += l.initial_balance(AccountId(a));
    }
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      if (fully_committed(l, TxId(t))) expected += l.net_amount(TxId(t));
    if (actual == expected) return std::nullopt;
    return "total balance is " + std::to_string(actual) + ", expected " +
           std::to_string(expected) + " (" + (actual > expected ? "created " : "destroyed ") +
           std::to_string(actual > expected ? actual - expected : expected - actual) + ")";
  }
};

class NoNegativeBalance final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"no-negative-balance", "no negative balance",
        "No account balance ever drops below zero. Participants check this before voting yes; a "
        "protocol that applies a debit it never voted on can overdraw an account.",
        InvariantKind::always};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool all) const override {
    auto one = [&](AccountId a) -> std::optional<std::string> {
      if (l.balance(a) >= 0) return std::nullopt;
      return sc.account_label(a) + " has balance " + std::to_string(l.balance(a));
    };
    if (all) {
      for (std::size_t a = 0; a < l.account_count(); ++a)
        if (auto r = one(AccountId(a))) return r;
      return std::nullopt;
    }
    for (AccountId a : l.touched_accounts())
      if (auto r = one(a)) return r;
    return std::nullopt;
  }
};

class NothingInDoubt final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"nothing-in-doubt", "nothing in doubt at quiescence",
        "When the system settles, every participant that voted yes has learned the outcome. A "
        "participant that voted yes may not decide alone: until it hears the outcome it is 'in "
        "doubt' and must keep the transaction's locks.", InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      for (NodeId p : l.participants(TxId(t)))
        if (l.in_doubt(TxId(t), p))
          return sc.nodes[p].name + " is still in doubt about " + sc.transactions[t].name;
    return std::nullopt;
  }
};

class NoLockHeld final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"no-lock-held", "no lock held at quiescence",
        "When the system settles, no transaction holds a lock. A lock left behind blocks every "
        "later transaction on that account: it is how blocking costs throughput.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      for (NodeId n = 0; n < l.node_count(); ++n)
        if (l.locks(TxId(t), n) > 0)
          return sc.nodes[n].name + " still holds " + std::to_string(l.locks(TxId(t), n)) +
                 " lock(s) for " + sc.transactions[t].name;
    return std::nullopt;
  }
};

}  // namespace

void add_resource_invariants(std::vector<std::unique_ptr<Invariant>>& out) {
  out.push_back(std::make_unique<MoneyConservation>());
  out.push_back(std::make_unique<NoNegativeBalance>());
  out.push_back(std::make_unique<NothingInDoubt>());
  out.push_back(std::make_unique<NoLockHeld>());
}

}  // namespace txsim
