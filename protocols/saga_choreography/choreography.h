// Choreographed sagas: the `saga_choreography` protocol.
//
// Sources: C. Richardson, "Microservices Patterns" (2018), ch. 4 (choreography: no central
// coordinator; each participant reacts to the others' events and publishes its own; failures
// travel back as events that make the earlier participants compensate) and ch. 3 (the
// transactional outbox and at-least-once delivery; idempotent consumers); H. Garcia-Molina and
// K. Salem, "Sagas", SIGMOD 1987 (T1..Tn, or T1..Tj Cj..C1). docs/protocols/saga.md teaches it.
//
// The bus. There is no broker node: each service is its own publisher with a durable outbox.
// Publishing an event writes one outbox entry per subscriber (every other service of the
// saga) in the same persist as the change the event announces; the entries are sent, and
// resent every `redeliver_interval` (and after a crash) until each subscriber acks. A
// subscriber acks after it has handled the event and persisted the result. So delivery is at
// least once: an ack lost or late, a crash between the handling and the ack, or the network's
// own duplication all deliver an event again, and reordering (unordered links) lets a failure
// overtake the event that would have started a step.
//
// The services. The same `saga:` block as the orchestrated saga (steps, kinds, after:). Each
// service keeps a view of each saga instance built from events only, and reacts to it:
// - forward: its step runs when the saga has begun (a root step) or every `after:` step is
//   done, and the saga has not failed; it publishes StepDone or, failing for good, StepFailed
//   (a retriable step retries with backoff instead);
// - backward: once the saga has failed, a step that ran is compensated when every successor is
//   settled (failed, compensated, or unable to run because one of its own predecessors is),
//   which is reverse topological order without anyone computing it; it publishes
//   StepCompensated. A step that has not run but still could (its predecessors all done, its
//   trigger maybe still on the bus) settles too: a commutative service records a null
//   compensation, so a late trigger does nothing; a non-commutative one runs its compensation
//   blindly - the compensation overtook its action and does damage;
// - a compensation that fails is retried with backoff; after max_compensation_attempts the
//   service flags its step for manual intervention and its predecessors stay uncompensated;
// - a service that learns every step is done decides commit.
// Per-step options: `idempotent: false` runs the action (or compensation) again when the event
// that triggered it is delivered again; `commutative: false` as above; `compensation_fails: N`.
//
// Observations: `vote` 1 / 0 when the step's action commits / fails for good; `decide` 0 when
// it fails, compensates or cancels, 1 when the service learns the saga completed; `balance`
// per account; `effect` apply / release; `phase` per the names below.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/saga/saga.h"
#include "protocols/saga_choreography/messages.h"
#include "protocols/saga_choreography/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::choreo {

// TimerId = kind << 28 | step << 16 | tx.
enum class TimerKind : std::uint32_t {
  redeliver = 1,  // the outbox still holds unacknowledged events of tx: resend them
  retry = 2,      // a retriable action or a compensation failed: try again
};
constexpr TimerId timer_id(TimerKind kind, TxId tx, std::uint32_t step = 0) {
  return (static_cast<TimerId>(kind) << 28) | (step << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 28); }
constexpr std::uint16_t timer_step(TimerId id) { return std::uint16_t((id >> 16) & 0xFFF); }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

enum class Phase : std::int32_t {
  step_done = 0, step_failed, compensated, null_compensated, compensation_failed, manual,
  finished,
};

struct Options {
  Micros redeliver_interval = ms(30);
  Micros retry_interval = ms(10);
  Micros backoff_max = ms(80);
  std::uint32_t max_compensation_attempts = 3;
  bool random_step_failure = false;
};

// One saga as the services run it: the orchestrated saga's config plus what choreography
// needs on top (masks, the entry service that takes the client's request).
struct ChoreoSaga {
  saga::SagaConfig config;
  std::uint32_t all = 0;  // bit per step
  NodeId entry = kNoNode;
};

// The events a handler published, to send once its persist has made them durable.
struct Outbound {
  std::vector<Outgoing> fresh;
  bool dirty = false;  // the durable part changed since the last persist
};

struct Choreography {
  static constexpr std::string_view kName = "saga_choreography";
  using Msg = choreo::Msg;
  using Durable = choreo::Durable;
  using Volatile = choreo::Volatile;
  using State = choreo::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run as a choreography ("" if it can): no orchestrator, a saga:
  // block every transaction runs, one step per service, inverse compensations only.
  static std::string check_scenario(const Scenario& scenario);
  Choreography(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId tx) const { return saga_of(tx).entry; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const;
  TxId tx_of(const Msg& msg) const { return choreo::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  MsgClass msg_class(const Msg& msg) const;
  NodeMask timer_peers(const State& s, TimerId timer) const;

  const Options& options() const { return opts_; }
  // The step `node` runs in tx's saga (kStepsMax if none).
  std::uint16_t step_at(TxId tx, NodeId node) const;

 private:
  // react.cc: what a service does with its view of a saga
  void on_event(State& s, Fx& fx, NodeId from, const Event& e) const;
  void react(State& s, Fx& fx, Outbound& out, TxId tx, const Event* e, bool dup) const;
  void run_action(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i,
                  std::uint32_t trigger) const;
  void compensate(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i,
                  std::uint32_t trigger) const;
  void cancel(State& s, Fx& fx, Outbound& out, TxId tx, std::uint16_t i) const;
  void finish(State& s, Fx& fx, View& v) const;
  bool action_fails(const State& s, Fx& fx, const saga::StepConfig& c,
                    const StepRecord& r) const;
  bool apply(State& s, const std::vector<saga::Delta>& deltas, bool check) const;
  bool ready(const View& v, TxId tx, std::uint16_t i) const;
  bool dead(const View& v, TxId tx, std::uint16_t j, int depth = 0) const;
  bool successors_settled(const View& v, TxId tx, std::uint16_t i) const;
  bool predecessor_dead(const View& v, TxId tx, std::uint16_t i) const;
  bool is_trigger(TxId tx, std::uint16_t i, const Event& e) const;
  // bus.cc: the outbox
  void publish(State& s, Outbound& out, TxId tx, std::uint16_t i, What what) const;
  void flush(State& s, Fx& fx, Outbound& out) const;
  void on_ack(State& s, Fx& fx, NodeId from, const Ack& a) const;
  void redeliver(State& s, Fx& fx, TxId tx) const;
  Micros backoff(std::uint8_t failures) const;

  const ChoreoSaga& saga_of(TxId tx) const;
  const saga::StepConfig& step(TxId tx, std::uint16_t i) const {
    return saga_of(tx).config.steps.at(i);
  }
  void observe_phase(Fx& fx, TxId tx, Phase phase) const {
    fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
  }

  std::vector<std::string> node_names_;
  std::vector<std::string> tx_names_;
  std::vector<AccountSpec> accounts_;
  std::vector<std::string> account_labels_;
  std::vector<ChoreoSaga> sagas_;
  std::vector<std::size_t> saga_of_tx_;
  Options opts_;
};

}  // namespace txsim::choreo

namespace txsim {
using choreo::Choreography;
static_assert(Protocol<Choreography>);
static_assert(ClassifiesMessages<Choreography>);
static_assert(NamesTimerPeers<Choreography>);
}  // namespace txsim
