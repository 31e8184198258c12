// Saga, the orchestrator going forward: the durable saga log, starting every ready step (the
// parallel branches of the DAG at once), retrying retriable steps with exponential backoff,
// per-step timeouts, the final notification of the services, and recovery from the log.
//
// Sources: Garcia-Molina and Salem 1987, section 5 (the saga execution component and its log:
// after a crash, steps that were running are run again, which is why services must be
// idempotent); Richardson 2018, ch. 4 (an orchestrator that sends command messages and reacts
// to replies; retriable steps after the pivot are retried until they succeed).
//
// Invariants: a step is logged `running` (persisted) before its Do leaves; the saga's status
// changes only executing -> compensating -> failed | manual, or executing -> done; `decide` is
// observed right after the persist of a final status; every armed step timer belongs to a step
// that is running or compensating.
#include <algorithm>

#include "protocols/saga/saga.h"
#include "sim/assert.h"

namespace txsim::saga {
namespace {

bool all_in(const SagaLog& log, StepState st) {
  return std::all_of(log.steps.begin(), log.steps.end(),
                     [st](const StepLog& l) { return l.state == st; });
}

}  // namespace

void Saga::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT_MSG(s.node == orchestrator_, "saga: request sent to a non-orchestrator");
  if (find_key(s.durable.logs, tx) != nullptr) return;  // a repeated request
  SagaLog fresh{tx, SagaStatus::executing, std::vector<StepLog>(config(tx).steps.size())};
  SagaLog& log = find_or_insert(s.durable.logs, std::move(fresh));
  fx.persist(s.durable);
  observe_status(fx, tx, SagaStatus::executing);
  start_ready(s, fx, log);
}

// Every pending step whose `after` steps are done starts now; the saga is done when none is
// left. One persist logs them all as running before the first Do leaves.
void Saga::start_ready(State& s, Fx& fx, SagaLog& log) const {
  const SagaConfig& c = config(log.tx);
  std::vector<std::uint16_t> ready;
  for (std::uint16_t i = 0; i < c.steps.size(); ++i) {
    if (log.steps[i].state != StepState::pending) continue;
    const auto& after = c.steps[i].after;
    if (std::all_of(after.begin(), after.end(),
                    [&](std::uint16_t a) { return log.steps[a].state == StepState::done; }))
      ready.push_back(i);
  }
  if (ready.empty()) {
    if (all_in(log, StepState::done)) return finish_done(s, fx, log);
    fx.persist(s.durable);  // a step finished; others still run
    return;
  }
  for (std::uint16_t i : ready) log.steps[i].state = StepState::running;
  fx.persist(s.durable);
  for (std::uint16_t i : ready) send_do(fx, log.tx, i);
}

void Saga::send_do(Fx& fx, TxId tx, std::uint16_t i) const {
  fx.send(step(tx, i).service, Do{tx, i});
  fx.set_timer(timer_id(TimerKind::step, tx, i), opts_.step_timeout);
}

void Saga::on_do_reply(State& s, Fx& fx, const DoReply& m) const {
  TXSIM_ASSERT(s.node == orchestrator_);
  SagaLog* log = find_key(s.durable.logs, m.tx);
  if (log == nullptr || m.step >= log->steps.size()) return;
  StepLog& st = log->steps[m.step];
  if (st.state != StepState::running) return;  // a duplicate or late reply
  const TimerId timer = timer_id(TimerKind::step, m.tx, m.step);
  if (log->status == SagaStatus::compensating) {  // a branch that was in flight at the failure
    st.state = m.ok ? StepState::done : StepState::failed;
    fx.cancel_timer(timer);
    fx.persist(s.durable);
    return compensate_ready(s, fx, *log);
  }
  if (log->status != SagaStatus::executing) return;
  if (m.ok) {
    st.state = StepState::done;
    fx.cancel_timer(timer);
    return start_ready(s, fx, *log);
  }
  if (step(m.tx, m.step).kind != SagaStepKind::retriable) {
    fx.cancel_timer(timer);
    return step_failed(s, fx, *log, m.step);
  }
  // Forward recovery: a retriable step is asked again, later each time.
  if (st.failures < 255) ++st.failures;
  fx.persist(s.durable);
  fx.set_timer(timer, backoff(st.failures));
}

// A running step's timer: a retriable step is asked again, and so is the pivot (whether it
// applied decides the saga's direction, so the orchestrator must learn it, not guess); a
// compensatable step counts as failed (it may still apply: compensate_failed covers that).
// A compensation is asked again.
void Saga::on_step_timer(State& s, Fx& fx, TxId tx, std::uint16_t i) const {
  SagaLog* log = find_key(s.durable.logs, tx);
  if (log == nullptr || i >= log->steps.size()) return;
  StepLog& st = log->steps[i];
  if (st.state == StepState::compensating) {
    fx.send(step(tx, i).service, Undo{tx, i});
    return fx.set_timer(timer_id(TimerKind::step, tx, i), opts_.step_timeout);
  }
  if (st.state != StepState::running) return;
  if (log->status == SagaStatus::executing && step(tx, i).kind != SagaStepKind::compensatable)
    return send_do(fx, tx, i);
  if (log->status == SagaStatus::executing) return step_failed(s, fx, *log, i);
  if (log->status != SagaStatus::compensating) return;
  st.state = StepState::failed;
  fx.persist(s.durable);
  compensate_ready(s, fx, *log);
}

void Saga::step_failed(State& s, Fx& fx, SagaLog& log, std::uint16_t i) const {
  log.steps[i].state = StepState::failed;
  start_compensation(s, fx, log);
}

void Saga::finish_done(State& s, Fx& fx, SagaLog& log) const {
  log.status = SagaStatus::done;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, log.tx, 1);
  observe_status(fx, log.tx, SagaStatus::done);
  notify(s, fx, log.tx);
}

// Tell every service the saga completed (their steps are final), until each acknowledges.
void Saga::notify(State& s, Fx& fx, TxId tx) const {
  Notifying n{tx, config(tx).services};
  find_or_insert(s.vol.notifying, n) = n;
  for (NodeId svc : n.waiting) fx.send(svc, Finished{tx});
  fx.set_timer(timer_id(TimerKind::notify, tx), opts_.step_timeout);
}

void Saga::on_finished_ack(State& s, Fx& fx, NodeId from, TxId tx) const {
  Notifying* n = find_key(s.vol.notifying, tx);
  if (n == nullptr) return;
  auto it = std::lower_bound(n->waiting.begin(), n->waiting.end(), from);
  if (it == n->waiting.end() || *it != from) return;
  n->waiting.erase(it);
  if (!n->waiting.empty()) return;
  erase_key(s.vol.notifying, tx);
  fx.cancel_timer(timer_id(TimerKind::notify, tx));
}

void Saga::on_notify_timer(State& s, Fx& fx, TxId tx) const {
  const Notifying* n = find_key(s.vol.notifying, tx);
  if (n == nullptr) return;
  for (NodeId svc : n->waiting) fx.send(svc, Finished{tx});
  fx.set_timer(timer_id(TimerKind::notify, tx), opts_.step_timeout);
}

Micros Saga::backoff(std::uint8_t failures) const {
  Micros d = opts_.retry_interval;
  for (std::uint8_t i = 1; i < failures && d < opts_.backoff_max; ++i) d *= 2;
  return std::min(d, opts_.backoff_max);
}

// The log says where each saga was. Running steps are asked again (their result was lost with
// the volatile state; idempotent services answer without running twice), compensations are
// resent, and a finished saga's services are told again.
void Saga::recover_orchestrator(State& s, Fx& fx) const {
  for (SagaLog& log : s.durable.logs) {
    for (std::uint16_t i = 0; i < log.steps.size(); ++i) {
      if (log.status != SagaStatus::executing && log.status != SagaStatus::compensating) break;
      if (log.steps[i].state == StepState::running) send_do(fx, log.tx, i);
      if (log.steps[i].state == StepState::compensating) {
        fx.send(step(log.tx, i).service, Undo{log.tx, i});
        fx.set_timer(timer_id(TimerKind::step, log.tx, i), opts_.step_timeout);
      }
    }
    if (log.status == SagaStatus::executing) start_ready(s, fx, log);
    if (log.status == SagaStatus::compensating) compensate_ready(s, fx, log);
    if (log.status == SagaStatus::done) notify(s, fx, log.tx);
  }
}

}  // namespace txsim::saga
