// TCC, renaming: the hooks of the checker's symmetry reduction (sim/protocol.h, RenamesNodes;
// sim/check/symmetry.h). Sources: see tcc.h.
//
// Why it is correct: the handlers use node ids only as the state's own id, as message
// endpoints (every reply goes to the TM, which the checker never renames: it receives the
// requests), as the TM's set of branches whose Try succeeded and its outstanding branches in
// phase two, as the branch slot inside a retry timer's id, and through the scenario's
// configuration (branches, deltas by account, scripted Try failures). The checker renames only
// nodes the scenario treats alike (same role; same accounts, balances and transfers up to
// renaming; the same scripted failures), so the configuration is unchanged by the renaming,
// and renaming the ids below is all it takes for handlers to commute with it. Messages carry a
// transaction id and a status only. No handler picks a branch by the order of ids: the TM
// treats every branch alike and counts them as a set.
//
// The retry timer names its branch by slot (its index among the transaction's branches, in
// id order), so renaming moves the timer to the slot of the renamed branch.
//
// Invariant kept: every container stays sorted by its key (state.h), so a renamed state is in
// canonical form and compares and hashes like one built directly.
#include <algorithm>

#include "protocols/tcc/tcc.h"

namespace txsim::tcc {

Durable Tcc::renamed(const Durable& d, const NodeRenaming& r) const {
  Durable out = d;  // global and barriers are keyed by transaction: unchanged
  r.rename_accounts(out.wallets);
  return out;
}

State Tcc::renamed(const State& s, const NodeRenaming& r) const {
  State out;
  out.node = r(s.node);
  out.durable = renamed(s.durable, r);
  out.vol.trying = s.vol.trying;
  for (Trying& t : out.vol.trying) t.ok = r.nodes(t.ok);
  out.vol.finishing = s.vol.finishing;
  for (Finishing& f : out.vol.finishing) {
    for (Outstanding& o : f.waiting) o.branch = r(o.branch);
    std::sort(f.waiting.begin(), f.waiting.end(),
              [](const Outstanding& a, const Outstanding& b) { return a.branch < b.branch; });
  }
  return out;
}

TimerId Tcc::renamed_timer(TimerId t, const NodeRenaming& r) const {
  if (timer_kind(t) != TimerKind::retry) return t;  // the Try timeout names no branch
  const TxId tx = timer_tx(t);
  const std::uint32_t slot = timer_slot(t);
  TXSIM_ASSERT(tx < txs_.size() && slot < txs_[tx].branches.size());
  // slot_of asserts that the renamed node is a branch of tx: the renaming keeps tx's branches.
  return timer_id(TimerKind::retry, tx, slot_of(tx, r(txs_[tx].branches[slot])));
}

}  // namespace txsim::tcc
