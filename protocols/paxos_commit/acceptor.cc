// Paxos Commit, the acceptors: phase 1b (promise a ballot, report what was accepted) and
// phase 2b (accept a proposal), for every instance of a transaction at once.
//
// Source: Gray & Lamport 2006, section 4 and PaxosCommit.tla (Phase1b, Phase2b): an acceptor
// answers phase 1a of ballot b only if it has not promised a higher one, and accepts phase 2a of
// ballot b only if it has not promised a ballot above b. Everything it answers from is forced to
// its log first, so a crash never makes it forget a promise or an accepted value -- the whole
// safety argument of Paxos rests on that.
//
// Phase 2b goes to the ballot's owner, the only node that counts it. In ballot 0 an acceptor
// bundles it: one phase 2b for every instance, sent once all the RMs' votes arrived (or at once
// for an Aborted vote). Section 4 of the paper bundles messages of different instances the
// same way; here it halves the fast path's phase 2b messages, and the checker's state space.
//
// Invariants: per transaction, `promised` never decreases and is at least the ballot of every
// accepted slot (so while promised is 0, every accepted slot is from ballot 0); an accepted slot
// only changes to a higher ballot (or, at ballot 0, stays the RM's one value).
#include <algorithm>

#include "protocols/paxos_commit/paxos_commit.h"
#include "sim/assert.h"

namespace txsim::paxos_commit {

std::size_t PaxosCommit::acceptor_index(NodeId node) const {
  auto it = std::lower_bound(acceptors_.begin(), acceptors_.end(), node);
  TXSIM_ASSERT_MSG(it != acceptors_.end() && *it == node, "paxos_commit: not an acceptor");
  return static_cast<std::size_t>(it - acceptors_.begin());
}

// A lower ballot is ignored: its leader times out and tries a higher one. The same ballot again
// (a retransmission) gets the same answer.
void PaxosCommit::handle(State& s, Fx& fx, NodeId from, const Phase1a& m) const {
  (void)acceptor_index(s.node);
  TXSIM_ASSERT(m.ballot > 0 && ballot_owner(m.ballot) == from);
  AcceptorRecord& rec = find_or_insert(s.durable.acceptor, m.tx);
  if (m.ballot < rec.promised) return;
  if (m.ballot > rec.promised) {
    rec.promised = m.ballot;
    fx.persist(s.durable);
    observe_phase(fx, m.tx, Phase::promised);
  }
  fx.send(from, Phase1b{m.tx, m.ballot, rec.accepted});
}

void PaxosCommit::handle(State& s, Fx& fx, NodeId from, const Phase2a& m) const {
  (void)acceptor_index(s.node);
  TXSIM_ASSERT(m.ballot > 0 ? ballot_owner(m.ballot) == from : is_rm_of(m.tx, from));
  AcceptorRecord& rec = find_or_insert(s.durable.acceptor, m.tx);
  if (m.ballot < rec.promised) return;
  bool changed = m.ballot > rec.promised;
  rec.promised = m.ballot;
  for (std::size_t i = 0; i < kInstancesMax; ++i) {
    if (m.values[i] == Value::none) continue;
    const Accepted now{m.ballot, m.values[i]};
    // Each ballot has one proposer with one value per instance (at ballot 0, the RM's vote).
    TXSIM_ASSERT(rec.accepted[i].bal < m.ballot || rec.accepted[i] == now ||
                 rec.accepted[i].val == Value::none);
    if (rec.accepted[i] == now) continue;
    rec.accepted[i] = now;
    changed = true;
  }
  if (changed) {
    fx.persist(s.durable);
    observe_phase(fx, m.tx, Phase::accepted);
  }
  if (m.ballot > 0) return fx.send(ballot_owner(m.ballot), Phase2b{m.tx, m.ballot, m.values});
  // Ballot 0: one phase 2b for all instances, once every RM's vote is here (the leader needs
  // them all to commit), or at once when a vote is Aborted (that alone decides abort).
  const std::size_t n = tx_config(m.tx).rms.size();
  Phase2b all{m.tx, 0, {}};
  bool complete = true;
  bool aborted = false;
  for (std::size_t i = 0; i < n; ++i) {
    all.values[i] = rec.accepted[i].val;
    complete = complete && all.values[i] != Value::none;
    aborted = aborted || m.values[i] == Value::aborted;
  }
  if (complete || aborted) fx.send(coordinator_, all);
}

}  // namespace txsim::paxos_commit
