// replay_protocol<P>: re-executes a counterexample's schedule (CheckReport::schedule, the
// actions of ProtocolModel<P>) and streams it to a TraceSink as the events a simulated run would
// emit (sim/simulator.h): request, send, deliver, drop, duplicate, timer, crash, recover,
// partition, heal, observe, choose, state, and at the end the violation the last world shows.
// `txsim check --trace` writes it as JSON Lines; `txsim replay` prints it as a timeline.
//
// Time: the checker is untimed, so step i (1-based) happens at t = i * 1000 us; the end line
// is at the last step's time. Message ids are assigned in send order, as in the simulator, and
// a delivery, drop or duplicate names the id of the copy it consumed (identical copies on a
// link are interchangeable, so the oldest one's id is used).
//
// Every action is checked against the model: an action that is not among the successors of
// the world reached so far is an input error naming the step (1-based). The sink is only
// called here; exploration never pays for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/trace.h"

namespace txsim::check {

struct ReplayResult {
  std::size_t steps = 0;               // actions re-executed
  std::optional<Violation> violation;  // what the last world violates ("deadlock": stuck)
  std::string final_state;             // JSON of the last world
};

using ReplayFn = Result<ReplayResult> (*)(const Scenario&, const std::vector<Action>&,
                                          TraceSink*);

inline constexpr Micros kReplayStepTime = 1000;

namespace detail {

// Emits the events of one step of ProtocolModel<P>, tracking message ids across steps.
template <CheckableProtocol P>
class ReplayTracer {
 public:
  ReplayTracer(const ProtocolModel<P>& model, TraceSink* sink)
      : m_(model), p_(model.protocol()), sink_(sink),
        payloads_(sink && sink->wants_payloads()), states_(sink && sink->wants_states()) {}

  // `w` is the world before the step, `next` the world after it.
  void step(Micros now, const World<P>& w, const World<P>& next, const WorldStep& s) {
    now_ = now;
    switch (s.kind) {
      case StepKind::submit: {
        const TxId tx = TxId(s.a);
        const NodeId n = p_.request_target(tx);
        emit({.kind = TraceKind::request, .node = n, .tx = tx,
              .text = w.up[n] ? std::string_view{} : "node down"});
        if (w.up[n])
          handler(w.states[n], n, s, [&](auto& st, auto& fx) { p_.on_request(st, fx, tx); },
                  next);
        return;
      }
      case StepKind::deliver: {
        const Packet<P>& pk = w.inflight.at(s.a);
        const std::uint64_t id = take_id(pk);
        const std::string_view type = p_.type_name(pk.msg);
        const TxId tx = p_.tx_of(pk.msg);
        const char* lost = !w.up[pk.to]                          ? "receiver down"
                           : !w.partition.connected(pk.from, pk.to) ? "partition"
                                                                    : nullptr;
        if (lost) {
          emit({.kind = TraceKind::drop, .node = pk.to, .peer = pk.from, .msg_id = id, .tx = tx,
                .type = type, .text = lost});
          return;
        }
        emit({.kind = TraceKind::deliver, .node = pk.to, .peer = pk.from, .msg_id = id,
              .tx = tx, .type = type});
        handler(w.states[pk.to], pk.to, s,
                [&](auto& st, auto& fx) { p_.on_message(st, fx, pk.from, pk.msg); }, next);
        return;
      }
      case StepKind::fire: {
        const NodeId n = NodeId(s.a);
        const std::string name = p_.timer_name(s.b);
        emit({.kind = TraceKind::timer, .node = n, .type = name});
        handler(w.states[n], n, s, [&](auto& st, auto& fx) { p_.on_timer(st, fx, s.b); },
                next);
        return;
      }
      case StepKind::recover: {
        const NodeId n = NodeId(s.a);
        emit({.kind = TraceKind::recover, .node = n});
        handler(p_.restore(n, w.disks[n]), n, s,
                [&](auto& st, auto& fx) { p_.on_recover(st, fx); }, next);
        return;
      }
      case StepKind::crash:
        emit({.kind = TraceKind::crash, .node = NodeId(s.a), .value = -1});
        return;
      case StepKind::drop: {
        const Packet<P>& pk = w.inflight.at(s.a);
        const std::uint64_t id = take_id(pk);
        emit({.kind = TraceKind::drop, .node = pk.to, .peer = pk.from, .msg_id = id,
              .tx = p_.tx_of(pk.msg), .type = p_.type_name(pk.msg), .text = "loss"});
        return;
      }
      case StepKind::duplicate: {
        const Packet<P>& pk = w.inflight.at(s.a);
        const std::uint64_t id = peek_id(pk);
        ids_.emplace_back(pk, id);
        emit({.kind = TraceKind::duplicate, .node = pk.to, .peer = pk.from, .msg_id = id,
              .tx = p_.tx_of(pk.msg), .type = p_.type_name(pk.msg)});
        return;
      }
      case StepKind::partition: {
        const std::string d = next.partition.describe(m_.scenario());
        emit({.kind = TraceKind::partition, .text = d});
        return;
      }
      case StepKind::heal:
        emit({.kind = TraceKind::heal});
        return;
    }
  }

  void emit(TraceEvent e) {
    e.time = now_;
    if (sink_) sink_->event(e);
  }

 private:
  // Re-runs the handler's chosen outcome and emits its effects (a prefix of them and the crash
  // when the step crashes the node in the middle).
  template <class Call>
  void handler(const typename P::State& start, NodeId n, const WorldStep& s, Call&& call,
               const World<P>& next) {
    const WorldRules<P> rules(p_, m_.scenario().network.fifo);
    rules.for_each_choice(start, n, call,
                          [&](std::uint32_t index, auto&, FxOf<P>& fx, const auto&) {
                            if (index != s.choice) return;
                            const auto& list = fx.list();
                            const std::size_t stop =
                                s.crash_after < 0 ? list.size() : std::size_t(s.crash_after);
                            for (std::size_t i = 0; i < stop && i < list.size(); ++i)
                              effect(n, list[i], fx);
                          });
    if (s.crash_after >= 0) {
      emit({.kind = TraceKind::crash, .node = n, .value = s.crash_after});
    } else if (states_) {
      const std::string json = p_.describe_state(next.states[n]);
      emit({.kind = TraceKind::state, .node = n, .text = json});
    }
  }

  void effect(NodeId n, const Effect& e, FxOf<P>& fx) {
    switch (e.kind) {
      case EffectKind::send: {
        const auto& msg = fx.messages()[e.index];
        const std::uint64_t id = ++msg_ids_;
        ids_.emplace_back(Packet<P>{n, e.to, protocol_hash(p_, msg), msg}, id);
        const std::string payload = payloads_ ? p_.describe(msg) : std::string();
        emit({.kind = TraceKind::send, .node = n, .peer = e.to, .msg_id = id,
              .tx = p_.tx_of(msg), .type = p_.type_name(msg), .text = payload});
        return;
      }
      case EffectKind::observe:
        emit({.kind = TraceKind::observe, .node = n, .tx = e.obs.tx, .obs = e.obs});
        return;
      case EffectKind::choose:
        emit({.kind = TraceKind::choose, .node = n, .obs = e.obs});
        return;
      default:
        return;
    }
  }

  std::size_t find_id(const Packet<P>& pk) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
      if (ids_[i].first == pk) return i;
    return ids_.size();
  }
  std::uint64_t peek_id(const Packet<P>& pk) const {
    const std::size_t i = find_id(pk);
    return i < ids_.size() ? ids_[i].second : 0;
  }
  std::uint64_t take_id(const Packet<P>& pk) {
    const std::size_t i = find_id(pk);
    if (i == ids_.size()) return 0;
    const std::uint64_t id = ids_[i].second;
    ids_.erase(ids_.begin() + std::ptrdiff_t(i));
    return id;
  }

  const ProtocolModel<P>& m_;
  const P& p_;
  TraceSink* sink_;
  bool payloads_, states_;
  Micros now_ = 0;
  std::uint64_t msg_ids_ = 0;
  std::vector<std::pair<Packet<P>, std::uint64_t>> ids_;  // in flight, oldest first
};

}  // namespace detail

// Re-executes `schedule` on `model` from its first initial state, streaming events to `sink`
// (may be null). An action not enabled at its step is an Error naming the step.
template <CheckableProtocol P>
Result<ReplayResult> replay_schedule(const ProtocolModel<P>& model,
                                     const std::vector<Action>& schedule, TraceSink* sink) {
  if (sink) {
    TraceHeader h{&model.scenario(), std::string(P::kName), 0, {}};
    for (auto name : P::phase_names()) h.phase_names.push_back(name);
    sink->begin(h);
  }
  detail::ReplayTracer<P> tracer(model, sink);
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
    tracer.step(Micros(i + 1) * kReplayStepTime, w, *next, WorldStep::unpack(act));
    w = std::move(*next);
    ++out.steps;
  }
  const Micros end = Micros(out.steps) * kReplayStepTime;
  out.violation = model.check(w);
  if (!out.violation && !model.terminal_ok(w)) {
    bool stuck = true;
    model.successors(w, [&](const Action&, World<P>&&) { stuck = false; });
    if (stuck) out.violation = Violation{"deadlock", "no step is possible and someone is in doubt"};
  }
  if (out.violation)
    tracer.emit({.kind = TraceKind::violation, .type = out.violation->invariant,
                 .text = out.violation->detail});
  out.final_state = model.describe_state(w);
  if (sink) sink->end(end);
  return out;
}

// The registry's entry point: builds the model exactly as check_protocol<P> does.
template <CheckableProtocol P>
Result<ReplayResult> replay_protocol(const Scenario& sc, const std::vector<Action>& schedule,
                                     TraceSink* sink) {
  if constexpr (requires { P::check_scenario(sc); }) {
    if (std::string why = P::check_scenario(sc); !why.empty())
      return Error{sc.file + ": error: protocol " + std::string(P::kName) + ": " + why};
  }
  auto spec = check_spec_of(sc);
  if (!spec) return spec.error();
  auto it = sc.options.find(std::string(P::kName));
  OptionValues defaults;
  if (it == sc.options.end()) defaults.fill_defaults(P::schema());
  P proto(sc, it == sc.options.end() ? defaults : it->second);
  const ProtocolModel<P> model(sc, std::move(proto), *spec,
                               ProtocolModelOptions{.check_blocking = sc.check.blocking});
  return replay_schedule(model, schedule, sink);
}

}  // namespace txsim::check
