// Atomic commitment properties AC1-AC4, after Bernstein, Hadzilacos and Goodman,
// "Concurrency Control and Recovery in Database Systems", ch. 7 (AC5, recovery, is a liveness
// property the simulator measures as blocking time instead).
#include <algorithm>

#include "sim/invariant.h"
#include "sim/invariants_builtin.h"

namespace txsim {
namespace {

// The transactions to look at: everything, or what the last step touched.
template <class F>
std::optional<std::string> each_tx(const Ledger& l, bool all, F&& f) {
  if (all) {
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      if (auto r = f(TxId(t))) return r;
    return std::nullopt;
  }
  for (TxId t : l.touched_txs())
    if (auto r = f(t)) return r;
  return std::nullopt;
}

class Agreement final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"AC1", "agreement",
        "All processes that reach a decision on a transaction reach the same one. If one "
        "participant commits while another aborts, the transaction is half applied: money "
        "leaves one account and never arrives at the other.", InvariantKind::always};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool all) const override {
    return each_tx(l, all, [&](TxId t) -> std::optional<std::string> {
      NodeId first = kNoNode;
      for (NodeId n = 0; n < l.node_count(); ++n) {
        if (l.decision(t, n) == Ledger::kNone) continue;
        if (first == kNoNode) first = n;
        else if (l.decision(t, n) != l.decision(t, first))
          return sc.transactions[t].name + ": " + sc.nodes[first].name + " decided " +
                 (l.decision(t, first) ? "commit" : "abort") + " but " + sc.nodes[n].name +
                 " decided " + (l.decision(t, n) ? "commit" : "abort");
      }
      return std::nullopt;
    });
  }
};

class NoReversal final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"AC2", "no reversal",
        "A process cannot reverse its decision after it has reached one. A participant that "
        "committed has already released its locks and exposed the new balances; taking that "
        "back is not possible.", InvariantKind::always};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool all) const override {
    return each_tx(l, all, [&](TxId t) -> std::optional<std::string> {
      for (NodeId n = 0; n < l.node_count(); ++n)
        if (l.reversed(t, n))
          return sc.transactions[t].name + ": " + sc.nodes[n].name + " first decided " +
                 (l.decision(t, n) ? "commit" : "abort") + ", then the opposite";
      return std::nullopt;
    });
  }
};

class CommitNeedsAllYes final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"AC3", "commit needs unanimous yes",
        "The commit decision can only be reached if every participant voted yes. A participant "
        "votes no when it cannot apply its part (a balance would go negative, a lock is taken); "
        "committing anyway would apply the others' parts alone.", InvariantKind::always};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool all) const override {
    return each_tx(l, all, [&](TxId t) -> std::optional<std::string> {
      bool committed = false;
      for (NodeId n = 0; n < l.node_count(); ++n) committed |= l.decision(t, n) == 1;
      if (!committed) return std::nullopt;
      for (NodeId p : l.participants(t))
        if (l.vote(t, p) != 1)
          return sc.transactions[t].name + " committed but " + sc.nodes[p].name +
                 (l.vote(t, p) == 0 ? " voted no" : " never voted");
      return std::nullopt;
    });
  }
};

class NonTriviality final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"AC4", "non-triviality",
        "If there are no failures and every participant voted yes, the decision is commit. "
        "Without it, a protocol that always aborts would be 'correct'. A prepare timeout shorter "
        "than the network's delays also breaks it: the coordinator gives up on votes that were "
        "on their way.", InvariantKind::final};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    if (l.faults_happened()) return std::nullopt;
    return each_tx(l, true, [&](TxId t) -> std::optional<std::string> {
      for (NodeId p : l.participants(t))
        if (l.vote(t, p) != 1) return std::nullopt;
      for (NodeId n = 0; n < l.node_count(); ++n)
        if (l.decision(t, n) == 0)
          return sc.transactions[t].name + ": every participant voted yes and nothing failed, "
                 "yet " + sc.nodes[n].name + " decided abort";
      return std::nullopt;
    });
  }
};

}  // namespace

void add_atomicity_invariants(std::vector<std::unique_ptr<Invariant>>& out) {
  out.push_back(std::make_unique<Agreement>());
  out.push_back(std::make_unique<NoReversal>());
  out.push_back(std::make_unique<CommitNeedsAllYes>());
  out.push_back(std::make_unique<NonTriviality>());
}

}  // namespace txsim
