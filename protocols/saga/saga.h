// Orchestrated sagas: the `saga` protocol.
//
// Sources: H. Garcia-Molina and K. Salem, "Sagas", SIGMOD 1987 (steps as local transactions,
// compensations run in reverse order, backward and forward recovery, the saga log); C.
// Richardson, "Microservices Patterns" (2018), ch. 4 (orchestration; compensatable, pivot and
// retriable steps; countermeasures for the missing isolation); C. Richardson,
// microservices.io/patterns/data/saga.html. docs/protocols/saga.md teaches it.
//
// Roles: the scenario's orchestrator runs every saga instance (every workload transaction runs
// the saga the `saga:` block gives it); each step runs at its service, which owns the accounts
// the step moves money on. The orchestrator starts every step whose `after:` steps are done
// (parallel branches run in parallel), and on a failure compensates every completed step in
// reverse topological order (a step once its successors are compensated); with the option
// compensate_failed it compensates the failed (or timed-out) step too, since it may have
// applied. Retriable steps are retried with exponential backoff until they succeed; a
// compensation that fails is retried, and after max_compensation_attempts failures the saga is
// flagged for manual intervention.
//
// Observations (what the invariants read):
// - orchestrator: `decide` 1 when every step is done, 0 when every completed step is
//   compensated; `phase` executing / compensating / done / failed / manual;
// Status query: a step with `status_after: D` makes its service ask the orchestrator (Status)
// every D once its action ran, until a StatusReply or Finished says the saga ended; the reply
// carries the durable saga log's status (status.cc).
//
// - service: `vote` 1 when its action commits and 0 when it fails for good; `decide` 0 when it
//   compensates and 1 when told the saga finished; `balance` per account it changes;
//   `effect` Ledger::kEffectApply for an action, kEffectRelease for a compensation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/saga/messages.h"
#include "protocols/saga/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::saga {

// TimerId = kind << 28 | step << 16 | tx.
enum class TimerKind : std::uint32_t {
  step = 1,    // a Do or Undo unanswered (or a retriable step's backoff): resend or give up
  notify = 2,  // a Finished not acknowledged by every service: resend
  status = 3,  // service: its step ran and it still does not know how the saga ended: ask
};
inline constexpr std::uint32_t kStepsMax = 0x1000;
constexpr TimerId timer_id(TimerKind kind, TxId tx, std::uint32_t step = 0) {
  return (static_cast<TimerId>(kind) << 28) | (step << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 28); }
constexpr std::uint16_t timer_step(TimerId id) { return std::uint16_t((id >> 16) & 0xFFF); }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

enum class Phase : std::int32_t {
  executing = 0,         // orchestrator: running steps forward
  compensating,          // orchestrator: undoing completed steps
  done,                  // orchestrator: every step completed
  failed,                // orchestrator: every completed step compensated
  manual,                // orchestrator: flagged for manual intervention
  step_done,             // service: its action committed
  step_failed,           // service: its action failed
  compensated,           // service: its compensation ran
  null_compensated,      // service: a compensation with no action before it
  compensation_failed,   // service: its compensation failed (will be retried)
  finished,              // service: told the saga completed
};

struct Options {
  Micros step_timeout = ms(50);
  Micros retry_interval = ms(10);
  Micros backoff_max = ms(80);
  bool compensate_failed = false;
  std::uint32_t max_compensation_attempts = 3;
  bool random_step_failure = false;
};

struct Delta {
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
};

// One step as the protocol runs it (from SagaStep, with the graph's successors).
struct StepConfig {
  std::string name;
  NodeId service = kNoNode;
  SagaStepKind kind = SagaStepKind::compensatable;
  std::vector<Delta> action, compensation;
  bool compensable = true;
  bool restore = false;  // compensate by writing back the before-image (loses updates)
  std::vector<std::uint16_t> after, successors;
  bool fails_always = false;
  std::uint32_t fails_first = 0;
  bool idempotent = true, commutative = true;
  std::uint32_t compensation_fails = 0;
  Micros status_after = 0;  // the service asks for the saga's status this often (0: never)
};

struct SagaConfig {
  std::string name;
  std::vector<StepConfig> steps;
  std::vector<NodeId> services;  // ascending, distinct
};

// The protocol's form of one `saga:` definition (steps with their successors, services
// ascending), shared with the choreographed saga (protocols/saga_choreography/).
SagaConfig saga_config(const SagaDef& def);
// Why `def` cannot run ("" if it can): at most one step per service, amounts within 32 bits.
std::string check_saga_def(const Scenario& sc, const SagaDef& def);

struct Saga {
  static constexpr std::string_view kName = "saga";
  using Msg = saga::Msg;
  using Durable = saga::Durable;
  using Volatile = saga::Volatile;
  using State = saga::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run as an orchestrated saga ("" if it can): one orchestrator, a
  // `saga:` block that every transaction runs, at most one step per service in a saga.
  static std::string check_scenario(const Scenario& scenario);
  Saga(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId) const { return orchestrator_; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const { return kMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const { return saga::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  MsgClass msg_class(const Msg& msg) const;
  NodeMask timer_peers(const State& s, TimerId timer) const;

  const Options& options() const { return opts_; }
  NodeId orchestrator() const { return orchestrator_; }

 private:
  // orchestrator.cc: forward execution
  void start_ready(State& s, Fx& fx, SagaLog& log) const;
  void send_do(Fx& fx, TxId tx, std::uint16_t step) const;
  void on_do_reply(State& s, Fx& fx, const DoReply& m) const;
  void on_step_timer(State& s, Fx& fx, TxId tx, std::uint16_t step) const;
  void step_failed(State& s, Fx& fx, SagaLog& log, std::uint16_t step) const;
  void finish_done(State& s, Fx& fx, SagaLog& log) const;
  void notify(State& s, Fx& fx, TxId tx) const;
  void on_finished_ack(State& s, Fx& fx, NodeId from, TxId tx) const;
  void on_notify_timer(State& s, Fx& fx, TxId tx) const;
  void recover_orchestrator(State& s, Fx& fx) const;
  Micros backoff(std::uint8_t failures) const;
  // compensation.cc: backward recovery
  void start_compensation(State& s, Fx& fx, SagaLog& log) const;
  void compensate_ready(State& s, Fx& fx, SagaLog& log) const;
  bool may_compensate(const SagaLog& log, std::uint16_t step) const;
  bool must_compensate(const SagaLog& log, std::uint16_t step) const;
  void on_undo_reply(State& s, Fx& fx, const UndoReply& m) const;
  void flag_manual(State& s, Fx& fx, SagaLog& log) const;
  // service.cc
  void on_do(State& s, Fx& fx, const Do& m) const;
  void on_undo(State& s, Fx& fx, const Undo& m) const;
  void on_finished(State& s, Fx& fx, const Finished& m) const;
  bool action_fails(const State& s, Fx& fx, const StepConfig& c, const StepRecord& r) const;
  bool apply(State& s, const std::vector<Delta>& deltas, bool check) const;
  void restore_before_image(State& s, Fx& fx, const Undo& m, StepRecord& r) const;
  // status.cc: the status query
  void on_status(State& s, Fx& fx, NodeId from, const Status& m) const;
  void on_status_reply(State& s, Fx& fx, const StatusReply& m) const;
  void on_status_timer(State& s, Fx& fx, TxId tx, std::uint16_t step) const;
  void arm_status_timer(Fx& fx, TxId tx, std::uint16_t step) const;
  void recover_service(State& s, Fx& fx) const;

  const SagaConfig& config(TxId tx) const;
  const StepConfig& step(TxId tx, std::uint16_t i) const { return config(tx).steps.at(i); }
  void observe_phase(Fx& fx, TxId tx, Phase phase) const;
  void observe_status(Fx& fx, TxId tx, SagaStatus status) const;

  NodeId orchestrator_ = kNoNode;
  std::vector<std::string> node_names_;
  std::vector<std::string> tx_names_;
  std::vector<AccountSpec> accounts_;
  std::vector<std::string> account_labels_;
  std::vector<SagaConfig> sagas_;
  std::vector<std::size_t> saga_of_tx_;
  Options opts_;
};

}  // namespace txsim::saga

namespace txsim {
using saga::Saga;
static_assert(Protocol<Saga>);
static_assert(ClassifiesMessages<Saga>);
static_assert(NamesTimerPeers<Saga>);
}  // namespace txsim
