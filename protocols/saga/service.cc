// Saga, the services: each step's action and compensation as a local transaction on the
// service's accounts, guarded by the service's record of the step. The per-step options
// (`idempotent`, `commutative`, `compensation_fails` in the saga: block) switch the guards off
// one by one, so a student can see what each prevents.
//
// Sources: Garcia-Molina and Salem 1987 (each step and each compensation is a local
// transaction); Richardson 2018, ch. 4 (participants must be idempotent because messages are
// delivered at least once; a compensation may overtake its action, so it must commute with it:
// a compensation with nothing to undo records that, and the late action then does nothing).
//
// Business checks: an action or a compensation that would take an account below zero fails.
// An action fails on every attempt with `fails: true`, on its first N with `fails: N`, and (with
// random_step_failure) on a choice the checker explores.
//
// Invariants: a service keeps no volatile state and no timers but the status query's
// (status.cc); each change to its accounts and
// the record that says so is one persist, observed right after it.
#include "protocols/saga/saga.h"
#include "sim/assert.h"
#include "sim/ledger.h"

namespace txsim::saga {

bool Saga::apply(State& s, const std::vector<Delta>& deltas, bool check) const {
  for (const Delta& d : deltas) {
    const Wallet* w = find_key(s.durable.wallets, d.account);
    TXSIM_ASSERT_MSG(w != nullptr, "saga: a step touched an account its service does not own");
    if (check && w->balance + d.amount < 0) return false;
  }
  for (const Delta& d : deltas) find_key(s.durable.wallets, d.account)->balance += d.amount;
  return true;
}

bool Saga::action_fails(const State& s, Fx& fx, const StepConfig& c, const StepRecord& r) const {
  if (c.fails_always || r.attempts <= c.fails_first) return true;
  for (const Delta& d : c.action) {
    const Wallet* w = find_key(s.durable.wallets, d.account);
    TXSIM_ASSERT(w != nullptr);
    if (w->balance + d.amount < 0) return true;  // insufficient funds
  }
  return opts_.random_step_failure && c.kind != SagaStepKind::retriable && r.attempts == 1 &&
         fx.choose(2) == 1;
}

void Saga::on_do(State& s, Fx& fx, const Do& m) const {
  const StepConfig& c = step(m.tx, m.step);
  TXSIM_ASSERT(c.service == s.node);
  StepRecord& r = find_or_insert(s.durable.records, StepRecord{record_key(m.tx, m.step)});
  if (r.cancelled && c.commutative) {  // its compensation came first: the action must not run
    return fx.send(orchestrator_, DoReply{m.tx, m.step, false});
  }
  if (r.applied > 0 && c.idempotent) return fx.send(orchestrator_, DoReply{m.tx, m.step, true});
  if (r.failed && c.idempotent && c.kind != SagaStepKind::retriable) {  // same request, same answer
    return fx.send(orchestrator_, DoReply{m.tx, m.step, false});
  }
  if (r.attempts < 255) ++r.attempts;
  if (action_fails(s, fx, c, r)) {
    r.failed = true;
    fx.persist(s.durable);
    if (c.kind != SagaStepKind::retriable) fx.observe(ObsKind::vote, m.tx, 0);
    observe_phase(fx, m.tx, Phase::step_failed);
    return fx.send(orchestrator_, DoReply{m.tx, m.step, false});
  }
  if (c.restore && r.applied == 0) {  // keep the before-image the compensation will write back
    for (const Delta& d : c.action)
      r.before.push_back(find_key(s.durable.wallets, d.account)->balance);
  }
  apply(s, c.action, false);
  r.failed = false;
  if (r.applied < 255) ++r.applied;
  fx.persist(s.durable);
  for (const Delta& d : c.action)
    if (d.amount != 0) fx.observe(ObsKind::balance, m.tx, std::int32_t(d.amount), d.account);
  fx.observe(ObsKind::effect, m.tx, Ledger::kEffectApply);
  fx.observe(ObsKind::vote, m.tx, 1);
  observe_phase(fx, m.tx, Phase::step_done);
  fx.send(orchestrator_, DoReply{m.tx, m.step, true});
  arm_status_timer(fx, m.tx, m.step);
}

void Saga::on_undo(State& s, Fx& fx, const Undo& m) const {
  const StepConfig& c = step(m.tx, m.step);
  TXSIM_ASSERT(c.service == s.node);
  StepRecord& r = find_or_insert(s.durable.records, StepRecord{record_key(m.tx, m.step)});
  if (r.compensated > 0 && c.idempotent)
    return fx.send(orchestrator_, UndoReply{m.tx, m.step, true});
  if (r.applied == 0 && c.commutative) {  // nothing to undo; remember it for a late action
    r.cancelled = true;
    if (r.compensated < 255) ++r.compensated;
    fx.persist(s.durable);
    fx.observe(ObsKind::decide, m.tx, 0);
    observe_phase(fx, m.tx, Phase::null_compensated);
    return fx.send(orchestrator_, UndoReply{m.tx, m.step, true});
  }
  if (r.undo_attempts < 255) ++r.undo_attempts;
  if (c.restore) return restore_before_image(s, fx, m, r);
  if (r.undo_attempts <= c.compensation_fails || !apply(s, c.compensation, true)) {
    fx.persist(s.durable);
    observe_phase(fx, m.tx, Phase::compensation_failed);
    return fx.send(orchestrator_, UndoReply{m.tx, m.step, false});
  }
  if (r.applied == 0) r.cancelled = true;  // a blind compensation, before its action
  if (r.compensated < 255) ++r.compensated;
  fx.persist(s.durable);
  for (const Delta& d : c.compensation)
    if (d.amount != 0) fx.observe(ObsKind::balance, m.tx, std::int32_t(d.amount), d.account);
  fx.observe(ObsKind::effect, m.tx, Ledger::kEffectRelease);
  fx.observe(ObsKind::decide, m.tx, 0);
  observe_phase(fx, m.tx, Phase::compensated);
  fx.send(orchestrator_, UndoReply{m.tx, m.step, true});
}

// `compensation: restore`: the balances go back to what they were before the action, whatever
// other sagas did to them since - their updates are lost (money-conservation catches it).
void Saga::restore_before_image(State& s, Fx& fx, const Undo& m, StepRecord& r) const {
  const StepConfig& c = step(m.tx, m.step);
  std::vector<Delta> moved;
  for (std::size_t i = 0; i < c.action.size() && i < r.before.size(); ++i) {
    Wallet* w = find_key(s.durable.wallets, c.action[i].account);
    moved.push_back(Delta{w->account, r.before[i] - w->balance});
    w->balance = r.before[i];
  }
  if (r.compensated < 255) ++r.compensated;
  fx.persist(s.durable);
  for (const Delta& d : moved)
    if (d.amount != 0) fx.observe(ObsKind::balance, m.tx, std::int32_t(d.amount), d.account);
  fx.observe(ObsKind::effect, m.tx, Ledger::kEffectRelease);
  fx.observe(ObsKind::decide, m.tx, 0);
  observe_phase(fx, m.tx, Phase::compensated);
  fx.send(orchestrator_, UndoReply{m.tx, m.step, true});
}

void Saga::on_finished(State& s, Fx& fx, const Finished& m) const {
  for (std::uint16_t i = 0; i < config(m.tx).steps.size(); ++i) {
    if (step(m.tx, i).service != s.node || step(m.tx, i).status_after == 0) continue;
    StepRecord* r = find_key(s.durable.records, record_key(m.tx, i));
    if (r == nullptr || r->status_seen == 1 + std::uint8_t(SagaStatus::done)) continue;
    r->status_seen = 1 + std::uint8_t(SagaStatus::done);  // no need to ask any more
    fx.persist(s.durable);
    fx.cancel_timer(timer_id(TimerKind::status, m.tx, i));
  }
  fx.observe(ObsKind::decide, m.tx, 1);
  observe_phase(fx, m.tx, Phase::finished);
  fx.send(orchestrator_, FinishedAck{m.tx});
}

}  // namespace txsim::saga
