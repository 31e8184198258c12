// Two-phase commit, the coordinator: phase one (Prepare, collect votes, prepare timeout), the
// decision, phase two (Commit until every participant acked, then the end record), answers to
// in-doubt participants, and recovery from its log.
//
// Sources: Gray & Reuter ch. 10 (the coordinator forces the commit record before it sends
// Commit, and writes an end record once every participant acknowledged); Mohan, Lindsay &
// Obermarck 1986, presumed abort: an abort decision is neither logged nor acknowledged, so a
// coordinator that finds no commit record for a transaction answers "abort" -- which is safe
// only because the commit record is written *before* any Commit leaves (log_before_send).
//
// Invariants: a tx is in at most one of collecting / commit_log; acking holds exactly the
// logged commits (after recovery too); the coordinator observes `decide` once per tx.
#include <algorithm>

#include "protocols/two_phase/two_phase.h"
#include "sim/assert.h"

namespace txsim::two_phase {

void TwoPhase::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT_MSG(s.node == coordinator_, "two_phase: request sent to a non-coordinator");
  const TxConfig& c = tx_config(tx);
  if (find_key(s.vol.collecting, tx) || find_key(s.durable.commit_log, tx)) return;
  insert_key(s.vol.collecting, Collecting{tx, {}});
  observe_phase(fx, tx, Phase::collecting);
  for (NodeId p : c.participants) fx.send(p, Prepare{tx});
  fx.set_timer(timer_id(TimerKind::prepare_timeout, tx), opts_.prepare_timeout);
}

void TwoPhase::handle(State& s, Fx& fx, NodeId from, const Vote& m) const {
  TXSIM_ASSERT(s.node == coordinator_);
  Collecting* c = find_key(s.vol.collecting, m.tx);
  if (c == nullptr) return;  // decided already, or forgotten by a crash: a late or stale vote
  const TxConfig& cfg = tx_config(m.tx);
  TXSIM_ASSERT_MSG(has_node(cfg.participants, from), "two_phase: vote from a non-participant");
  if (!m.yes) return decide_abort(s, fx, m.tx, from);
  add_node(c->yes, from);  // a duplicate vote changes nothing
  if (c->yes == cfg.participants) decide_commit(s, fx, m.tx);
}

// Write-ahead: the commit record is durable before the first Commit leaves, so a crash
// anywhere after the first send still finds it on recovery. The broken variant swaps the two.
void TwoPhase::decide_commit(State& s, Fx& fx, TxId tx) const {
  const TxConfig& cfg = tx_config(tx);
  erase_present(s.vol.collecting, tx);
  insert_key(s.durable.commit_log, tx);
  insert_key(s.vol.acking, Acking{tx, {}});
  if (opts_.log_before_send) fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, 1);
  observe_phase(fx, tx, Phase::committed);
  fx.cancel_timer(timer_id(TimerKind::prepare_timeout, tx));
  for (NodeId p : cfg.participants) fx.send(p, Commit{tx});
  if (!opts_.log_before_send) fx.persist(s.durable);  // too late: a crash above loses it
  fx.set_timer(timer_id(TimerKind::retry, tx), opts_.decision_retry);
}

// Presumed abort: nothing is logged and nobody acknowledges. The participant that voted no
// already aborted, so it gets no message.
void TwoPhase::decide_abort(State& s, Fx& fx, TxId tx, NodeId no_voter) const {
  const TxConfig& cfg = tx_config(tx);
  erase_present(s.vol.collecting, tx);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
  fx.cancel_timer(timer_id(TimerKind::prepare_timeout, tx));
  for (NodeId p : cfg.participants) {
    if (p != no_voter) fx.send(p, Abort{tx});
  }
}

void TwoPhase::on_prepare_timeout(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT(s.node == coordinator_);
  if (find_key(s.vol.collecting, tx) == nullptr) return;  // decided before the timer fired
  decide_abort(s, fx, tx, kNoNode);
}

void TwoPhase::handle(State& s, Fx& fx, NodeId from, const Ack& m) const {
  TXSIM_ASSERT(s.node == coordinator_);
  Acking* a = find_key(s.vol.acking, m.tx);
  if (a == nullptr) return;  // already ended: a duplicate Ack
  const TxConfig& cfg = tx_config(m.tx);
  TXSIM_ASSERT_MSG(has_node(cfg.participants, from), "two_phase: ack from a non-participant");
  add_node(a->acked, from);
  if (a->acked != cfg.participants) return;
  // Every participant applied the commit: the end record lets the log forget tx.
  erase_present(s.vol.acking, m.tx);
  erase_present(s.durable.commit_log, m.tx);
  fx.persist(s.durable);
  fx.observe(ObsKind::forget, m.tx);
  fx.cancel_timer(timer_id(TimerKind::retry, m.tx));
}

void TwoPhase::on_retry(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT(s.node == coordinator_);
  const Acking* a = find_key(s.vol.acking, tx);
  if (a == nullptr) return;  // ended before the timer fired
  for (NodeId p : tx_config(tx).participants) {
    if (!has_node(a->acked, p)) fx.send(p, Commit{tx});
  }
  fx.set_timer(timer_id(TimerKind::retry, tx), opts_.decision_retry);
}

// The termination protocol, coordinator side. No `decide` is observed here: answering
// "abort" for an unknown tx is a presumption, not a new decision.
void TwoPhase::handle(State& s, Fx& fx, NodeId from, const Query& m) const {
  TXSIM_ASSERT(s.node == coordinator_);
  TXSIM_ASSERT(has_node(tx_config(m.tx).participants, from));
  if (find_key(s.durable.commit_log, m.tx)) return fx.send(from, Commit{m.tx});
  if (find_key(s.vol.collecting, m.tx)) return;  // still deciding: the timeout will answer
  fx.send(from, Abort{m.tx});
}

// Volatile state is gone: votes being collected are forgotten (presumed abort answers any
// participant that asks), and logged commits restart phase two from scratch.
void TwoPhase::recover_coordinator(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.collecting.empty() && s.vol.acking.empty());
  for (TxId tx : s.durable.commit_log) {
    s.vol.acking.push_back(Acking{tx, {}});  // commit_log is ascending, so acking is too
    for (NodeId p : tx_config(tx).participants) fx.send(p, Commit{tx});
    fx.set_timer(timer_id(TimerKind::retry, tx), opts_.decision_retry);
  }
}

}  // namespace txsim::two_phase
