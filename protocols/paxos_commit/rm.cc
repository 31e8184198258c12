// Paxos Commit, the resource managers (RMs): the vote, sent as phase 2a in ballot 0 of the RM's
// own instance to every acceptor (strict two-phase locking with no-wait exclusive locks, a
// balance check, scripted or chosen Aborted votes), applying the outcome, asking for it while
// in doubt, and recovery from the log.
//
// Source: Gray & Lamport 2006, section 4: "the RM sends a phase 2a message with value Prepared
// (or Aborted) and ballot number 0 to the acceptors of its instance"; an RM that decides to
// abort may do so at once, since its instance can then only choose Aborted. Section 4.2: an RM
// learns the outcome from the leader; if it hears nothing it may start a new ballot itself.
//
// Invariants: an RM holds locks exactly on the accounts of its prepared (in-doubt)
// transactions; its vote is logged before any phase 2a leaves and never changes; a log record
// never goes back to `prepared` and an outcome is never reversed; every fact is observed after
// the persist that makes it durable (locks are volatile: the engine drops them on a crash).
#include <algorithm>
#include <limits>

#include "protocols/paxos_commit/paxos_commit.h"
#include "sim/assert.h"

namespace txsim::paxos_commit {
namespace {

void release_locks(State& s, TxId tx, const std::vector<Delta>& deltas) {
  for (const Delta& d : deltas) {
    const Lock* lock = find_key(s.vol.locks, d.account);
    TXSIM_ASSERT_MSG(lock != nullptr && lock->tx == tx, "paxos_commit: releasing a lock not held");
    erase_key(s.vol.locks, d.account);
  }
}

}  // namespace

void PaxosCommit::handle(State& s, Fx& fx, NodeId, const Prepare& m) const {
  (void)instance_of(m.tx, s.node);  // asserts that this node is an RM of tx
  if (const RmRecord* r = find_key(s.durable.log, m.tx)) {
    // Prepare again (a duplicate): resend the logged vote, observe nothing new.
    if (r->status == RmStatus::prepared) send_vote(fx, m.tx, s.node, true);
    return;
  }
  vote(s, fx, m.tx, can_vote_yes(s, fx, m.tx));
}

// No-wait locking: a conflict is an Aborted vote, never a wait.
bool PaxosCommit::can_vote_yes(const State& s, Fx& fx, TxId tx) const {
  const TxConfig& c = tx_config(tx);
  if (std::binary_search(c.vote_no.begin(), c.vote_no.end(), s.node)) return false;
  for (const Delta& d : c.deltas[instance_of(tx, s.node)]) {
    if (find_key(s.vol.locks, d.account) != nullptr) return false;
    const Balance* b = find_key(s.durable.balances, d.account);
    TXSIM_ASSERT(b != nullptr);
    if (b->amount + d.amount < 0) return false;
  }
  return !(opts_.random_no_vote && fx.choose(2) == 0);
}

// The vote is forced to the log before it leaves: an RM that crashes after voting must still be
// bound by it (and resends it on recovery). Aborted is also this RM's decision.
void PaxosCommit::vote(State& s, Fx& fx, TxId tx, bool yes) const {
  if (yes) {
    for (const Delta& d : tx_config(tx).deltas[instance_of(tx, s.node)]) {
      insert_key(s.vol.locks, Lock{d.account, tx});
      fx.observe(ObsKind::lock, tx, 0, d.account);
    }
  }
  insert_key(s.durable.log, RmRecord{tx, yes ? RmStatus::prepared : RmStatus::aborted, yes});
  fx.persist(s.durable);
  fx.observe(ObsKind::vote, tx, yes ? 1 : 0);
  if (!yes) fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, yes ? Phase::prepared : Phase::aborted);
  send_vote(fx, tx, s.node, yes);
  if (yes) fx.set_timer(timer_id(TimerKind::rm, tx), opts_.rm_timeout);
}

void PaxosCommit::send_vote(Fx& fx, TxId tx, NodeId rm, bool yes) const {
  Phase2a m{tx, 0, {}};
  m.values[instance_of(tx, rm)] = yes ? Value::prepared : Value::aborted;
  for (NodeId a : acceptors_) fx.send(a, m);
}

void PaxosCommit::handle(State& s, Fx& fx, NodeId, const Commit& m) const {
  const RmRecord* r = find_key(s.durable.log, m.tx);
  // Commit needs this RM's Prepared vote, so the record exists; an aborted one would be a
  // contradiction the invariants report (AC1): never reverse an outcome here.
  if (r != nullptr && r->status == RmStatus::prepared) apply_commit(s, fx, m.tx);
}

void PaxosCommit::handle(State& s, Fx& fx, NodeId, const Abort& m) const {
  const RmRecord* r = find_key(s.durable.log, m.tx);
  if (r == nullptr) {
    // The outcome arrived before (or instead of) Prepare: remember it, so a late Prepare is
    // not answered. This RM never voted, so no `vote` is observed.
    (void)instance_of(m.tx, s.node);
    insert_key(s.durable.log, RmRecord{m.tx, RmStatus::aborted, false});
    fx.persist(s.durable);
    fx.observe(ObsKind::decide, m.tx, 0);
    observe_phase(fx, m.tx, Phase::aborted);
    return;
  }
  if (r->status == RmStatus::prepared) apply_abort(s, fx, m.tx);
}

void PaxosCommit::apply_commit(State& s, Fx& fx, TxId tx) const {
  RmRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && r->status == RmStatus::prepared);
  const std::vector<Delta>& deltas = record_deltas(*r, s.node);
  for (const Delta& d : deltas) find_key(s.durable.balances, d.account)->amount += d.amount;
  release_locks(s, tx, deltas);
  r->status = RmStatus::committed;
  erase_key(s.vol.leading, tx);  // if it was leading a ballot itself: nothing left to learn
  fx.persist(s.durable);
  for (const Delta& d : deltas) {
    TXSIM_ASSERT(d.amount >= std::numeric_limits<std::int32_t>::min() &&
                 d.amount <= std::numeric_limits<std::int32_t>::max());
    fx.observe(ObsKind::balance, tx, static_cast<std::int32_t>(d.amount), d.account);
  }
  for (const Delta& d : deltas) fx.observe(ObsKind::unlock, tx, 0, d.account);
  fx.observe(ObsKind::decide, tx, 1);
  observe_phase(fx, tx, Phase::committed);
  fx.cancel_timer(timer_id(TimerKind::rm, tx));
}

void PaxosCommit::apply_abort(State& s, Fx& fx, TxId tx) const {
  RmRecord* r = find_key(s.durable.log, tx);
  TXSIM_ASSERT(r != nullptr && r->status == RmStatus::prepared);
  const std::vector<Delta>& deltas = record_deltas(*r, s.node);
  release_locks(s, tx, deltas);
  r->status = RmStatus::aborted;
  erase_key(s.vol.leading, tx);
  fx.persist(s.durable);
  for (const Delta& d : deltas) fx.observe(ObsKind::unlock, tx, 0, d.account);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
  fx.cancel_timer(timer_id(TimerKind::rm, tx));
}

// In doubt: lead a new ballot (the acceptors know whatever was chosen), or, with takeovers
// off or this RM's rounds used up, ask every node that may know the outcome: the initial
// leader, and the other RMs (any of which may have led a later ballot).
void PaxosCommit::on_rm_timer(State& s, Fx& fx, TxId tx) const {
  const RmRecord* r = find_key(s.durable.log, tx);
  if (r == nullptr || r->status != RmStatus::prepared) return;  // decided meanwhile
  const LeaderRecord* led = find_key(s.durable.leader, tx);
  const std::uint16_t rounds = led != nullptr ? led->round : 0;
  if (opts_.rm_takeover && rounds < opts_.max_round) {
    take_over(s, fx, tx);
  } else {
    fx.send(coordinator_, Query{tx});
    for (NodeId p : tx_config(tx).rms) {
      if (p != s.node) fx.send(p, Query{tx});
    }
  }
  fx.set_timer(timer_id(TimerKind::rm, tx), opts_.rm_timeout);
}

// Any node that knows the outcome answers; one that does not stays silent.
void PaxosCommit::handle(State& s, Fx& fx, NodeId from, const Query& m) const {
  const Decision d = known_decision(s, m.tx);
  if (d == Decision::commit) fx.send(from, Commit{m.tx});
  if (d == Decision::abort) fx.send(from, Abort{m.tx});
}

// Locks are volatile but in-doubt transactions still need them: re-acquire from the log, resend
// the vote (a crash may have cut the broadcast) and resume waiting for the outcome.
void PaxosCommit::recover_rm(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.locks.empty());
  for (const RmRecord& r : s.durable.log) {
    if (r.status != RmStatus::prepared) continue;
    for (const Delta& d : record_deltas(r, s.node)) {
      insert_key(s.vol.locks, Lock{d.account, r.tx});
      fx.observe(ObsKind::lock, r.tx, 0, d.account);
    }
    send_vote(fx, r.tx, s.node, true);
    fx.set_timer(timer_id(TimerKind::rm, r.tx), opts_.rm_timeout);
  }
}

}  // namespace txsim::paxos_commit
