// Saga, the status query: a service asks the orchestrator how a saga is doing, and the
// orchestrator answers from its durable saga log.
//
// Why: a service whose step has run cannot tell "the saga is still going" from "the
// orchestrator died and forgot me" - it only waits for a Finished or an Undo. A step with
// `status_after: D` makes its service ask every D until it learns that the saga ended. The
// answer is the saga log's status (executing, compensating, done, failed, manual), which
// survives the orchestrator's crashes: a service that asked while the orchestrator was down
// gets its answer after the recovery, from the same log the recovery continues from.
// Richardson 2018, ch. 4, recommends exposing the saga's state this way (a query on the
// orchestrator) rather than letting participants guess.
//
// Invariants: the query changes nothing at the orchestrator (no persist, no observation); a
// service asks only about a step it applied and has not compensated, and stops once the reply
// (or a Finished) says the saga ended; its status timer is volatile and re-armed on recovery.
#include "protocols/saga/saga.h"
#include "sim/assert.h"

namespace txsim::saga {
namespace {

bool final_status(std::uint8_t seen) {
  return seen == 1 + std::uint8_t(SagaStatus::done) ||
         seen == 1 + std::uint8_t(SagaStatus::failed) ||
         seen == 1 + std::uint8_t(SagaStatus::manual);
}

}  // namespace

void Saga::on_status(State& s, Fx& fx, NodeId from, const Status& m) const {
  TXSIM_ASSERT(s.node == orchestrator_);
  const SagaLog* log = find_key(s.durable.logs, m.tx);
  // No log yet: the request has not reached the orchestrator, so nothing runs: executing.
  const SagaStatus status = log == nullptr ? SagaStatus::executing : log->status;
  fx.send(from, StatusReply{m.tx, std::uint8_t(status)});
}

void Saga::on_status_reply(State& s, Fx& fx, const StatusReply& m) const {
  TXSIM_ASSERT(s.node != orchestrator_);
  if (m.status > std::uint8_t(SagaStatus::manual)) return;
  for (std::uint16_t i = 0; i < config(m.tx).steps.size(); ++i) {
    if (step(m.tx, i).service != s.node) continue;
    StepRecord* r = find_key(s.durable.records, record_key(m.tx, i));
    if (r == nullptr || final_status(r->status_seen) || r->status_seen == 1 + m.status) continue;
    r->status_seen = std::uint8_t(1 + m.status);
    fx.persist(s.durable);
    if (final_status(r->status_seen)) fx.cancel_timer(timer_id(TimerKind::status, m.tx, i));
  }
}

void Saga::on_status_timer(State& s, Fx& fx, TxId tx, std::uint16_t i) const {
  TXSIM_ASSERT(s.node != orchestrator_ && i < config(tx).steps.size());
  const StepRecord* r = find_key(s.durable.records, record_key(tx, i));
  if (r == nullptr || r->applied == 0 || r->compensated > 0 || final_status(r->status_seen))
    return;  // nothing of ours is left waiting on the saga's end
  fx.send(orchestrator_, Status{tx, i});
  arm_status_timer(fx, tx, i);
}

void Saga::arm_status_timer(Fx& fx, TxId tx, std::uint16_t i) const {
  const Micros every = step(tx, i).status_after;
  if (every > 0) fx.set_timer(timer_id(TimerKind::status, tx, i), every);
}

void Saga::recover_service(State& s, Fx& fx) const {
  for (const StepRecord& r : s.durable.records) {
    const TxId tx = TxId(r.key >> 16);
    const auto i = std::uint16_t(r.key & 0xFFFF);
    if (r.applied > 0 && r.compensated == 0 && !final_status(r.status_seen))
      arm_status_timer(fx, tx, i);
  }
}

}  // namespace txsim::saga
