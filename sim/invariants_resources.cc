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

// The total of the money accounts (stock == false) or of the stock accounts (stock == true):
// actual, and expected from the initial balances plus the transfers of every transaction that
// committed everywhere.
struct Totals {
  std::int64_t actual = 0, expected = 0;
};

Totals totals(const Scenario& sc, const Ledger& l, bool stock) {
  Totals out;
  for (std::size_t a = 0; a < l.account_count(); ++a) {
    if (sc.accounts[a].stock != stock) continue;
    out.actual += l.balance(AccountId(a));
    out.expected += l.initial_balance(AccountId(a));
  }
  for (std::size_t t = 0; t < l.tx_count(); ++t) {
    if (!fully_committed(l, TxId(t))) continue;
    for (const TransferSpec& x : sc.transactions[t].transfers)
      if (sc.accounts[x.account].stock == stock) out.expected += x.amount;
  }
  return out;
}

std::optional<std::string> conservation(const Totals& t, std::string_view what) {
  if (t.actual == t.expected) return std::nullopt;
  const std::int64_t diff = t.actual > t.expected ? t.actual - t.expected : t.expected - t.actual;
  return std::string("total ").append(what).append(" is ").append(std::to_string(t.actual)) +
         ", expected " + std::to_string(t.expected) + " (" +
         (t.actual > t.expected ? "created " : "destroyed ") + std::to_string(diff) + ")";
}

class MoneyConservation final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"money-conservation", "money conservation",
        "Once the system settles, the total of all balances equals the initial total plus the "
        "net amount of the transactions that committed everywhere. A transfer that is applied at "
        "one participant but not at the other creates or destroys money. Accounts declared "
        "`kind: stock` count goods and are left to stock-conservation.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    return conservation(totals(sc, l, false), "balance");
  }
};

class StockConservation final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"stock-conservation", "stock conservation",
        "Once the system settles, the units on the stock accounts (`kind: stock`) equal the "
        "initial units plus what the transactions that committed everywhere moved. Goods are "
        "never created or destroyed: a saga that ends compensated released exactly what it "
        "reserved. A reservation applied twice, or a release of a reservation that never "
        "happened, breaks it.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    return conservation(totals(sc, l, true), "stock");
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
  out.push_back(std::make_unique<StockConservation>());
  out.push_back(std::make_unique<NoNegativeBalance>());
  out.push_back(std::make_unique<NothingInDoubt>());
  out.push_back(std::make_unique<NoLockHeld>());
}

}  // namespace txsim
