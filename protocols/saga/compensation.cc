// Saga, the orchestrator going backward: after a step failed (or timed out), every completed
// step is compensated in reverse topological order - a step once none of its successors still
// needs compensating - with the failed step first when compensate_failed is on. A compensation
// that fails is retried with backoff; after max_compensation_attempts failures, or when a
// completed step cannot be compensated at all (a pivot, a step without a compensation), the
// saga is flagged for manual intervention.
//
// Sources: Garcia-Molina and Salem 1987, section 3 (backward recovery: T1..Tj then Cj..C1;
// compensations must eventually succeed, so they are retried); Richardson 2018, ch. 4; the
// "manual intervention" escape is what practitioners add when a compensation cannot succeed
// (e.g. the money it should take back has been spent).
//
// Invariants: a step is logged `compensating` before its Undo leaves; the saga reaches `failed`
// only when no completed step is left uncompensated and nothing is in flight; `decide` 0 is
// observed right after that persist.
#include <algorithm>

#include "protocols/saga/saga.h"
#include "sim/assert.h"

namespace txsim::saga {

void Saga::start_compensation(State& s, Fx& fx, SagaLog& log) const {
  log.status = SagaStatus::compensating;
  fx.persist(s.durable);
  observe_status(fx, log.tx, SagaStatus::compensating);
  compensate_ready(s, fx, log);
}

// The step's effects must be undone: it completed, or it failed and the option says a failed
// step may have applied. Pivots and steps without a compensation cannot be undone.
bool Saga::must_compensate(const SagaLog& log, std::uint16_t i) const {
  const StepConfig& c = step(log.tx, i);
  const StepState st = log.steps[i].state;
  const bool undoable = c.compensable && c.kind != SagaStepKind::pivot;
  if (st == StepState::done) return undoable;
  return st == StepState::failed && opts_.compensate_failed && undoable;
}

bool Saga::may_compensate(const SagaLog& log, std::uint16_t i) const {
  if (!must_compensate(log, i)) return false;
  for (std::uint16_t j : step(log.tx, i).successors) {
    const StepState st = log.steps[j].state;
    if (st == StepState::running || st == StepState::compensating || st == StepState::done)
      return false;  // a successor that ran (or may run) is undone first
    if (must_compensate(log, j)) return false;
  }
  return true;
}

void Saga::compensate_ready(State& s, Fx& fx, SagaLog& log) const {
  if (log.status != SagaStatus::compensating) return;
  std::vector<std::uint16_t> ready;
  for (std::uint16_t i = 0; i < log.steps.size(); ++i)
    if (may_compensate(log, i)) ready.push_back(i);
  for (std::uint16_t i : ready) log.steps[i].state = StepState::compensating;
  if (!ready.empty()) {
    fx.persist(s.durable);
    for (std::uint16_t i : ready) {
      fx.send(step(log.tx, i).service, Undo{log.tx, i});
      fx.set_timer(timer_id(TimerKind::step, log.tx, i), opts_.step_timeout);
    }
    return;
  }
  bool busy = false, stuck = false;
  for (std::uint16_t i = 0; i < log.steps.size(); ++i) {
    const StepState st = log.steps[i].state;
    busy |= st == StepState::running || st == StepState::compensating;
    stuck |= st == StepState::done || must_compensate(log, i);
  }
  if (busy) return;
  if (stuck) return flag_manual(s, fx, log);  // a completed step nobody can undo
  log.status = SagaStatus::failed;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, log.tx, 0);
  observe_status(fx, log.tx, SagaStatus::failed);
}

void Saga::on_undo_reply(State& s, Fx& fx, const UndoReply& m) const {
  TXSIM_ASSERT(s.node == orchestrator_);
  SagaLog* log = find_key(s.durable.logs, m.tx);
  if (log == nullptr || m.step >= log->steps.size()) return;
  StepLog& st = log->steps[m.step];
  if (st.state != StepState::compensating || log->status != SagaStatus::compensating) return;
  const TimerId timer = timer_id(TimerKind::step, m.tx, m.step);
  if (m.ok) {
    st.state = StepState::compensated;
    fx.cancel_timer(timer);
    fx.persist(s.durable);
    return compensate_ready(s, fx, *log);
  }
  if (st.failures < 255) ++st.failures;
  if (st.failures >= opts_.max_compensation_attempts) {
    fx.cancel_timer(timer);
    return flag_manual(s, fx, *log);
  }
  fx.persist(s.durable);
  fx.set_timer(timer, backoff(st.failures));
}

// The saga cannot reach a semantically atomic state by itself: a human must look at it.
void Saga::flag_manual(State& s, Fx& fx, SagaLog& log) const {
  log.status = SagaStatus::manual;
  fx.persist(s.durable);
  observe_status(fx, log.tx, SagaStatus::manual);
}

}  // namespace txsim::saga
