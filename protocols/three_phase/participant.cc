// Three-phase commit, the participants: the vote (strict two-phase locking with no-wait
// exclusive locks per account, a balance check, scripted or chosen no votes), PreCommit,
// applying the outcome, answering queries, and recovery from the log. The election and the
// termination protocol are in termination.cc.
//
// Sources: Skeen 1981 (the participant's states and transitions: working -> uncertain on a
// yes vote, -> precommitted on PreCommit, -> committed on DoCommit; a participant that has not
// voted may abort on its own); Bernstein, Hadzilacos & Goodman ch. 7 (force the yes vote
// before sending it; a recovering participant that voted yes and has no decision must ask,
// because the others may have decided without it).
//
// Invariants: a participant holds locks exactly on the accounts of its undecided transactions;
// it has a Follow entry exactly for them; a log record moves only forward (uncertain ->
// precommitted -> committed, or to aborted from uncertain or precommitted) and an outcome is
// never reversed; every fact is observed after the persist that makes it durable.
#include <algorithm>
#include <limits>

#include "protocols/three_phase/three_phase.h"
#include "sim/assert.h"

namespace txsim::three_phase {
namespace {

bool undecided(const LogRecord& r) {
  return r.status == TxStatus::uncertain || r.status == TxStatus::precommitted;
}

// Releases tx's locks on the accounts of `deltas`; tx must hold each of them.
void release_locks(State& s, TxId tx, const std::vector<Delta>& deltas) {
  for (const Delta& d : deltas) {
    const Lock* lock = find_key(s.vol.locks, d.account);
    TXSIM_ASSERT_MSG(lock != nullptr && lock->tx == tx, "three_phase: releasing a lock not held");
    erase_key(s.vol.locks, d.account);
  }
}

}  // namespace

void ThreePhase::handle(State& s, Fx& fx, NodeId, const CanCommit& m) const {
  TXSIM_ASSERT(s.node != coordinator_);
  (void)deltas_of(m.tx, s.node);  // asserts that this node is a participant of tx
  if (const LogRecord* r = find_key(s.durable.log, m.tx)) {
    // CanCommit again (resent after a Query): answer what the log says, observe nothing new.
    fx.send(coordinator_, Vote{m.tx, r->voted_yes && r->status != TxStatus::aborted});
    return;
  }
  if (can_vote_yes(s, fx, m.tx)) return vote_yes(s, fx, m.tx);
  vote_no(s, fx, m.tx);
  fx.send(coordinator_, Vote{m.tx, false});
}

// No-wait locking: a conflict is a no vote, never a wait.
bool ThreePhase::can_vote_yes(const State& s, Fx& fx, TxId tx) const {
  if (std::binary_search(tx_config(tx).vote_no.begin(), tx_config(tx).vote_no.end(), s.node)) {
    return false;
  }
  for (const Delta& d : deltas_of(tx, s.node)) {
    if (find_key(s.vol.locks, d.account) != nullptr) return false;
    const Balance* b = find_key(s.durable.balances, d.account);
    TXSIM_ASSERT(b != nullptr);
    if (b->amount + d.amount < 0) return false;
  }
  return !(opts_.random_no_vote && fx.choose(2) == 0);
}

// working -> uncertain: the yes vote is forced before it is visible, and from now on this
// participant may not decide alone. It waits for the coordinator.
void ThreePhase::vote_yes(State& s, Fx& fx, TxId tx) const {
  for (const Delta& d : deltas_of(tx, s.node)) {
    insert_key(s.vol.locks, Lock{d.account, tx});
    fx.observe(ObsKind::lock, tx, 0, d.account);
  }
  insert_key(s.durable.log, LogRecord{tx, TxStatus::uncertain, true});
  fx.persist(s.durable);
  fx.observe(ObsKind::vote, tx, 1);
  observe_phase(fx, tx, Phase::uncertain);
  fx.send(coordinator_, Vote{tx, true});
  insert_key(s.vol.follows, Follow{tx, coordinator_});
  fx.set_timer(timer_id(TimerKind::wait, tx), opts_.decision_timeout);
}

// A no vote is also this participant's abort; the caller sends the reply.
void ThreePhase::vote_no(State& s, Fx& fx, TxId tx) const {
  insert_key(s.durable.log, LogRecord{tx, TxStatus::aborted, false});
  fx.persist(s.durable);
  fx.observe(ObsKind::vote, tx, 0);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
}

// A participant that has not voted may always abort: no one can commit without its yes.
void ThreePhase::abort_unvoted(State& s, Fx& fx, TxId tx) const {
  (void)deltas_of(tx, s.node);  // asserts that this node is a participant of tx
  insert_key(s.durable.log, LogRecord{tx, TxStatus::aborted, false});
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
}

// uncertain -> precommitted, only on the word of whom it follows (the coordinator, or the
// leader it answered): a PreCommit from a coordinator it has given up on is stale.
void ThreePhase::handle(State& s, Fx& fx, NodeId from, const PreCommit& m) const {
  TXSIM_ASSERT(s.node != coordinator_);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr || !undecided(*r)) return;
  const Follow* f = find_key(s.vol.follows, m.tx);
  TXSIM_ASSERT(f != nullptr);
  if (f->leader != from || f->lead != Lead::none) return;
  if (r->status == TxStatus::uncertain) apply_precommit(s, fx, m.tx);
  fx.send(from, PreCommitAck{m.tx});
  const Micros delay = from == coordinator_ ? opts_.decision_timeout : opts_.termination_timeout;
  fx.set_timer(timer_id(TimerKind::wait, m.tx), delay);
}

void ThreePhase::apply_precommit(State& s, Fx& fx, TxId tx) const {
  LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && r->status == TxStatus::uncertain);
  r->status = TxStatus::precommitted;
  fx.persist(s.durable);
  observe_phase(fx, tx, Phase::precommitted);
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const PreCommitAck& m) const {
  if (s.node == coordinator_) return coord_precommit_ack(s, fx, from, m.tx);
  leader_precommit_ack(s, fx, from, m.tx);
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const DoCommit& m) const {
  if (s.node == coordinator_) return coord_learn(s, fx, m.tx, true);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  // No record: it never voted yes, so no correct node commits; aborted: never reverse.
  if (r == nullptr || r->status == TxStatus::aborted) return;
  if (undecided(*r)) apply_commit(s, fx, m.tx);
  fx.send(from, DoCommitAck{m.tx});  // also for a duplicate: the first ack may be lost
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const DoCommitAck& m) const {
  if (s.node == coordinator_) coord_commit_ack(s, fx, from, m.tx);
  // A termination leader needs no DoCommitAck: it keeps no end record.
}

void ThreePhase::handle(State& s, Fx& fx, NodeId from, const Vote& m) const {
  TXSIM_ASSERT_MSG(s.node == coordinator_, "three_phase: a vote sent to a participant");
  coord_vote(s, fx, from, m);
}

void ThreePhase::apply_commit(State& s, Fx& fx, TxId tx) const {
  LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && undecided(*r));
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
  end_follow(s, fx, tx);
}

void ThreePhase::handle(State& s, Fx& fx, NodeId, const Abort& m) const {
  if (s.node == coordinator_) return coord_learn(s, fx, m.tx, false);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) return abort_unvoted(s, fx, m.tx);  // the outcome came before CanCommit
  if (undecided(*r)) apply_abort(s, fx, m.tx);
}

void ThreePhase::apply_abort(State& s, Fx& fx, TxId tx) const {
  LogRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && undecided(*r));
  const std::vector<Delta>& deltas = record_deltas(*r, s.node);
  release_locks(s, tx, deltas);
  r->status = TxStatus::aborted;
  fx.persist(s.durable);
  for (const Delta& d : deltas) fx.observe(ObsKind::unlock, tx, 0, d.account);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
  end_follow(s, fx, tx);
}

// The transaction is decided here: stop waiting for anyone about it.
void ThreePhase::end_follow(State& s, Fx& fx, TxId tx) const {
  const Follow* f = find_key(s.vol.follows, tx);
  if (f == nullptr) return;
  const TimerKind armed = f->lead == Lead::none ? TimerKind::wait : TimerKind::collect;
  erase_key(s.vol.follows, tx);
  fx.cancel_timer(timer_id(armed, tx));
}

void ThreePhase::send_outcome(Fx& fx, NodeId to, const LogRecord& r) const {
  TXSIM_ASSERT(!undecided(r));
  if (r.status == TxStatus::committed) return fx.send(to, DoCommit{r.tx});
  fx.send(to, Abort{r.tx});
}

// Someone lost its volatile state and asks. A decided participant answers. A recovered
// coordinator asking means it failed: an undecided participant still waiting for it suspects
// it and elects a leader (who will tell the coordinator too), and one that never voted aborts.
void ThreePhase::handle(State& s, Fx& fx, NodeId from, const Query& m) const {
  if (s.node == coordinator_) return coord_query(s, fx, from, m.tx);
  const LogRecord* r = find_key(s.durable.log, m.tx);
  if (r != nullptr && !undecided(*r)) return send_outcome(fx, from, *r);
  if (from != coordinator_) return;
  if (r == nullptr) {
    abort_unvoted(s, fx, m.tx);
    return fx.send(from, Abort{m.tx});
  }
  Follow* f = find_key(s.vol.follows, m.tx);
  TXSIM_ASSERT(f != nullptr);
  if (f->lead != Lead::none || f->leader != coordinator_) return;  // terminating already
  f->suspected |= node_bit(coordinator_);
  elect(s, fx, m.tx);
}

// Locks are volatile but undecided transactions still need them: re-acquire from the log,
// wait for the coordinator again and ask it (an undecided log never decides alone). Also ask
// about the transactions with no record: a CanCommit may have been lost in the crash, and the
// coordinator repeats it (without this, a synchronous coordinator would wait for ever).
void ThreePhase::recover_participant(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.locks.empty() && s.vol.follows.empty());
  for (const LogRecord& r : s.durable.log) {
    if (!undecided(r)) continue;
    for (const Delta& d : record_deltas(r, s.node)) {
      insert_key(s.vol.locks, Lock{d.account, r.tx});
      fx.observe(ObsKind::lock, r.tx, 0, d.account);
    }
    s.vol.follows.push_back(Follow{r.tx, coordinator_});  // the log is sorted by tx
    fx.set_timer(timer_id(TimerKind::wait, r.tx), opts_.decision_timeout);
  }
  for (TxId tx = 0; tx < txs_.size(); ++tx) {
    const LogRecord* r = find_key(s.durable.log, tx);
    if (has_bit(txs_[tx].members, s.node) && (r == nullptr || undecided(*r))) {
      fx.send(coordinator_, Query{tx});
    }
  }
}

}  // namespace txsim::three_phase
