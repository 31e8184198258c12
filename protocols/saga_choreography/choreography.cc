// Choreography: construction from the scenario, the option schema, initial and restored
// states, the dispatch of events (react.cc) and acks and timers (bus.cc), and the
// protocol-neutral hooks. Sources: see choreography.h.
#include "protocols/saga_choreography/choreography.h"

#include <algorithm>
#include <array>
#include <variant>

#include "sim/assert.h"

namespace txsim::choreo {
namespace {

constexpr std::array<std::string_view, 7> kPhaseNames = {
    "step-done", "step-failed", "compensated", "null-compensated", "compensation-failed",
    "manual",    "finished"};

std::string check_def(const Scenario& sc, const SagaDef& def) {
  if (def.steps.size() > kStepsMax)
    return "saga " + def.name + ": at most " + std::to_string(kStepsMax) + " steps";
  for (const SagaStep& st : def.steps) {
    if (st.restore)
      return "saga " + def.name + ", step " + st.name +
             ": compensation: restore needs the orchestrator's ordering; a choreography "
             "compensates with inverse transfers only";
    if (st.status_after > 0)
      return "saga " + def.name + ", step " + st.name +
             ": status_after asks the orchestrator, and a choreography has none";
  }
  return saga::check_saga_def(sc, def);
}

}  // namespace

std::string Choreography::check_scenario(const Scenario& sc) {
  if (!sc.nodes_with_role(Role::orchestrator).empty())
    return "a choreography has no orchestrator: the services react to each other's events "
           "(remove orchestrator:, or use protocol saga)";
  if (!sc.saga.present()) return "needs a saga: block (docs/scenarios.md#saga)";
  for (std::size_t t = 0; t < sc.transactions.size(); ++t) {
    if (sc.saga.saga_of(TxId(t)) == nullptr)
      return "transaction " + sc.transactions[t].name + " runs no saga (add it to a runs: list)";
  }
  for (const SagaDef& def : sc.saga.sagas) {
    std::string bad = check_def(sc, def);
    if (!bad.empty()) return bad;
  }
  return "";
}

OptionSchema Choreography::schema() {
  return {
      {"redeliver_interval", OptionType::duration, "30ms",
       "A publisher resends an event not yet acknowledged by a subscriber after this long."},
      {"retry_interval", OptionType::duration, "10ms",
       "First delay before retrying a failed retriable step or compensation; it doubles."},
      {"backoff_max", OptionType::duration, "80ms", "The retry delay doubles up to this much."},
      {"max_compensation_attempts", OptionType::integer, "3",
       "After this many failed attempts of a compensation, flag the step for manual "
       "intervention."},
      {"random_step_failure", OptionType::boolean, "false",
       "A compensatable or pivot step's action may fail (a choice the checker explores)."},
  };
}

std::span<const std::string_view> Choreography::phase_names() { return kPhaseNames; }

Choreography::Choreography(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "saga_choreography: scenario not checked");
  for (const NodeSpec& n : sc.nodes) node_names_.push_back(n.name);
  for (const TxSpec& t : sc.transactions) tx_names_.push_back(t.name);
  accounts_ = sc.accounts;
  for (AccountId a = 0; a < sc.accounts.size(); ++a) account_labels_.push_back(sc.account_label(a));
  for (const SagaDef& def : sc.saga.sagas) {
    ChoreoSaga c{saga::saga_config(def), 0, kNoNode};
    for (std::size_t i = 0; i < def.steps.size(); ++i) {
      c.all |= std::uint32_t{1} << i;
      if (c.entry == kNoNode && def.steps[i].after.empty()) c.entry = def.steps[i].service;
    }
    TXSIM_ASSERT_MSG(c.entry != kNoNode, "saga_choreography: a DAG has a root step");
    sagas_.push_back(std::move(c));
  }
  for (std::size_t t = 0; t < sc.transactions.size(); ++t)
    saga_of_tx_.push_back(std::size_t(sc.saga.saga_of_tx[t]));
  opts_.redeliver_interval = std::max<Micros>(ov.get_duration("redeliver_interval"), 1);
  opts_.retry_interval = std::max<Micros>(ov.get_duration("retry_interval"), 1);
  opts_.backoff_max = std::max(ov.get_duration("backoff_max"), opts_.retry_interval);
  opts_.max_compensation_attempts =
      std::uint32_t(std::clamp<std::int64_t>(ov.get_int("max_compensation_attempts"), 1, 200));
  opts_.random_step_failure = ov.get_bool("random_step_failure");
}

State Choreography::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a)
    if (accounts_[a].owner == node) s.durable.wallets.push_back(Wallet{a, accounts_[a].initial});
  return s;
}

State Choreography::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

// The client's request reaches the entry service: the saga begins there, as if the entry had
// received SagaBegun; the other services learn it from the SagaBegun it publishes.
void Choreography::on_request(State& s, Fx& fx, TxId tx) const {
  TXSIM_ASSERT(s.node == fx.self() && s.node == saga_of(tx).entry);
  View& v = find_or_insert(s.durable.views, View{tx});
  if (v.begun) return;  // a repeated request
  v.begun = true;
  Outbound out;
  publish(s, out, tx, 0, What::begun);
  react(s, fx, out, tx, nullptr, false);
  flush(s, fx, out);
}

void Choreography::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (const auto* e = std::get_if<Event>(&msg)) return on_event(s, fx, from, *e);
  on_ack(s, fx, from, std::get<Ack>(msg));
}

void Choreography::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self());
  const TxId tx = timer_tx(timer);
  if (timer_kind(timer) == TimerKind::redeliver) return redeliver(s, fx, tx);
  TXSIM_ASSERT_MSG(timer_kind(timer) == TimerKind::retry, "saga_choreography: unknown timer");
  Outbound out;
  react(s, fx, out, tx, nullptr, false);
  flush(s, fx, out);
}

// The outbox's relay restarts: the redelivery timer of every saga with unacknowledged events
// is armed again (it resends them when it fires: the acks already on their way get a chance to
// arrive first). Every saga the service knows is looked at again: a step whose trigger was
// handled just before the crash, a compensation or a retriable step waiting for its retry
// timer, all resume from the durable state.
void Choreography::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::vector<TxId> owed;
  for (const Outgoing& o : s.durable.outbox)
    if (owed.empty() || owed.back() != o.tx) owed.push_back(o.tx);
  for (TxId tx : owed) fx.set_timer(timer_id(TimerKind::redeliver, tx), opts_.redeliver_interval);
  std::vector<TxId> known;
  for (const View& v : s.durable.views) known.push_back(v.tx);
  for (TxId tx : known) {
    Outbound out;
    react(s, fx, out, tx, nullptr, false);
    flush(s, fx, out);
  }
}

std::string_view Choreography::type_name(const Msg& msg) const {
  if (const auto* e = std::get_if<Event>(&msg)) return kEventNames[std::size_t(e->what)];
  return "Ack";
}

MsgClass Choreography::msg_class(const Msg& msg) const {
  const auto* e = std::get_if<Event>(&msg);
  if (e == nullptr) return MsgClass::ack;
  if (e->what == What::begun || e->what == What::done) return MsgClass::prepare;  // go on
  return MsgClass::decision;                                                       // go back
}

// A redelivery timer watches the subscribers that still owe an ack; a retry timer waits on a
// business condition, not on a node.
NodeMask Choreography::timer_peers(const State& s, TimerId timer) const {
  if (timer_kind(timer) != TimerKind::redeliver) return 0;
  NodeMask mask = 0;
  for (const Outgoing& o : s.durable.outbox)
    if (o.tx == timer_tx(timer)) mask |= node_bit(o.to);
  return mask;
}

std::uint16_t Choreography::step_at(TxId tx, NodeId node) const {
  const auto& steps = saga_of(tx).config.steps;
  for (std::uint16_t i = 0; i < steps.size(); ++i)
    if (steps[i].service == node) return i;
  return kStepsMax;
}

const ChoreoSaga& Choreography::saga_of(TxId tx) const {
  TXSIM_ASSERT(tx < saga_of_tx_.size());
  return sagas_[saga_of_tx_[tx]];
}

Micros Choreography::backoff(std::uint8_t failures) const {
  Micros d = opts_.retry_interval;
  for (std::uint8_t i = 1; i < failures && d < opts_.backoff_max; ++i) d *= 2;
  return std::min(d, opts_.backoff_max);
}

}  // namespace txsim::choreo
