// Saga: construction from the scenario, the option schema, initial and restored states, the
// dispatch of events to the orchestrator (orchestrator.cc, compensation.cc) and the services
// (service.cc), and the protocol-neutral hooks. Sources: see saga.h.
#include "protocols/saga/saga.h"

#include <algorithm>
#include <array>
#include <limits>
#include <variant>

#include "sim/assert.h"

namespace txsim::saga {
namespace {

constexpr std::array<std::string_view, 11> kPhaseNames = {
    "executing",   "compensating", "done",        "failed",
    "manual",      "step-done",    "step-failed", "compensated",
    "null-compensated", "compensation-failed", "finished"};

std::vector<Delta> deltas(const std::vector<SagaTransfer>& ts) {
  std::vector<Delta> out;
  for (const SagaTransfer& t : ts) out.push_back(Delta{t.account, t.amount});
  return out;
}

StepConfig step_config_of(const SagaDef& def, std::size_t i) {
  const SagaStep& st = def.steps[i];
  StepConfig c{st.name, st.service, st.kind, deltas(st.action), deltas(st.compensation),
               st.compensable, st.restore, {}, {}, st.fails_always, st.fails_first, st.idempotent,
               st.commutative, st.compensation_fails, st.status_after};
  for (std::size_t a : st.after) c.after.push_back(std::uint16_t(a));
  for (std::size_t j = 0; j < def.steps.size(); ++j) {
    const auto& after = def.steps[j].after;
    if (std::find(after.begin(), after.end(), i) != after.end())
      c.successors.push_back(std::uint16_t(j));
  }
  return c;
}

bool fits(std::int64_t amount) {
  return amount >= -std::numeric_limits<std::int32_t>::max() &&
         amount <= std::numeric_limits<std::int32_t>::max();
}

}  // namespace

std::string check_saga_def(const Scenario& sc, const SagaDef& def) {
  if (def.steps.size() >= kStepsMax) return "saga " + def.name + ": too many steps";
  std::vector<NodeId> seen;
  for (const SagaStep& st : def.steps) {
    if (std::find(seen.begin(), seen.end(), st.service) != seen.end()) {
      return "saga " + def.name + ": service " + sc.nodes[st.service].name +
             " runs two steps; give each step its own service (the ledger records one "
             "action and one compensation per service and saga)";
    }
    seen.push_back(st.service);
    for (const SagaTransfer& t : st.action)
      if (!fits(t.amount)) return "saga " + def.name + ": amount too large";
    for (const SagaTransfer& t : st.compensation)
      if (!fits(t.amount)) return "saga " + def.name + ": amount too large";
  }
  return "";
}

SagaConfig saga_config(const SagaDef& def) {
  SagaConfig c{def.name, {}, {}};
  for (std::size_t i = 0; i < def.steps.size(); ++i) {
    c.steps.push_back(step_config_of(def, i));
    c.services.push_back(def.steps[i].service);
  }
  std::sort(c.services.begin(), c.services.end());
  return c;
}

std::string Saga::check_scenario(const Scenario& sc) {
  if (sc.nodes_with_role(Role::orchestrator).size() != 1)
    return "needs exactly one node with role orchestrator (orchestrator: O)";
  if (!sc.saga.present()) return "needs a saga: block (docs/scenarios.md#saga)";
  for (std::size_t t = 0; t < sc.transactions.size(); ++t) {
    if (sc.saga.saga_of(TxId(t)) == nullptr)
      return "transaction " + sc.transactions[t].name + " runs no saga (add it to a runs: list)";
  }
  for (const SagaDef& def : sc.saga.sagas) {
    std::string bad = check_saga_def(sc, def);
    if (!bad.empty()) return bad;
  }
  return "";
}

OptionSchema Saga::schema() {
  return {
      {"step_timeout", OptionType::duration, "50ms",
       "The orchestrator gives up on a step (or resends a retriable one) after this long."},
      {"retry_interval", OptionType::duration, "10ms",
       "First delay before retrying a failed retriable step or compensation; it doubles."},
      {"backoff_max", OptionType::duration, "80ms", "The retry delay doubles up to this much."},
      {"compensate_failed", OptionType::boolean, "false",
       "Also compensate the step that failed or timed out (it may have applied)."},
      {"max_compensation_attempts", OptionType::integer, "3",
       "After this many failed attempts of a compensation, flag the saga for manual intervention."},
      {"random_step_failure", OptionType::boolean, "false",
       "A compensatable or pivot step's action may fail (a choice the checker explores)."},
  };
}

std::span<const std::string_view> Saga::phase_names() { return kPhaseNames; }

Saga::Saga(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "saga: scenario not checked");
  orchestrator_ = sc.nodes_with_role(Role::orchestrator).front();
  for (const NodeSpec& n : sc.nodes) node_names_.push_back(n.name);
  for (const TxSpec& t : sc.transactions) tx_names_.push_back(t.name);
  accounts_ = sc.accounts;
  for (AccountId a = 0; a < sc.accounts.size(); ++a) account_labels_.push_back(sc.account_label(a));
  for (const SagaDef& def : sc.saga.sagas) sagas_.push_back(saga_config(def));
  for (std::size_t t = 0; t < sc.transactions.size(); ++t)
    saga_of_tx_.push_back(std::size_t(sc.saga.saga_of_tx[t]));
  opts_.step_timeout = std::max<Micros>(ov.get_duration("step_timeout"), 1);
  opts_.retry_interval = std::max<Micros>(ov.get_duration("retry_interval"), 1);
  opts_.backoff_max = std::max(ov.get_duration("backoff_max"), opts_.retry_interval);
  opts_.compensate_failed = ov.get_bool("compensate_failed");
  opts_.max_compensation_attempts =
      std::uint32_t(std::clamp<std::int64_t>(ov.get_int("max_compensation_attempts"), 1, 200));
  opts_.random_step_failure = ov.get_bool("random_step_failure");
}

State Saga::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a)
    if (accounts_[a].owner == node) s.durable.wallets.push_back(Wallet{a, accounts_[a].initial});
  return s;
}

State Saga::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

void Saga::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Do>) on_do(s, fx, m);
        if constexpr (std::is_same_v<M, Undo>) on_undo(s, fx, m);
        if constexpr (std::is_same_v<M, Finished>) on_finished(s, fx, m);
        if constexpr (std::is_same_v<M, DoReply>) on_do_reply(s, fx, m);
        if constexpr (std::is_same_v<M, UndoReply>) on_undo_reply(s, fx, m);
        if constexpr (std::is_same_v<M, FinishedAck>) on_finished_ack(s, fx, from, m.tx);
        if constexpr (std::is_same_v<M, Status>) on_status(s, fx, from, m);
        if constexpr (std::is_same_v<M, StatusReply>) on_status_reply(s, fx, m);
      },
      msg);
}

void Saga::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (timer_kind(timer) == TimerKind::status)
    return on_status_timer(s, fx, timer_tx(timer), timer_step(timer));
  TXSIM_ASSERT(s.node == orchestrator_);
  if (timer_kind(timer) == TimerKind::step)
    return on_step_timer(s, fx, timer_tx(timer), timer_step(timer));
  if (timer_kind(timer) == TimerKind::notify) return on_notify_timer(s, fx, timer_tx(timer));
  TXSIM_ASSERT_MSG(false, "saga: unknown timer kind");
}

void Saga::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (s.node == orchestrator_) return recover_orchestrator(s, fx);
  // A service keeps nothing volatile (its accounts and step records are durable); it only
  // re-arms the status timers its crash cancelled.
  recover_service(s, fx);
}

MsgClass Saga::msg_class(const Msg& msg) const {
  switch (msg.index()) {
    case 0: return MsgClass::prepare;   // Do: asks a service to run its step
    case 1: return MsgClass::vote;      // DoReply: the step's result
    case 2:                             // Undo
    case 4: return MsgClass::decision;  // Finished
    case 6:                             // Status
    case 7: return MsgClass::query;     // StatusReply
    default: return MsgClass::ack;      // UndoReply, FinishedAck
  }
}

// A step timer watches the step's service; the notify timer every service of the saga; a
// service's status timer the orchestrator.
NodeMask Saga::timer_peers(const State&, TimerId timer) const {
  const TxId tx = timer_tx(timer);
  if (tx >= saga_of_tx_.size()) return 0;
  if (timer_kind(timer) == TimerKind::status) return node_bit(orchestrator_);
  const SagaConfig& c = config(tx);
  if (timer_kind(timer) == TimerKind::step)
    return timer_step(timer) < c.steps.size() ? node_bit(c.steps[timer_step(timer)].service) : 0;
  NodeMask mask = 0;
  for (NodeId n : c.services) mask |= node_bit(n);
  return mask;
}

const SagaConfig& Saga::config(TxId tx) const {
  TXSIM_ASSERT(tx < saga_of_tx_.size());
  return sagas_[saga_of_tx_[tx]];
}

void Saga::observe_phase(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
}

void Saga::observe_status(Fx& fx, TxId tx, SagaStatus status) const {
  static constexpr Phase kOf[] = {Phase::executing, Phase::compensating, Phase::done,
                                  Phase::failed, Phase::manual};
  observe_phase(fx, tx, kOf[std::size_t(status)]);
}

}  // namespace txsim::saga
