// Two-phase commit, renaming: the hooks of the checker's symmetry reduction (sim/protocol.h,
// RenamesNodes; sim/check/symmetry.h). Sources: see two_phase.h.
//
// Why it is correct: the handlers use node ids only as the state's own id, as message
// endpoints, as the coordinator's vote and ack sets, and through the scenario's configuration
// (participants, deltas by account, scripted no votes). The checker renames only nodes the
// scenario treats alike (same role; same accounts, balances and transfers up to renaming; the
// same scripted votes), so the configuration is unchanged by the renaming, and renaming the
// state's ids below is all it takes for handlers to commute with it. Messages and timer ids
// carry a transaction id only.
//
// Invariant kept: every container stays sorted by its key (state.h), so a renamed state is in
// canonical form and compares and hashes like one built directly.

#include "protocols/two_phase/two_phase.h"

namespace txsim::two_phase {

Durable TwoPhase::renamed(const Durable& d, const NodeRenaming& r) const {
  Durable out = d;  // commit_log and log are keyed by transaction: unchanged
  r.rename_accounts(out.balances);
  return out;
}

State TwoPhase::renamed(const State& s, const NodeRenaming& r) const {
  State out;
  out.node = r(s.node);
  out.durable = renamed(s.durable, r);
  out.vol.collecting = s.vol.collecting;
  for (Collecting& c : out.vol.collecting) c.yes = r.nodes(c.yes);
  out.vol.acking = s.vol.acking;
  for (Acking& a : out.vol.acking) a.acked = r.nodes(a.acked);
  out.vol.locks = s.vol.locks;
  r.rename_accounts(out.vol.locks);
  return out;
}

}  // namespace txsim::two_phase
