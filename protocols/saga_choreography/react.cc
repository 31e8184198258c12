// Choreography, the services' reactions: an event updates the service's view of the saga, and
// the view alone says what the service's step must do now - run, compensate, cancel, or
// nothing. Sources: Richardson 2018, ch. 4 (choreography; compensating events; idempotent
// consumers because delivery is at least once; a compensation may overtake its action, so a
// service records the cancellation and ignores the late action); Garcia-Molina and Salem 1987
// (compensations in reverse order; they must eventually succeed, so they are retried).
//
// Invariants: an event is acked only after the persist that records what it caused; each
// local transaction (action, compensation, cancellation) changes the accounts, the record,
// the view and the outbox in one persist, observed right after it; a step runs forward only
// while its service knows of no failure, and is compensated only once every successor is
// settled, so compensations run in reverse topological order.
#include "protocols/saga_choreography/choreography.h"
#include "sim/assert.h"
#include "sim/ledger.h"

namespace txsim::choreo {
namespace {

std::uint32_t bit(std::uint16_t i) { return std::uint32_t{1} << i; }

bool knows(const View& v, const Event& e) {
  switch (e.what) {
    case What::begun: return v.begun;
    case What::done: return (v.done & bit(e.step)) != 0;
    case What::failed: return (v.failed & bit(e.step)) != 0;
    case What::compensated: return (v.compensated & bit(e.step)) != 0;
  }
  return false;
}

void learn(View& v, const Event& e) {
  switch (e.what) {
    case What::begun: v.begun = true; break;
    case What::done: v.done |= bit(e.step); break;
    case What::failed: v.failed |= bit(e.step); break;
    case What::compensated: v.compensated |= bit(e.step); break;
  }
}

}  // namespace

void Choreography::on_event(State& s, Fx& fx, NodeId from, const Event& e) const {
  if (e.tx >= saga_of_tx_.size() || step_at(e.tx, s.node) == kStepsMax) return;
  if (e.what != What::begun && e.step >= saga_of(e.tx).config.steps.size()) return;
  View& v = find_or_insert(s.durable.views, View{e.tx});
  const bool dup = knows(v, e);
  Outbound out;
  if (!dup) {
    learn(v, e);
    out.dirty = true;
  }
  react(s, fx, out, e.tx, &e, dup);
  flush(s, fx, out);
  fx.send(from, Ack{e.tx, e.step, e.what});
}

// Bit j of the view says what is known of step j; a step is also settled when one of its
// predecessors is (it can never run). Steps are few (<= 32) and form a DAG, so the recursion
// ends; `depth` bounds it all the same.
bool Choreography::dead(const View& v, TxId tx, std::uint16_t j, int depth) const {
  if (((v.failed | v.compensated) & bit(j)) != 0) return true;
  if ((v.done & bit(j)) != 0 || depth > int(kStepsMax)) return false;
  for (std::uint16_t p : step(tx, j).after)
    if (dead(v, tx, p, depth + 1)) return true;
  return false;
}

bool Choreography::predecessor_dead(const View& v, TxId tx, std::uint16_t i) const {
  for (std::uint16_t p : step(tx, i).after)
    if (dead(v, tx, p)) return true;
  return false;
}

bool Choreography::successors_settled(const View& v, TxId tx, std::uint16_t i) const {
  for (std::uint16_t j : step(tx, i).successors)
    if (!dead(v, tx, j)) return false;
  return true;
}

bool Choreography::ready(const View& v, TxId tx, std::uint16_t i) const {
  const auto& after = step(tx, i).after;
  if (after.empty()) return v.begun;
  for (std::uint16_t p : after)
    if ((v.done & bit(p)) == 0) return false;
  return true;
}

// The events that start step i: SagaBegun for a root step, StepDone of a predecessor.
bool Choreography::is_trigger(TxId tx, std::uint16_t i, const Event& e) const {
  const auto& after = step(tx, i).after;
  if (e.what == What::begun) return after.empty();
  if (e.what != What::done) return false;
  for (std::uint16_t p : after)
    if (p == e.step) return true;
  return false;
}

void Choreography::react(State& s, Fx& fx, Outbound& out, TxId tx, const Event* e,
                         bool dup) const {
  const std::uint16_t i = step_at(tx, s.node);
  if (i == kStepsMax) return;
  const saga::StepConfig& c = step(tx, i);
  View* v = find_key(s.durable.views, tx);
  if (v == nullptr) return;
  StepRecord& r = find_or_insert(s.durable.records, StepRecord{record_key(tx, i)});
  const bool fresh = r.applied == 0 && !r.failed && !r.cancelled;
  const std::uint32_t key = e != nullptr ? event_key(*e) : 0;
  // A service without idempotency keeps no record of the events it handled: the event that
  // ran its action (or compensation), delivered again, runs it again.
  const bool again = !c.idempotent && dup && key != 0;
  if (v->failed == 0) {
    if (fresh && ready(*v, tx, i)) {
      run_action(s, fx, out, tx, i, key);
    } else if (again && r.trigger == key && r.applied > 0 && r.compensated == 0 &&
               is_trigger(tx, i, *e)) {
      run_action(s, fx, out, tx, i, key);
    }
  } else {
    const bool undoable = c.compensable && c.kind != SagaStepKind::pivot;
    if (r.applied > 0 && r.compensated == 0 && !r.manual && undoable &&
        successors_settled(*v, tx, i)) {
      compensate(s, fx, out, tx, i, key);
    } else if (again && r.undo_trigger == key && r.compensated > 0 && !r.cancelled) {
      compensate(s, fx, out, tx, i, key);
    } else if (fresh && !r.manual && !predecessor_dead(*v, tx, i)) {
      cancel(s, fx, out, tx, i);  // its trigger may still be on the bus
    }
  }
  if (v->done == saga_of(tx).all && !v->finished) {
    finish(s, fx, *v);
    out.dirty = false;
  }
}

bool Choreography::apply(State& s, const std::vector<saga::Delta>& deltas, bool check) const {
  for (const saga::Delta& d : deltas) {
    const Wallet* w = find_key(s.durable.wallets, d.account);
    TXSIM_ASSERT_MSG(w != nullptr, "saga_choreography: a step touched another service's account");
    if (check && w->balance + d.amount < 0) return false;
  }
  for (const saga::Delta& d : deltas) find_key(s.durable.wallets, d.account)->balance += d.amount;
  return true;
}

bool Choreography::action_fails(const State& s, Fx& fx, const saga::StepConfig& c,
                                const StepRecord& r) const {
  if (c.fails_always || r.attempts <= c.fails_first) return true;
  for (const saga::Delta& d : c.action) {
    const Wallet* w = find_key(s.durable.wallets, d.account);
    TXSIM_ASSERT(w != nullptr);
    if (w->balance + d.amount < 0) return true;  // insufficient funds or stock
  }
  return opts_.random_step_failure && c.kind != SagaStepKind::retriable && r.attempts == 1 &&
         fx.choose(2) == 1;
}

void Choreography::run_action(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i,
                              std::uint32_t trigger) const {
  const saga::StepConfig& c = step(tx, i);
  StepRecord& r = *find_key(s.durable.records, record_key(tx, i));
  View& v = *find_key(s.durable.views, tx);
  if (r.attempts < 255) ++r.attempts;
  r.trigger = trigger;
  if (action_fails(s, fx, c, r)) {
    if (c.kind == SagaStepKind::retriable) {  // forward recovery: try again later
      fx.persist(s.durable);
      out.dirty = false;
      observe_phase(fx, tx, Phase::step_failed);
      return fx.set_timer(timer_id(TimerKind::retry, tx, i), backoff(r.attempts));
    }
    r.failed = true;
    v.failed |= bit(i);
    publish(s, out, tx, i, What::failed);
    fx.persist(s.durable);
    out.dirty = false;
    fx.observe(ObsKind::vote, tx, 0);
    fx.observe(ObsKind::decide, tx, 0);
    return observe_phase(fx, tx, Phase::step_failed);
  }
  apply(s, c.action, false);
  if (r.applied < 255) ++r.applied;
  v.done |= bit(i);
  publish(s, out, tx, i, What::done);
  fx.persist(s.durable);
  out.dirty = false;
  for (const saga::Delta& d : c.action)
    if (d.amount != 0) fx.observe(ObsKind::balance, tx, std::int32_t(d.amount), d.account);
  fx.observe(ObsKind::effect, tx, Ledger::kEffectApply);
  fx.observe(ObsKind::vote, tx, 1);
  observe_phase(fx, tx, Phase::step_done);
}

// Runs the compensation of step i: after its action, or blindly (a non-commutative service
// whose step never ran). It fails on its first compensation_fails attempts and when it would
// take an account below zero; it is then retried, and flagged after the last attempt.
void Choreography::compensate(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i,
                              std::uint32_t trigger) const {
  const saga::StepConfig& c = step(tx, i);
  StepRecord& r = *find_key(s.durable.records, record_key(tx, i));
  View& v = *find_key(s.durable.views, tx);
  if (r.undo_attempts < 255) ++r.undo_attempts;
  r.undo_trigger = trigger;
  if (r.undo_attempts <= c.compensation_fails || !apply(s, c.compensation, true)) {
    r.manual = r.undo_attempts >= opts_.max_compensation_attempts;
    fx.persist(s.durable);
    out.dirty = false;
    observe_phase(fx, tx, Phase::compensation_failed);
    if (r.manual) return observe_phase(fx, tx, Phase::manual);
    return fx.set_timer(timer_id(TimerKind::retry, tx, i), backoff(r.undo_attempts));
  }
  if (r.applied == 0) r.cancelled = true;  // a blind compensation, before its action
  if (r.compensated < 255) ++r.compensated;
  v.compensated |= bit(i);
  publish(s, out, tx, i, What::compensated);
  fx.persist(s.durable);
  out.dirty = false;
  for (const saga::Delta& d : c.compensation)
    if (d.amount != 0) fx.observe(ObsKind::balance, tx, std::int32_t(d.amount), d.account);
  fx.observe(ObsKind::effect, tx, Ledger::kEffectRelease);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::compensated);
}

// The saga failed and step i has not run, but could still be started by an event on its way.
// A commutative service settles it with a null compensation (and will ignore the late event);
// a non-commutative one cannot tell "not yet" from "done" and compensates blindly.
void Choreography::cancel(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i) const {
  if (!step(tx, i).commutative) return compensate(s, fx, out, tx, i, 0);
  StepRecord& r = *find_key(s.durable.records, record_key(tx, i));
  View& v = *find_key(s.durable.views, tx);
  r.cancelled = true;
  v.compensated |= bit(i);
  publish(s, out, tx, i, What::compensated);
  fx.persist(s.durable);
  out.dirty = false;
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::null_compensated);
}

void Choreography::finish(State& s, Fx& fx, View& v) const {
  v.finished = true;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, v.tx, 1);
  observe_phase(fx, v.tx, Phase::finished);
}

}  // namespace txsim::choreo
