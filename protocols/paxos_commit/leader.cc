// Paxos Commit, the leaders: the initial leader starts a transaction (Prepare to every RM) and
// learns each instance's value from the acceptors' phase 2b; any leader candidate (the initial
// leader on its timeout, an in-doubt RM on its own) takes over an undecided transaction with a
// higher ballot: phase 1a to the acceptors, then for each instance the value of the
// highest-ballot phase 2a reported in a majority of phase 1b, or Aborted if there is none.
// Commit iff every instance chose Prepared.
//
// Source: Gray & Lamport 2006, section 4 ("if the leader does not learn the outcome of an
// instance in time, it starts a new ballot and proposes Aborted unless a value may have been
// chosen"), PaxosCommit.tla (Phase1a, Phase2a, Decide), and Lamport, "Paxos Made Simple" (2001)
// for why competing leaders cannot choose different values in one instance.
//
// Invariants: a node proposes only in its own ballots (round * nodes + id, round >= 1), and
// writes the round to its log before phase 1a leaves, so a restarted leader never reuses a
// ballot with a different proposal; `chosen` holds a value only once a majority accepted it in
// one ballot; a leader decides once per transaction, then keeps no vote counting for it.
#include <algorithm>

#include "protocols/paxos_commit/paxos_commit.h"
#include "sim/assert.h"

namespace txsim::paxos_commit {

void PaxosCommit::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT_MSG(s.node == coordinator_, "paxos_commit: request sent to a non-leader");
  if (find_key(s.durable.leader, tx)) return;  // submitted twice
  insert_key(s.durable.leader, LeaderRecord{tx, 0, Decision::none});
  fx.persist(s.durable);  // a restarted leader resumes the transaction (recover_leader)
  insert_key(s.vol.leading, Leading{tx});
  observe_phase(fx, tx, Phase::collecting);
  for (NodeId rm : tx_config(tx).rms) fx.send(rm, Prepare{tx});
  fx.set_timer(timer_id(TimerKind::leader, tx), opts_.leader_timeout);
}

// Starts the next round of this node, unless it has used them all.
void PaxosCommit::take_over(State& s, Fx& fx, TxId tx) const {
  if (known_decision(s, tx) != Decision::none) return;
  LeaderRecord& rec = find_or_insert(s.durable.leader, tx);
  if (rec.round >= opts_.max_round) return;
  ++rec.round;
  fx.persist(s.durable);
  Leading& l = find_or_insert(s.vol.leading, tx);
  l.stage = Stage::phase1;
  l.ballot = ballot_of(rec.round, s.node);
  l.promised = 0;
  l.best = {};
  observe_phase(fx, tx, Phase::takeover);
  for (NodeId a : acceptors_) fx.send(a, Phase1a{tx, l.ballot});
}

void PaxosCommit::handle(State& s, Fx& fx, NodeId from, const Phase1b& m) const {
  Leading* l = find_key(s.vol.leading, m.tx);
  if (l == nullptr || l->stage != Stage::phase1 || l->ballot != m.ballot) return;  // stale
  const auto bit = static_cast<AcceptorMask>(1u << acceptor_index(from));
  if ((l->promised & bit) != 0) return;  // a duplicate
  l->promised |= bit;
  for (std::size_t i = 0; i < kInstancesMax; ++i) {
    const Accepted& a = m.accepted[i];
    if (a.val != Value::none && (l->best[i].val == Value::none || a.bal > l->best[i].bal)) {
      l->best[i] = a;
    }
  }
  if (count_of(l->promised) >= majority()) propose(s, fx, *l);
}

// A majority promised: no ballot below ours can choose anything new, and whatever a lower
// ballot may have chosen is the highest-ballot value reported. Anything else is free, and the
// free choice is Aborted (an RM that has not voted may never vote).
void PaxosCommit::propose(State&, Fx& fx, Leading& l) const {
  Phase2a p{l.tx, l.ballot, {}};
  for (std::size_t i = 0; i < tx_config(l.tx).rms.size(); ++i) {
    p.values[i] = l.best[i].val != Value::none ? l.best[i].val : Value::aborted;
  }
  // Phase 1 is over: forget which acceptors answered, so that states differing only in that
  // are one state (for the checker; nothing reads them any more).
  l.stage = Stage::phase2;
  l.promised = 0;
  l.best = {};
  for (NodeId a : acceptors_) fx.send(a, p);
}

void PaxosCommit::handle(State& s, Fx& fx, NodeId from, const Phase2b& m) const {
  TXSIM_ASSERT(ballot_owner(m.ballot) == s.node);
  Leading* l = find_key(s.vol.leading, m.tx);
  if (l == nullptr) return;  // decided already, or a restart forgot the counting
  const auto bit = static_cast<AcceptorMask>(1u << acceptor_index(from));
  for (std::size_t i = 0; i < kInstancesMax; ++i) {
    if (m.values[i] != Value::none) learn(s, fx, *l, i, m.ballot, m.values[i], bit);
  }
  // Commit once every instance chose Prepared; abort as soon as one chose Aborted.
  const std::size_t n = tx_config(m.tx).rms.size();
  bool all_prepared = true;
  bool any_aborted = false;
  for (std::size_t i = 0; i < n; ++i) {
    all_prepared = all_prepared && l->chosen[i] == Value::prepared;
    any_aborted = any_aborted || l->chosen[i] == Value::aborted;
  }
  if (all_prepared || any_aborted) decide(s, fx, m.tx, all_prepared);
}

// Counts one acceptor's phase 2b for one instance; a majority in one ballot chooses the value.
void PaxosCommit::learn(State&, Fx&, Leading& l, std::size_t instance, Ballot bal, Value val,
                        AcceptorMask from) const {
  if (l.chosen[instance] != Value::none) return;  // chosen is final: later 2b change nothing
  Learn& c = l.learn[instance];
  if (c.acceptors != 0 && bal < c.bal) return;
  if (c.acceptors == 0 || bal > c.bal) c = Learn{bal, 0, val};
  TXSIM_ASSERT_MSG(c.val == val, "paxos_commit: two values in one ballot");
  c.acceptors |= from;
  if (count_of(c.acceptors) < majority()) return;
  l.chosen[instance] = val;
  c = Learn{};
}

// The outcome is known: log it (so queries are answered after a restart), tell every RM. A
// leader that is an RM of the transaction (necessarily in doubt: it leads only then) applies
// the outcome to itself, which observes its decision once.
void PaxosCommit::decide(State& s, Fx& fx, TxId tx, bool commit) const {
  LeaderRecord& rec = find_or_insert(s.durable.leader, tx);
  rec.decision = commit ? Decision::commit : Decision::abort;
  erase_key(s.vol.leading, tx);
  fx.persist(s.durable);
  const RmRecord* own = find_key(s.durable.log, tx);
  const bool in_doubt = own != nullptr && own->status == RmStatus::prepared;
  if (!in_doubt) fx.observe(ObsKind::decide, tx, commit ? 1 : 0);
  if (s.node == coordinator_) {
    observe_phase(fx, tx, commit ? Phase::committed : Phase::aborted);
    fx.cancel_timer(timer_id(TimerKind::leader, tx));
  }
  for (NodeId rm : tx_config(tx).rms) {
    if (rm != s.node) fx.send(rm, commit ? Msg{Commit{tx}} : Msg{Abort{tx}});
  }
  if (in_doubt && commit) apply_commit(s, fx, tx);
  if (in_doubt && !commit) apply_abort(s, fx, tx);
}

void PaxosCommit::on_leader_timer(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT(s.node == coordinator_);
  if (known_decision(s, tx) != Decision::none) return;
  take_over(s, fx, tx);
  const LeaderRecord* rec = find_key(s.durable.leader, tx);
  if (rec != nullptr && rec->round < opts_.max_round) {
    fx.set_timer(timer_id(TimerKind::leader, tx), opts_.leader_timeout);
  }
}

// Vote counting is volatile: a restarted leader counts afresh (phase 2b of ballot 0 that is
// still on its way) and takes over again when its timer fires. An RM candidate's timer is
// re-armed by recover_rm while it is in doubt.
void PaxosCommit::recover_leader(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.leading.empty());
  for (const LeaderRecord& rec : s.durable.leader) {
    if (known_decision(s, rec.tx) != Decision::none) continue;
    s.vol.leading.push_back(Leading{rec.tx});  // leader is ascending, so leading is too
    if (s.node == coordinator_ && rec.round < opts_.max_round) {
      fx.set_timer(timer_id(TimerKind::leader, rec.tx), opts_.leader_timeout);
    }
  }
}

Decision PaxosCommit::known_decision(const State& s, TxId tx) const {
  if (const LeaderRecord* rec = find_key(s.durable.leader, tx)) {
    if (rec->decision != Decision::none) return rec->decision;
  }
  if (const RmRecord* r = find_key(s.durable.log, tx)) {
    if (r->status == RmStatus::committed) return Decision::commit;
    if (r->status == RmStatus::aborted) return Decision::abort;
  }
  return Decision::none;
}

}  // namespace txsim::paxos_commit
