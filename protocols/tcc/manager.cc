// TCC, the transaction manager: the durable global-transaction record, phase one (Try every
// branch, the Try timeout), the decision (Confirm iff every Try succeeded), phase two (Confirm
// or Cancel every branch, retried until each one succeeds), and recovery from its records.
//
// Sources: DTM (dtm.pub, "TCC" and "Exceptions"): the global transaction is saved before any
// branch is called; a failed or timed-out Try rolls back, i.e. Cancel is sent to every branch,
// also to those whose Try never arrived; Confirm/Cancel must eventually succeed, so they are
// retried: an ONGOING answer at a fixed interval, any other error with exponential backoff.
//
// Invariants: a tx is in at most one of trying / finishing; a finishing tx's record says
// confirming or cancelling; the TM observes `decide` exactly once per tx, after the persist of
// the decision; every armed retry timer belongs to an outstanding branch of a finishing tx.
#include <algorithm>

#include "protocols/tcc/tcc.h"
#include "sim/assert.h"

namespace txsim::tcc {

void Tcc::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT_MSG(s.node == tm_, "tcc: request sent to a node that is not the TM");
  if (find_key(s.durable.global, tx) != nullptr) return;  // a repeated request
  // Write-ahead: the record exists before any Try leaves, so a crash cannot forget a tx
  // whose branches may already hold reservations.
  find_or_insert(s.durable.global, GlobalTx{tx, GlobalStatus::trying});
  fx.persist(s.durable);
  observe_phase(fx, tx, Phase::trying);
  find_or_insert(s.vol.trying, Trying{tx, {}});
  for (NodeId b : tx_config(tx).branches) fx.send(b, Try{tx});
  fx.set_timer(timer_id(TimerKind::try_timeout, tx), opts_.try_timeout);
}

void Tcc::handle(State& s, Fx& fx, NodeId from, const TryReply& m) const {
  TXSIM_ASSERT(s.node == tm_);
  Trying* t = find_key(s.vol.trying, m.tx);
  if (t == nullptr) return;  // decided already (timeout, another failure): a late reply
  (void)slot_of(m.tx, from);  // asserts that `from` is a branch of tx
  if (m.status != Reply::ok) return decide(s, fx, m.tx, false);
  add_node(t->ok, from);  // a duplicate reply changes nothing
  if (t->ok == tx_config(m.tx).branches) decide(s, fx, m.tx, true);
}

void Tcc::on_try_timeout(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT(s.node == tm_);
  if (find_key(s.vol.trying, tx) == nullptr) return;  // decided before the timer fired
  decide(s, fx, tx, false);  // a Try that did not answer counts as a failed one
}

// The decision is durable before the first Confirm/Cancel leaves: after a crash the TM must
// send the same one again, never the other.
void Tcc::decide(State& s, Fx& fx, TxId tx, bool confirm) const {
  erase_present(s.vol.trying, tx);
  GlobalTx* g = find_key(s.durable.global, tx);
  TXSIM_ASSERT(g != nullptr && g->status == GlobalStatus::trying);
  g->status = confirm ? GlobalStatus::confirming : GlobalStatus::cancelling;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, confirm ? 1 : 0);
  observe_phase(fx, tx, confirm ? Phase::confirming : Phase::cancelling);
  fx.cancel_timer(timer_id(TimerKind::try_timeout, tx));
  start_phase_two(s, fx, tx, confirm);
}

// Every branch gets the decision, also one whose Try failed or never arrived: only the branch
// knows whether it reserved anything (that is why it must handle a null compensation).
void Tcc::start_phase_two(State& s, Fx& fx, TxId tx, bool confirm) const {
  Finishing f{tx, {}};
  for (NodeId b : tx_config(tx).branches) f.waiting.push_back(Outstanding{b, 0});
  find_or_insert(s.vol.finishing, std::move(f));
  for (NodeId b : tx_config(tx).branches) {
    send_decision(fx, tx, b, confirm);
    fx.set_timer(timer_id(TimerKind::retry, tx, slot_of(tx, b)), opts_.retry_interval);
  }
}

void Tcc::send_decision(Fx& fx, TxId tx, NodeId branch, bool confirm) const {
  if (confirm) return fx.send(branch, Confirm{tx});
  fx.send(branch, Cancel{tx});
}

void Tcc::handle(State& s, Fx& fx, NodeId from, const ConfirmReply& m) const {
  on_phase_two_reply(s, fx, from, m.tx, m.status, true);
}

void Tcc::handle(State& s, Fx& fx, NodeId from, const CancelReply& m) const {
  on_phase_two_reply(s, fx, from, m.tx, m.status, false);
}

// ok: that branch is done. in_progress: ask again after the fixed interval. Anything else:
// wait twice as long as last time (up to backoff_max), then ask again.
void Tcc::on_phase_two_reply(State& s, Fx& fx, NodeId from, TxId tx, Reply status,
                             bool confirm) const {
  TXSIM_ASSERT(s.node == tm_);
  Finishing* f = find_key(s.vol.finishing, tx);
  if (f == nullptr) return;  // finished already: a duplicate or late reply
  const GlobalTx* g = find_key(s.durable.global, tx);
  TXSIM_ASSERT(g != nullptr);
  if ((g->status == GlobalStatus::confirming) != confirm) return;  // not an answer to ours
  Outstanding* o = find_key(f->waiting, from);
  if (o == nullptr) return;  // this branch already succeeded
  const TimerId timer = timer_id(TimerKind::retry, tx, slot_of(tx, from));
  if (status == Reply::ok) {
    erase_present(f->waiting, from);
    fx.cancel_timer(timer);
    if (f->waiting.empty()) finish(s, fx, tx);
    return;
  }
  if (status == Reply::in_progress) return fx.set_timer(timer, opts_.retry_interval);
  if (backoff(o->doublings) < opts_.backoff_max) ++o->doublings;
  fx.set_timer(timer, backoff(o->doublings));
}

// Every branch succeeded. The final status stays in the record (one byte per tx) so that a
// repeated request is recognised.
void Tcc::finish(State& s, Fx& fx, TxId tx) const {
  erase_present(s.vol.finishing, tx);
  GlobalTx* g = find_key(s.durable.global, tx);
  const bool confirm = g->status == GlobalStatus::confirming;
  g->status = confirm ? GlobalStatus::confirmed : GlobalStatus::cancelled;
  fx.persist(s.durable);
  observe_phase(fx, tx, confirm ? Phase::confirmed : Phase::cancelled);
}

// No answer within the current delay (lost, or the branch was down): send it again.
void Tcc::on_retry(State& s, Fx& fx, TxId tx, std::uint32_t slot) const {
  TXSIM_ASSERT(s.node == tm_);
  const Finishing* f = find_key(s.vol.finishing, tx);
  if (f == nullptr || slot >= tx_config(tx).branches.size()) return;
  const NodeId branch = tx_config(tx).branches[slot];
  const Outstanding* o = find_key(f->waiting, branch);
  if (o == nullptr) return;  // succeeded before the timer fired
  const bool confirm = find_key(s.durable.global, tx)->status == GlobalStatus::confirming;
  send_decision(fx, tx, branch, confirm);
  fx.set_timer(timer_id(TimerKind::retry, tx, slot), backoff(o->doublings));
}

Micros Tcc::backoff(std::uint8_t doublings) const {
  Micros d = opts_.retry_interval;
  for (std::uint8_t i = 0; i < doublings && d < opts_.backoff_max; ++i) d *= 2;
  return std::min(d, opts_.backoff_max);
}

// Volatile progress is gone. A tx still trying is cancelled (its Try replies are lost, and
// some Tries may still be on their way: the barrier's anti-hanging handles those); a decided
// one restarts phase two with every branch (the barrier's idempotency absorbs the repeats).
void Tcc::recover_tm(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.trying.empty() && s.vol.finishing.empty());
  for (GlobalTx& g : s.durable.global) {
    if (g.status == GlobalStatus::trying) {
      g.status = GlobalStatus::cancelling;
      fx.persist(s.durable);
      fx.observe(ObsKind::decide, g.tx, 0);
      observe_phase(fx, g.tx, Phase::cancelling);
    }
    if (g.status == GlobalStatus::confirming || g.status == GlobalStatus::cancelling) {
      start_phase_two(s, fx, g.tx, g.status == GlobalStatus::confirming);
    }
  }
}

}  // namespace txsim::tcc
