// Two-phase commit, the participants: the vote (strict two-phase locking with no-wait
// exclusive locks per account, a balance check, scripted or chosen no votes), applying the
// outcome, the termination protocol while in doubt (Query, and PeerQuery when cooperative
// termination is on), and recovery of in-doubt transactions from the log.
//
// Sources: Gray & Reuter ch. 10 (force the prepared record before voting yes; an in-doubt
// participant keeps its locks until it learns the outcome); Bernstein, Hadzilacos & Goodman
// ch. 7 (the cooperative termination protocol: a participant that has not voted may abort
// unilaterally; one that is in doubt cannot help); Mohan, Lindsay & Obermarck 1986 (presumed
// abort: Abort is not acknowledged).
//
// Invariants: a participant holds locks exactly on the accounts of its prepared (in-doubt)
// transactions; a log record never goes back to `prepared` and an outcome is never reversed;
// every fact is observed after the persist that makes it durable, so a crash that cuts the
// effect list cannot leave the invariants a fact the disk does not have (locks are the
// exception: they are volatile, and the engine drops a crashed node's locks).
#include <limits>

#include "protocols/two_phase/two_phase.h"
#include "sim/assert.h"

namespace txsim::two_phase {
namespace {

// Releases tx's locks on the accounts of `deltas`; tx must hold each of them.
void release_locks(State& s, TxId tx, const std::vector<Delta>& deltas) {
  for (const Delta& d : deltas) {
    const Lock* lock = find_key(s.vol.locks, d.account);
    TXSIM_ASSERT_MSG(lock != nullptr && lock->tx == tx, "two_phase: releasing a lock not held");
    erase_present(s.vol.locks, d.account);
  }
}

}  // namespace

void TwoPhase::handle(State& s, Fx& fx, NodeId, const Prepare& m) const {
  (void)deltas_of(m.tx, s.node);  // asserts that this node is a participant of tx
  if (const LogRecord* r = find_key(s.durable.log, m.tx)) {
    // Prepare again (duplicate, or resent): answer what the log says, observe nothing new.
    fx.send(coordinator_, Vote{m.tx, r->status != TxStatus::aborted});
    return;
  }
  if (can_vote_yes(s, fx, m.tx)) return vote_yes(s, fx, m.tx);
  vote_no(s, fx, m.tx);
  fx.send(coordinator_, Vote{m.tx, false});
}

// No-wait locking: a conflict is a no vote, never a wait, so 2PC itself never deadlocks.
bool TwoPhase::can_vote_yes(const State& s, Fx& fx, TxId tx) const {
  if (has_node(tx_config(tx).vote_no, s.node)) return false;
  for (const Delta& d : deltas_of(tx, s.node)) {
    const Lock* lock = find_key(s.vol.locks, d.account);
    if (lock != nullptr) {
      TXSIM_ASSERT(lock->tx != tx);  // tx has no log record, so it holds no lock here
      return false;
    }
    const Balance* b = find_key(s.durable.balances, d.account);
    TXSIM_ASSERT(b != nullptr);
    if (b->amount + d.amount < 0) return false;
  }
  return !(opts_.random_no_vote && fx.choose(2) == 0);
}

// The prepared record (with what commit will apply) is forced before the vote is visible:
// a participant that crashes after voting yes must still be bound by that vote.
void TwoPhase::vote_yes(State& s, Fx& fx, TxId tx) const {
  const std::vector<Delta>& deltas = deltas_of(tx, s.node);
  for (const Delta& d : deltas) {
    insert_key(s.vol.locks, Lock{d.account, tx});
    fx.observe(ObsKind::lock, tx, 0, d.account);
  }
  insert_key(s.durable.log, LogRecord{tx, TxStatus::prepared, true});
  fx.persist(s.durable);
  fx.observe(ObsKind::vote, tx, 1);
  observe_phase(fx, tx, Phase::prepared);
  fx.send(coordinator_, Vote{tx, true});
  fx.set_timer(timer_id(TimerKind::query, tx), opts_.query_interval);
}

// A no vote is also this participant's abort. It is logged (so a duplicate Prepare after a
// crash cannot turn it into a yes); the caller sends the reply.
void TwoPhase::vote_no(State& s, Fx& fx, TxId tx) const {
  insert_key(s.durable.log, LogRecord{tx, TxStatus::aborted, false});
  fx.persist(s.durable);
  fx.observe(ObsKind::vote, tx, 0);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
}

void TwoPhase::handle(State& s, Fx& fx, NodeId, const Commit& m) const {
  const LogRecord* r = find_key(s.durable.log, m.tx);
  TXSIM_ASSERT_MSG(r != nullptr, "two_phase: Commit for a tx this participant never voted on");
  // An aborted record contradicts the Commit (only the broken variant gets here): never
  // reverse an outcome, and do not ack a commit that was not applied.
  if (r->status == TxStatus::aborted) return;
  if (r->status == TxStatus::prepared) apply_commit(s, fx, m.tx);
  fx.send(coordinator_, Ack{m.tx});  // also for a duplicate: the first Ack may be lost
}

void TwoPhase::apply_commit(State& s, Fx& fx, TxId tx) const {
  LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && r->status == TxStatus::prepared);
  const std::vector<Delta>& deltas = record_deltas(*r, s.node);
  for (const Delta& d : deltas) find_key(s.durable.balances, d.account)->amount += d.amount;
  release_locks(s, tx, deltas);
  r->status = TxStatus::committed;
  fx.persist(s.durable);
  for (const Delta& d : deltas) {
    TXSIM_ASSERT(d.amount >= std::numeric_limits<std::int32_t>::min() &&
                 d.amount <= std::numeric_limits<std::int32_t>::max());
    fx.observe(ObsKind::balance, tx, static_cast<std::int32_t>(d.amount), d.account);
  }
  for (const Delta& d : deltas) fx.observe(ObsKind::unlock, tx, 0, d.account);
  fx.observe(ObsKind::decide, tx, 1);
  observe_phase(fx, tx, Phase::committed);
  fx.cancel_timer(timer_id(TimerKind::query, tx));
}

void TwoPhase::handle(State& s, Fx& fx, NodeId, const Abort& m) const {
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) {
    // The outcome arrived before (or instead of) Prepare: remember it, so a late Prepare is
    // answered with no. This node never voted, so no `vote` is observed.
    (void)deltas_of(m.tx, s.node);  // asserts that this node is a participant of tx
    insert_key(s.durable.log, LogRecord{m.tx, TxStatus::aborted, false});
    fx.persist(s.durable);
    fx.observe(ObsKind::decide, m.tx, 0);
    observe_phase(fx, m.tx, Phase::aborted);
    return;
  }
  // committed: an Abort by presumption for a tx the coordinator already forgot; never reverse.
  if (r->status == TxStatus::prepared) apply_abort(s, fx, m.tx);
}

void TwoPhase::apply_abort(State& s, Fx& fx, TxId tx) const {
  LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && r->status == TxStatus::prepared);
  const std::vector<Delta>& deltas = record_deltas(*r, s.node);
  release_locks(s, tx, deltas);
  r->status = TxStatus::aborted;
  fx.persist(s.durable);
  for (const Delta& d : deltas) fx.observe(ObsKind::unlock, tx, 0, d.account);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
  fx.cancel_timer(timer_id(TimerKind::query, tx));
}

// The termination protocol: while in doubt, ask the coordinator (and, cooperatively, the
// other participants) again and again. Nothing else can release the locks.
void TwoPhase::on_query_timer(State& s, Fx& fx, TxId tx) const {
  const LogRecord* r = find_key(s.durable.log, tx);
  if (r == nullptr || r->status != TxStatus::prepared) return;  // decided meanwhile
  fx.send(coordinator_, Query{tx});
  if (opts_.cooperative_termination) {
    for (NodeId p : tx_config(tx).participants) {
      if (p != s.node) fx.send(p, PeerQuery{tx});
    }
  }
  fx.set_timer(timer_id(TimerKind::query, tx), opts_.query_interval);
}

void TwoPhase::handle(State& s, Fx& fx, NodeId from, const PeerQuery& m) const {
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) {
    // Not voted yet: abort unilaterally (that is this node's vote, no), which makes the
    // outcome abort for everyone, and say so.
    (void)deltas_of(m.tx, s.node);  // asserts that this node is a participant of tx
    vote_no(s, fx, m.tx);
    fx.send(from, PeerReply{m.tx, PeerOutcome::abort});
    return;
  }
  PeerOutcome outcome = PeerOutcome::unknown;  // in doubt itself: cannot help
  if (r->status == TxStatus::committed) outcome = PeerOutcome::commit;
  if (r->status == TxStatus::aborted) outcome = PeerOutcome::abort;
  fx.send(from, PeerReply{m.tx, outcome});
}

void TwoPhase::handle(State& s, Fx& fx, NodeId, const PeerReply& m) const {
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr || r->status != TxStatus::prepared) return;  // not in doubt (any more)
  if (m.outcome == PeerOutcome::commit) apply_commit(s, fx, m.tx);
  if (m.outcome == PeerOutcome::abort) apply_abort(s, fx, m.tx);
}

// Locks are volatile but in-doubt transactions still need them: re-acquire from the log
// before anything else runs, and resume asking for the outcome.
void TwoPhase::recover_participant(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.locks.empty());
  for (const LogRecord& r : s.durable.log) {
    if (r.status != TxStatus::prepared) continue;
    for (const Delta& d : record_deltas(r, s.node)) {
      insert_key(s.vol.locks, Lock{d.account, r.tx});
      fx.observe(ObsKind::lock, r.tx, 0, d.account);
    }
    fx.set_timer(timer_id(TimerKind::query, r.tx), opts_.query_interval);
  }
}

}  // namespace txsim::two_phase
