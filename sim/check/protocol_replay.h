// replay_protocol<P>: re-executes a counterexample's schedule (CheckReport::schedule, the
// actions of ProtocolModel<P>) through the simulator's own event loop, in scripted mode
// (sim/simulator_script.h), so the result is a timed run like any other: the same handler
// dispatch, network bookkeeping, invariant checks and TraceSink events as `txsim run`.
// `txsim check --trace` writes it as JSON Lines; `txsim replay` prints it as a timeline.
//
// The model walks alongside. Each action is first looked up among the successors of the world
// reached so far (an action that is not enabled is an input error naming the step, 1-based),
// then translated into the simulator's terms (a message by link and value instead of its
// index in the world, the handler's choice values instead of the sequence's number, the
// partition's groups), executed by the simulator, and the simulator's run compared with the
// model's world: nodes up, states of the nodes that are up, disks, armed timers, messages in
// flight and the ledger must agree, or the replay is refused naming the step. So a trace
// shows exactly the path the checker found, and the simulator reproduces it on its own terms.
//
// Times come from the scenario (simulator_script.h): requests at their `at`, messages at
// send time plus a latency drawn from the link's law with the scenario's seed, timers at their
// deadline, never going back. The verdict is the simulator's: the first invariant its run
// violates (always-kind after each step, quiescent and final ones if the run settled). A
// blocking or deadlocked end, which only a search can judge, is taken from the model and
// written as a violation line too. Replay never explores: it costs one successor computation
// per step, and the exploration itself never calls a trace sink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/simulator.h"
#include "sim/trace.h"

namespace txsim::check {

struct ReplayResult {
  std::size_t steps = 0;               // actions re-executed
  std::optional<Violation> violation;  // what the run violates ("blocking", "deadlock": stuck)
  std::string final_state;             // JSON of the model's last world
  Micros end_time = 0;                 // the simulated time of the last step
};

using ReplayFn = Result<ReplayResult> (*)(const Scenario&, const std::vector<Action>&,
                                          TraceSink*);

namespace detail {

// The choice values (and their ranges) the handler of step `s` took from `start` on `n`.
template <CheckableProtocol P, class Call>
void fill_choices(const ProtocolModel<P>& m, const typename P::State& start, NodeId n,
                  const WorldStep& s, Call&& call, ScriptStep<typename P::Msg>& out) {
  const WorldRules<P> rules(m.protocol(), m.scenario().network.fifo);
  for (const ChoiceTaken& c : rules.choices_of(start, n, s.choice, call)) {
    out.choices.push_back(c.value);
    out.choice_ranges.push_back(c.n);
  }
}

// Step `s` of the model, taken in world `w` (where it is enabled), in the simulator's terms.
// The message pointer points into `w`.
template <CheckableProtocol P>
ScriptStep<typename P::Msg> script_step_of(const ProtocolModel<P>& m, const World<P>& w,
                                           const WorldStep& s) {
  const P& p = m.protocol();
  ScriptStep<typename P::Msg> out;
  out.crash_after = s.crash_after;
  auto packet = [&] {
    const Packet<P>& pk = w.inflight.at(s.a);
    out.from = pk.from;
    out.to = pk.to;
    out.msg = &pk.msg;
  };
  switch (s.kind) {
    case StepKind::submit: {
      out.kind = ScriptKind::submit;
      out.tx = TxId(s.a);
      const NodeId n = p.request_target(out.tx);
      if (w.up[n])
        fill_choices(m, w.states[n], n, s,
                     [&](auto& st, auto& fx) { p.on_request(st, fx, out.tx); }, out);
      return out;
    }
    case StepKind::deliver: {
      out.kind = ScriptKind::deliver;
      const Packet<P>& pk = w.inflight.at(s.a);
      packet();
      if (w.up[pk.to] && w.partition.connected(pk.from, pk.to))
        fill_choices(m, w.states[pk.to], pk.to, s,
                     [&](auto& st, auto& fx) { p.on_message(st, fx, pk.from, pk.msg); }, out);
      return out;
    }
    case StepKind::fire:
      out.kind = ScriptKind::fire;
      out.node = NodeId(s.a);
      out.timer = s.b;
      out.timing_fault =
          m.spec().timeouts == TimeoutModel::asynchronous && !w.inflight.empty();
      fill_choices(m, w.states[out.node], out.node, s,
                   [&](auto& st, auto& fx) { p.on_timer(st, fx, s.b); }, out);
      return out;
    case StepKind::recover:
      out.kind = ScriptKind::recover;
      out.node = NodeId(s.a);
      fill_choices(m, p.restore(out.node, w.disks[out.node]), out.node, s,
                   [&](auto& st, auto& fx) { p.on_recover(st, fx); }, out);
      return out;
    case StepKind::crash:
      out.kind = ScriptKind::crash;
      out.node = NodeId(s.a);
      return out;
    case StepKind::drop:
    case StepKind::duplicate:
      out.kind = s.kind == StepKind::drop ? ScriptKind::drop : ScriptKind::duplicate;
      packet();
      return out;
    case StepKind::partition:
      out.kind = ScriptKind::partition;
      out.partition = &m.partitions().at(s.a);
      return out;
    case StepKind::heal:
      out.kind = ScriptKind::heal;
      return out;
  }
  return out;
}

// Where the simulator's run and the model's world differ after a step; "" when they agree.
template <CheckableProtocol P>
std::string disagreement(const Simulator<P>& sim, const ProtocolModel<P>& m, const World<P>& w) {
  const Scenario& sc = m.scenario();
  for (NodeId n = 0; n < w.node_count(); ++n) {
    const std::string& name = sc.nodes[n].name;
    if (sim.up(n) != (w.up[n] != 0)) return name + " is " + (sim.up(n) ? "up" : "down");
    if (w.up[n] && !(sim.state(n) == w.states[n])) return "the state of " + name;
    if (!(sim.disk(n) == w.disks[n])) return "the disk of " + name;
    if (sim.timers(n) != w.timers[n]) return "the timers of " + name;
  }
  if (sim.in_flight() != w.inflight.size()) return "the number of messages in flight";
  if (!(sim.ledger() == w.ledger)) return "the ledger (votes, decisions, locks, balances)";
  return {};
}

}  // namespace detail

// Re-executes `schedule` on `model` from its first initial state through a scripted
// Simulator, streaming events to `sink` (may be null). An action not enabled at its step, or
// one the simulator does not execute as the model does, is an Error naming the step.
template <CheckableProtocol P>
Result<ReplayResult> replay_schedule(const ProtocolModel<P>& model,
                                     const std::vector<Action>& schedule, TraceSink* sink) {
  const Scenario& sc = model.scenario();
  Simulator<P> sim(sc, model.protocol(), RunOptions{.seed = sc.seed, .sink = sink},
                   typename Simulator<P>::Scripted{});
  sim.script_begin();
  World<P> w = model.initial_states().front();
  ReplayResult out;
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const Action& act = schedule[i];
    const std::string where = "step " + std::to_string(i + 1) + " (action kind " +
                              std::to_string(act.kind) + " a " + std::to_string(act.a) + " b " +
                              std::to_string(act.b) + " c " + std::to_string(act.c) + ")";
    if (act.kind < std::uint32_t(StepKind::submit) || act.kind > std::uint32_t(StepKind::heal))
      return Error{"error: " + where + ": not an action of a protocol model"};
    std::optional<World<P>> next;
    model.successors(w, [&](const Action& a, World<P>&& s) {
      if (!next && a == act) next.emplace(std::move(s));
    });
    if (!next) return Error{"error: " + where + ": not enabled in the world reached so far"};
    const std::string refused =
        sim.script_step(detail::script_step_of(model, w, WorldStep::unpack(act)));
    if (!refused.empty())
      return Error{"error: " + where + ": the simulator cannot take it: " + refused};
    if (std::string d = detail::disagreement(sim, model, *next); !d.empty())
      return Error{"error: " + where + ": the simulator and the checker's model disagree on " + d};
    w = std::move(*next);
    ++out.steps;
  }
  if (std::optional<InvariantResult> first = sim.script_verdict()) {
    out.violation = Violation{first->id, first->detail};
  } else {
    std::optional<Violation> judged = model.check_blocking(w);
    if (!judged && !model.terminal_ok(w)) {
      bool stuck = true;
      model.successors(w, [&](const Action&, World<P>&&) { stuck = false; });
      if (stuck) judged = Violation{"deadlock", "no step is possible and someone is in doubt"};
    }
    if (judged) {
      sim.script_violation(judged->invariant, judged->detail);
      out.violation = std::move(judged);
    }
  }
  out.end_time = sim.now();
  out.final_state = model.describe_state(w);
  sim.script_end();
  return out;
}

// The registry's entry point: builds the model exactly as check_protocol<P> does.
template <CheckableProtocol P>
Result<ReplayResult> replay_protocol(const Scenario& sc, const std::vector<Action>& schedule,
                                     TraceSink* sink) {
  auto spec = check_spec_of(sc);
  if (!spec) return spec.error();
  auto proto = protocol_for<P>(sc);
  if (!proto) return proto.error();
  const ProtocolModel<P> model(sc, std::move(*proto), *spec,
                               ProtocolModelOptions{.check_blocking = sc.check.blocking});
  return replay_schedule(model, schedule, sink);
}

}  // namespace txsim::check
