// Three-phase commit, the coordinator: phase one (CanCommit, votes, the vote timeout), phase
// two (PreCommit, acks, the ack timeout), phase three (DoCommit, acks, the end record), answers
// to participants that recovered, and its own recovery.
//
// Sources: Skeen 1981 (the coordinator's timeout rules: waiting for votes -> abort; waiting
// for PreCommit acks -> commit, since every participant is precommitted or has failed);
// Bernstein, Hadzilacos & Goodman ch. 7 (the start record, the decision records forced before
// DoCommit / Abort leave, and that a recovering coordinator without a decision must learn it
// from the participants, who may have terminated without it).
//
// Invariants: a tx has a Round exactly while the coordinator waits for something about it;
// the coordinator observes `decide` once per tx, after the persist of the decision record.
#include "protocols/three_phase/three_phase.h"
#include "sim/assert.h"

namespace txsim::three_phase {
namespace {

void send_all(ThreePhase::Fx& fx, const TxConfig& cfg, const Msg& msg, NodeId except) {
  for (NodeId p : cfg.participants) {
    if (p != except) fx.send(p, msg);
  }
}

}  // namespace

// The start record is forced before any CanCommit leaves: a coordinator that recovers knows
// which transactions it may have started and must learn the outcome of.
void ThreePhase::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT_MSG(s.node == coordinator_, "three_phase: request sent to a non-coordinator");
  if (find_key(s.durable.coord_log, tx) || find_key(s.vol.rounds, tx)) return;
  insert_key(s.durable.coord_log, CoordRecord{tx, CoordStatus::started});
  insert_key(s.vol.rounds, Round{tx, RoundPhase::collecting, 0});
  fx.persist(s.durable);
  observe_phase(fx, tx, Phase::collecting);
  send_all(fx, tx_config(tx), CanCommit{tx}, kNoNode);
  fx.set_timer(timer_id(TimerKind::vote_timeout, tx), opts_.vote_timeout);
}

void ThreePhase::coord_vote(State& s, Fx& fx, NodeId from, const Vote& m) const {
  Round* r = find_key(s.vol.rounds, m.tx);
  if (r == nullptr || r->phase != RoundPhase::collecting) return;  // late or repeated vote
  const TxConfig& cfg = tx_config(m.tx);
  TXSIM_ASSERT_MSG(has_bit(cfg.members, from), "three_phase: vote from a non-participant");
  if (!m.yes) return coord_abort(s, fx, m.tx, from);
  r->answered |= node_bit(from);
  if (r->answered == cfg.members) start_precommit(s, fx, m.tx);
}

// Everyone voted yes. Nothing is logged: a coordinator that crashes now recovers as "started"
// and the participants' termination protocol decides (PreCommit is not yet a decision).
void ThreePhase::start_precommit(State& s, Fx& fx, TxId tx) const {
  Round* r = find_key(s.vol.rounds, tx);
  TXSIM_ASSERT(r != nullptr);
  r->phase = RoundPhase::precommitting;
  r->answered = 0;
  fx.cancel_timer(timer_id(TimerKind::vote_timeout, tx));
  observe_phase(fx, tx, Phase::precommitting);
  send_all(fx, tx_config(tx), PreCommit{tx}, kNoNode);
  fx.set_timer(timer_id(TimerKind::ack_timeout, tx), opts_.ack_timeout);
}

void ThreePhase::coord_precommit_ack(State& s, Fx& fx, NodeId from, TxId tx) const {
  Round* r = find_key(s.vol.rounds, tx);
  if (r == nullptr || r->phase != RoundPhase::precommitting) return;
  r->answered |= node_bit(from);
  if (r->answered == tx_config(tx).members) coord_commit(s, fx, tx);
}

// The commit record is forced before the first DoCommit leaves.
void ThreePhase::coord_commit(State& s, Fx& fx, TxId tx) const {
  CoordRecord* rec = find_key(s.durable.coord_log, tx);
  Round* r = find_key(s.vol.rounds, tx);
  TXSIM_ASSERT(rec != nullptr && rec->status == CoordStatus::started && r != nullptr);
  rec->status = CoordStatus::committed;
  r->phase = RoundPhase::acking;
  r->answered = 0;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, 1);
  observe_phase(fx, tx, Phase::committed);
  fx.cancel_timer(timer_id(TimerKind::ack_timeout, tx));
  send_all(fx, tx_config(tx), DoCommit{tx}, kNoNode);
}

// The abort record is forced too (no presumption): a recovered coordinator answers from it.
// The participant that voted no already aborted, so it gets no message.
void ThreePhase::coord_abort(State& s, Fx& fx, TxId tx, NodeId no_voter) const {
  CoordRecord* rec = find_key(s.durable.coord_log, tx);
  TXSIM_ASSERT(rec != nullptr && rec->status == CoordStatus::started);
  rec->status = CoordStatus::aborted;
  erase_key(s.vol.rounds, tx);
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::aborted);
  fx.cancel_timer(timer_id(TimerKind::vote_timeout, tx));
  fx.cancel_timer(timer_id(TimerKind::ack_timeout, tx));
  send_all(fx, tx_config(tx), Abort{tx}, no_voter);
}

void ThreePhase::on_vote_timeout(State& s, Fx& fx, TxId tx) const {
  const Round* r = find_key(s.vol.rounds, tx);
  if (r == nullptr || r->phase != RoundPhase::collecting) return;
  coord_abort(s, fx, tx, kNoNode);
}

// Every participant voted yes, and the ones that acked are precommitted: those that did not
// ack are taken to have failed, and will learn the outcome when they recover.
void ThreePhase::on_ack_timeout(State& s, Fx& fx, TxId tx) const {
  const Round* r = find_key(s.vol.rounds, tx);
  if (r == nullptr || r->phase != RoundPhase::precommitting) return;
  coord_commit(s, fx, tx);
}

void ThreePhase::coord_commit_ack(State& s, Fx& fx, NodeId from, TxId tx) const {
  Round* r = find_key(s.vol.rounds, tx);
  if (r == nullptr || r->phase != RoundPhase::acking) return;
  r->answered |= node_bit(from);
  if (r->answered != tx_config(tx).members) return;
  // Every participant applied the commit: the end record lets the log forget tx.
  erase_key(s.vol.rounds, tx);
  erase_key(s.durable.coord_log, tx);
  fx.persist(s.durable);
  fx.observe(ObsKind::forget, tx);
}

// A participant lost its volatile state and asks. Answer from the log, or repeat the message
// of the current phase so that it answers again.
void ThreePhase::coord_query(State& s, Fx& fx, NodeId from, TxId tx) const {
  const CoordRecord* rec = find_key(s.durable.coord_log, tx);
  if (rec == nullptr) return;  // not started yet (the CanCommit will come), or forgotten
  if (rec->status == CoordStatus::committed) return fx.send(from, DoCommit{tx});
  if (rec->status == CoordStatus::aborted) return fx.send(from, Abort{tx});
  const Round* r = find_key(s.vol.rounds, tx);
  if (r == nullptr) return;
  if (r->phase == RoundPhase::collecting) fx.send(from, CanCommit{tx});
  if (r->phase == RoundPhase::precommitting) fx.send(from, PreCommit{tx});
}

// A termination leader (or a participant answering this coordinator's Query) says how tx
// ended. Adopt it if undecided; never reverse a logged decision.
void ThreePhase::coord_learn(State& s, Fx& fx, TxId tx, bool commit) const {
  CoordRecord* rec = find_key(s.durable.coord_log, tx);
  if (rec == nullptr || rec->status != CoordStatus::started) return;
  rec->status = commit ? CoordStatus::committed : CoordStatus::aborted;
  erase_key(s.vol.rounds, tx);
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, commit ? 1 : 0);
  observe_phase(fx, tx, commit ? Phase::committed : Phase::aborted);
  fx.cancel_timer(timer_id(TimerKind::vote_timeout, tx));
  fx.cancel_timer(timer_id(TimerKind::ack_timeout, tx));
}

// A started transaction without a decision: the participants may have terminated without
// this node, so it must not decide alone. It asks; participants that know answer, and the
// ones still waiting for it take the Query as proof that it failed and elect a leader, who
// sends the outcome here too. A logged commit restarts phase three.
void ThreePhase::recover_coordinator(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.vol.rounds.empty());
  for (const CoordRecord& rec : s.durable.coord_log) {
    const TxConfig& cfg = tx_config(rec.tx);
    if (rec.status == CoordStatus::started) {
      s.vol.rounds.push_back(Round{rec.tx, RoundPhase::querying, 0});  // coord_log is sorted
      observe_phase(fx, rec.tx, Phase::querying);
      send_all(fx, cfg, Query{rec.tx}, kNoNode);
    } else if (rec.status == CoordStatus::committed) {
      s.vol.rounds.push_back(Round{rec.tx, RoundPhase::acking, 0});
      send_all(fx, cfg, DoCommit{rec.tx}, kNoNode);
    }
  }
}

}  // namespace txsim::three_phase
