// Effect invariants: what business-level protocols (TCC, sagas) promise about the operations
// they run on each branch, read from `freeze` and `effect` observations. They catch the three
// problems of TCC's sub-transaction barrier (DTM, dtm.pub; Seata's TCC fence): funds left frozen
// by a hanging Try, a Confirm or Cancel applied twice, and a branch that ends in a state the
// global decision did not ask for. Protocols that observe no effects pass them trivially.
#include "sim/invariant.h"
#include "sim/invariants_builtin.h"

namespace txsim {
namespace {

std::string_view effect_name(std::int8_t id) {
  switch (id) {
    case Ledger::kEffectReserve: return "reserve (Try)";
    case Ledger::kEffectApply: return "apply (Confirm)";
    case Ledger::kEffectRelease: return "release (Cancel)";
    default: return "";
  }
}

// "apply (Confirm)", or "effect #5" for an id the invariants give no meaning to.
std::string effect_text(std::int8_t id) {
  std::string out(effect_name(id));
  if (out.empty()) out.append("effect #").append(std::to_string(int(id)));
  return out;
}

class NoFrozenFunds final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"no-frozen-funds", "no frozen funds at quiescence",
        "When the system settles, no account has money frozen (or a credit pending) any more: "
        "every reservation a Try made was spent by a Confirm or released by a Cancel. Money "
        "left frozen is a 'hanging' Try, one that arrived after its Cancel; a negative frozen "
        "amount is a Cancel that released money that was never frozen.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    for (std::size_t a = 0; a < l.account_count(); ++a) {
      const std::int64_t frozen = l.frozen(AccountId(a));
      if (frozen == 0) continue;
      std::string out = sc.account_label(AccountId(a));
      out += " still has ";
      out += std::to_string(frozen);
      out += frozen > 0 ? " frozen forever (a reservation nobody will confirm or cancel)"
                        : " frozen (released more than was ever reserved)";
      return out;
    }
    return std::nullopt;
  }
};

class EffectAtMostOnce final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"effect-at-most-once", "each effect at most once",
        "Each branch applies each of its operations (Try, Confirm, Cancel) at most once per "
        "transaction. Networks duplicate messages and managers retry, so a branch sees the same "
        "request again; if it runs it again, money is spent, credited or released twice.",
        InvariantKind::always};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool all) const override {
    auto one = [&](TxId t) -> std::optional<std::string> {
      for (NodeId n = 0; n < l.node_count(); ++n) {
        if (l.repeated_effect(t, n) == Ledger::kNone) continue;
        std::string out = sc.nodes[n].name;
        out += " applied ";
        out += effect_text(l.repeated_effect(t, n));
        out += " of ";
        out += sc.transactions[t].name;
        out += " twice";
        return out;
      }
      return std::nullopt;
    };
    if (!all) {
      for (TxId t : l.touched_txs())
        if (auto r = one(t)) return r;
      return std::nullopt;
    }
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      if (auto r = one(TxId(t))) return r;
    return std::nullopt;
  }
};

// The global decision on tx: the coordinator's (or orchestrator's) first decision, or kNone.
// Without either (a choreographed saga: the services decide among themselves), the outcome the
// services learned: commit if one learned the saga completed, else abort if one aborted.
std::int8_t global_decision(const Scenario& sc, const Ledger& l, TxId t) {
  bool leader = false;
  for (NodeId n = 0; n < l.node_count(); ++n) {
    const Role r = sc.nodes[n].role;
    if (r != Role::coordinator && r != Role::orchestrator) continue;
    leader = true;
    if (l.decision(t, n) != Ledger::kNone) return l.decision(t, n);
  }
  if (leader) return Ledger::kNone;
  std::int8_t d = Ledger::kNone;
  for (NodeId n : l.participants(t)) {
    if (l.decision(t, n) == 1) return 1;
    if (l.decision(t, n) == 0) d = 0;
  }
  return d;
}

bool any_effect(const Ledger& l, TxId t) {
  for (NodeId n = 0; n < l.node_count(); ++n)
    if (l.last_effect(t, n) != Ledger::kNone) return true;
  return false;
}

// Why node n's last effect on t does not match decision d ("" when it does).
std::string mismatch(const Ledger& l, TxId t, NodeId n, std::int8_t d) {
  const std::int8_t last = l.last_effect(t, n);
  if (d == 1 && last != Ledger::kEffectApply) {
    if (last == Ledger::kNone) return "never applied it";
    return std::string("last ran ").append(effect_text(last));
  }
  if (d == 0 && last != Ledger::kNone && last != Ledger::kEffectRelease) {
    return std::string("last ran ").append(effect_text(last));
  }
  if (d == Ledger::kNone && last != Ledger::kNone) {
    return std::string("ran ").append(effect_text(last)).append(" but nothing was decided");
  }
  return "";
}

class BranchMatchesDecision final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"branch-matches-decision", "branches end as decided",
        "When the system settles, every branch's last operation agrees with the global "
        "decision: after Confirm every branch confirmed; after Cancel every branch that did "
        "anything ended with its Cancel. A Try that runs after its Cancel leaves its branch "
        "reserved for a transaction that no longer exists.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    for (std::size_t i = 0; i < l.tx_count(); ++i) {
      const TxId t = TxId(i);
      if (!any_effect(l, t)) continue;  // not an effect-observing protocol, or nothing ran
      const std::int8_t d = global_decision(sc, l, t);
      for (NodeId n : l.participants(t)) {
        const std::string why = mismatch(l, t, n, d);
        if (why.empty()) continue;
        std::string out = sc.transactions[t].name;
        out += d == Ledger::kNone ? ": " : (d == 1 ? " was confirmed but " : " was cancelled but ");
        out += sc.nodes[n].name;
        out += ' ';
        out += why;
        return out;
      }
    }
    return std::nullopt;
  }
};

}  // namespace

void add_effect_invariants(std::vector<std::unique_ptr<Invariant>>& out) {
  out.push_back(std::make_unique<NoFrozenFunds>());
  out.push_back(std::make_unique<EffectAtMostOnce>());
  out.push_back(std::make_unique<BranchMatchesDecision>());
}

}  // namespace txsim
