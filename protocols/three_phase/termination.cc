// Three-phase commit, the termination protocol: suspicion, the election of a new coordinator
// (the lowest participant not suspected), the state collection, and the termination rules.
//
// Sources: Skeen 1981 (a participant that times out does not decide by its own state alone
// when others can be reached: it hands the decision to a backup coordinator); Bernstein,
// Hadzilacos & Goodman ch. 7 (election of the lowest-numbered reachable participant; the
// termination rules TR1-TR4: some committed -> commit; some aborted -> abort; some committable
// (precommitted) -> PreCommit the uncertain ones, then commit; all uncertain -> abort).
//
// Why it is safe when sites only crash (and timeouts only fire on crashed sites): the
// coordinator commits only after every participant acked PreCommit or crashed, so a commit
// anywhere means every live participant is precommitted, and the leader sees that; and a
// participant that answered a leader follows that leader only, so a stale PreCommit from the
// failed coordinator cannot change a state the leader has already counted. Why it is not safe
// under a partition: each side elects its own leader and applies the rules to half the
// states (docs/protocols/three_phase.md, scenarios/three_phase/partition-split.yaml).
//
// Invariants: a participant leads (Follow::lead != none) only while undecided; while leading,
// its wait timer is off and its collect timer is on, and `waiting` is a subset of the
// participants other than itself.
#include "protocols/three_phase/three_phase.h"
#include "sim/assert.h"

namespace txsim::three_phase {
namespace {

PeerState peer_state(TxStatus status) {
  switch (status) {
    case TxStatus::uncertain:
      return PeerState::uncertain;
    case TxStatus::precommitted:
      return PeerState::precommitted;
    case TxStatus::committed:
      return PeerState::committed;
    case TxStatus::aborted:
      return PeerState::aborted;
  }
  return PeerState::uncertain;
}

}  // namespace

// Whom it followed went silent: suspect it and elect a new coordinator.
void ThreePhase::on_wait_timer(State& s, Fx& fx, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  if (f == nullptr || f->lead != Lead::none) return;
  f->suspected |= node_bit(f->leader);
  elect(s, fx, tx);
}

// The lowest participant this node does not suspect (never suspecting itself, it finds one).
void ThreePhase::elect(State& s, Fx& fx, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  TXSIM_ASSERT(f != nullptr && !has_bit(f->suspected, s.node));
  NodeId candidate = kNoNode;
  for (NodeId p : tx_config(tx).participants) {
    if (!has_bit(f->suspected, p)) {
      candidate = p;
      break;
    }
  }
  TXSIM_ASSERT(candidate != kNoNode);
  if (candidate == s.node) return start_leading(s, fx, tx);
  f->leader = candidate;
  fx.send(candidate, Elect{tx});
  fx.set_timer(timer_id(TimerKind::wait, tx), opts_.termination_timeout);
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const Elect& m) const {
  TXSIM_ASSERT(s.node != coordinator_);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) {
    // Never voted: abort, and as the elected leader tell everyone.
    abort_unvoted(s, fx, m.tx);
    for (NodeId p : tx_config(m.tx).participants) {
      if (p != s.node) fx.send(p, Abort{m.tx});
    }
    return fx.send(coordinator_, Abort{m.tx});
  }
  if (r->status == TxStatus::committed || r->status == TxStatus::aborted) {
    return send_outcome(fx, from, *r);
  }
  const Follow* f = find_key(s.vol.follows, m.tx);
  TXSIM_ASSERT(f != nullptr);
  if (f->lead == Lead::none) start_leading(s, fx, m.tx);
}

// Become the termination leader: ask every participant it does not suspect for its state.
void ThreePhase::start_leading(State& s, Fx& fx, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  const LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(f != nullptr && f->lead == Lead::none && r != nullptr);
  const TxConfig& cfg = tx_config(tx);
  fx.cancel_timer(timer_id(TimerKind::wait, tx));
  f->leader = s.node;
  f->lead = Lead::collecting;
  f->waiting = cfg.members & ~node_bit(s.node) & ~f->suspected;
  f->uncertain = 0;
  f->precommit_seen = r->status == TxStatus::precommitted;
  observe_phase(fx, tx, Phase::terminating);
  for (NodeId p : cfg.participants) {
    if (has_bit(f->waiting, p)) fx.send(p, StateReq{tx});
  }
  if (f->waiting == 0) return conclude(s, fx, tx);
  fx.set_timer(timer_id(TimerKind::collect, tx), opts_.termination_timeout);
}

// Answer a leader with this node's state, and follow that leader from now on (a leader of
// its own steps down). One that never voted aborts first: then the answer ends the protocol.
void ThreePhase::handle(State& s, Fx& fx, NodeId from, const StateReq& m) const {
  TXSIM_ASSERT(s.node != coordinator_);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) {
    abort_unvoted(s, fx, m.tx);
    return fx.send(from, StateReply{m.tx, PeerState::aborted});
  }
  const PeerState state = peer_state(r->status);
  Follow* f = find_key(s.vol.follows, m.tx);
  if (f == nullptr) return fx.send(from, StateReply{m.tx, state});  // decided
  if (f->lead != Lead::none) {
    fx.cancel_timer(timer_id(TimerKind::collect, m.tx));
    *f = Follow{m.tx, from, f->suspected};
    observe_phase(fx, m.tx,
                  state == PeerState::uncertain ? Phase::uncertain : Phase::precommitted);
  }
  f->leader = from;
  fx.send(from, StateReply{m.tx, state});
  fx.set_timer(timer_id(TimerKind::wait, m.tx), opts_.termination_timeout);
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const StateReply& m) const {
  TXSIM_ASSERT(s.node != coordinator_);
  Follow* f = find_key(s.vol.follows, m.tx);
  if (f == nullptr || f->lead != Lead::collecting || !has_bit(f->waiting, from)) return;
  f->waiting &= ~node_bit(from);
  switch (m.state) {
    case PeerState::committed:
      return lead_decide(s, fx, m.tx, true);  // TR1
    case PeerState::aborted:
      return lead_decide(s, fx, m.tx, false);  // TR2
    case PeerState::precommitted:
      f->precommit_seen = true;
      break;
    case PeerState::uncertain:
      f->uncertain |= node_bit(from);
      break;
  }
  if (f->waiting == 0) conclude(s, fx, m.tx);
}

// Every state is in (or the rest are suspected): no one answered committed or aborted.
// TR3: someone is precommitted -> precommit the uncertain ones (itself first), then commit.
// TR4: all uncertain -> abort (no one can have committed: that needs everyone precommitted).
void ThreePhase::conclude(State& s, Fx& fx, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  TXSIM_ASSERT(f != nullptr && f->lead == Lead::collecting);
  if (!f->precommit_seen) return lead_decide(s, fx, tx, false);
  if (find_key(s.durable.log, tx)->status == TxStatus::uncertain) apply_precommit(s, fx, tx);
  f->lead = Lead::precommitting;
  f->waiting = f->uncertain;
  for (NodeId p : tx_config(tx).participants) {
    if (has_bit(f->waiting, p)) fx.send(p, PreCommit{tx});
  }
  if (f->waiting == 0) return lead_decide(s, fx, tx, true);
  fx.set_timer(timer_id(TimerKind::collect, tx), opts_.termination_timeout);
}

void ThreePhase::leader_precommit_ack(State& s, Fx& fx, NodeId from, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  if (f == nullptr || f->lead != Lead::precommitting || !has_bit(f->waiting, from)) return;
  f->waiting &= ~node_bit(from);
  if (f->waiting == 0) lead_decide(s, fx, tx, true);
}

// The ones still silent are suspected; decide with what came in. Precommitting, like the
// coordinator's ack timeout: the silent ones are taken to have failed, so commit.
void ThreePhase::on_collect_timer(State& s, Fx& fx, TxId tx) const {
  Follow* f = find_key(s.vol.follows, tx);
  if (f == nullptr || f->lead == Lead::none) return;
  f->suspected |= f->waiting;
  f->waiting = 0;
  if (f->lead == Lead::collecting) return conclude(s, fx, tx);
  lead_decide(s, fx, tx, true);
}

// Apply the outcome here, then tell every other participant and the coordinator.
void ThreePhase::lead_decide(State& s, Fx& fx, TxId tx, bool commit) const {
  if (commit) {
    apply_commit(s, fx, tx);
  } else {
    apply_abort(s, fx, tx);
  }
  for (NodeId p : tx_config(tx).participants) {
    if (p == s.node) continue;
    if (commit) {
      fx.send(p, DoCommit{tx});
    } else {
      fx.send(p, Abort{tx});
    }
  }
  if (commit) return fx.send(coordinator_, DoCommit{tx});
  fx.send(coordinator_, Abort{tx});
}

}  // namespace txsim::three_phase
