// Saga invariants: semantic atomicity (Garcia-Molina and Salem, "Sagas", SIGMOD 1987): once the
// system settles, every saga instance either ran all its steps, or every step that ran has been
// compensated. Read from the `effect` observations of each step's service (Ledger::kEffectApply
// for an action, kEffectRelease for a compensation) and the scenario's `saga:` block. Money
// conservation, no negative balance and at-most-once effects are the standard invariants.
#include "sim/invariant.h"
#include "sim/invariants_builtin.h"

namespace txsim {
namespace {

// The names of the steps of `def` in `set`, "a, b".
std::string step_list(const SagaDef& def, const std::vector<std::size_t>& set) {
  std::string out;
  for (std::size_t i : set) {
    if (!out.empty()) out += ", ";
    out += def.steps[i].name;
  }
  return out;
}

std::optional<std::string> check_saga(const Scenario& sc, const Ledger& l, TxId t) {
  const SagaDef* def = sc.saga.saga_of(t);
  if (def == nullptr) return std::nullopt;
  std::vector<std::size_t> done, undone, pivots;
  for (std::size_t i = 0; i < def->steps.size(); ++i) {
    const NodeId n = def->steps[i].service;
    if (n >= l.node_count()) continue;
    const std::int8_t last = l.last_effect(t, n);
    if (last == Ledger::kEffectApply) {
      done.push_back(i);
      if (def->steps[i].kind == SagaStepKind::pivot) pivots.push_back(i);
    } else {
      undone.push_back(i);
    }
  }
  if (done.empty() || undone.empty()) return std::nullopt;
  std::string out = sc.transactions[t].name;
  out.append(" (saga ").append(def->name).append(") settled half done: ");
  out.append(step_list(*def, done)).append(done.size() == 1 ? " is" : " are");
  out.append(" applied and not compensated, but ").append(step_list(*def, undone));
  out.append(undone.size() == 1 ? " is" : " are").append(" not applied");
  if (!pivots.empty()) {
    out.append(" (the pivot ").append(def->steps[pivots.front()].name);
    out.append(" ran: the saga had to go forward)");
  }
  return out;
}

class SemanticAtomicity final : public Invariant {
 public:
  const InvariantInfo& info() const override {
    static const InvariantInfo i{"semantic-atomicity", "semantic atomicity of sagas",
        "When the system settles, every saga either completed all its steps, or every step it "
        "completed was undone by its compensation (and once the pivot ran, it completed). A "
        "saga left half done - a compensation that could not run, a step that applied after "
        "the saga gave it up - moved money that nobody will move back.",
        InvariantKind::quiescent};
    return i;
  }
  std::optional<std::string> check(const Scenario& sc, const Ledger& l, bool) const override {
    if (!sc.saga.present()) return std::nullopt;
    for (std::size_t t = 0; t < l.tx_count(); ++t)
      if (auto r = check_saga(sc, l, TxId(t))) return r;
    return std::nullopt;
  }
};

}  // namespace

void add_saga_invariants(std::vector<std::unique_ptr<Invariant>>& out) {
  out.push_back(std::make_unique<SemanticAtomicity>());
}

}  // namespace txsim
