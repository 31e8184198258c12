// Simulator<P>, continued: scripted mode. The simulator executes a schedule of ScriptSteps
// (sim/script_step.h) with its own handler dispatch, effect rules, network bookkeeping,
// invariant checks and trace events, instead of popping its agenda. It is how a model
// checker's counterexample becomes a run the timeline, the GUI and the reports show like any
// other (sim/check/protocol_replay.h). Included by simulator.h only.
//
// Time comes from the scenario, never from the schedule, and never goes back:
// - a request is submitted at max(now, its `at`);
// - a message is delivered (or lost) at max(now, due), due being its send time plus a latency
//   drawn from the link's law on the network stream, raised on FIFO links so that it does
//   not overtake the message before it; a duplicate draws its own latency;
// - a timer fires at max(now, its deadline: arming time plus its delay on the node's clock);
// - crash, recover, drop, duplicate, partition and heal happen at now.
// So consecutive steps have non-decreasing times, and a step the schedule takes "early" (a
// timeout before a message in flight was due) happens at its own time, the late message after.
//
// A step that names something the run does not have (no such message in flight, a timer not
// armed, a node already up or down, a request already submitted) or whose handler asks for
// other choices than the schedule recorded is refused with a reason: the schedule is input.
#pragma once

#include <tuple>

#include "sim/simulator.h"

namespace txsim {

template <Protocol P>
Simulator<P>::Simulator(const Scenario& sc, const P& p, const RunOptions& opt, Scripted)
    : Simulator(sc, p, opt, TriggerMatcher{}) {
  scripted_ = true;
}

template <Protocol P>
void Simulator<P>::script_begin() {
  TXSIM_ASSERT(scripted_ && nodes_.empty());
  set_assert_seed(seed_);
  start();
}

template <Protocol P>
std::string Simulator<P>::script_step(const ScriptStep<Msg>& step) {
  TXSIM_ASSERT(scripted_);
  const bool handler = step.kind == ScriptKind::submit || step.kind == ScriptKind::deliver ||
                       step.kind == ScriptKind::fire || step.kind == ScriptKind::recover;
  std::string why = handler ? script_handler_step(step) : script_network_step(step);
  if (!why.empty()) return why;
  ++events_;
  flush_fired();
  check_always();
  return {};
}

template <Protocol P>
std::string Simulator<P>::script_handler_step(const ScriptStep<Msg>& step) {
  NodeId n = step.node;  // whose handler runs, if any
  std::optional<std::uint32_t> slot;
  TimerSlot timer{};
  switch (step.kind) {
    case ScriptKind::submit: {
      if (step.tx >= sc_.transactions.size()) return "no such transaction";
      if (submitted_.empty()) submitted_.assign(sc_.transactions.size(), 0);
      if (submitted_[step.tx]) return "the request was submitted already";
      submitted_[step.tx] = 1;
      n = p_.request_target(step.tx);
      now_ = std::max(now_, sc_.transactions[step.tx].at);
      break;
    }
    case ScriptKind::deliver: {
      slot = find_slot(step);
      if (!slot) return "no such message in flight (or not the head of its FIFO link)";
      const InFlight& m = slots_[*slot];
      n = nodes_[m.to].up && part_.connected(m.from, m.to) ? m.to : kNoNode;  // else lost
      now_ = std::max(now_, m.due);
      break;
    }
    case ScriptKind::fire: {
      if (n >= nodes_.size() || !nodes_[n].up) return "the node is not up";
      const auto& ts = nodes_[n].timers;
      auto it = std::find_if(ts.begin(), ts.end(),
                             [&](const TimerSlot& t) { return t.id == step.timer; });
      if (it == ts.end()) return "the timer is not armed";
      timer = *it;
      now_ = std::max(now_, timer.due);
      if (step.timing_fault) ledger_.note_fault();
      break;
    }
    default:  // recover
      if (n >= nodes_.size() || nodes_[n].up) return "the node is not down";
      break;
  }
  // A request to a down node, or a message to a down or cut-off one, is lost: no handler.
  const bool runs = n != kNoNode && (step.kind == ScriptKind::recover || nodes_[n].up);
  if (step.crash_after >= 0) {
    if (!runs) return "a crash inside a handler that does not run";
    nodes_[n].crash_after = step.crash_after;
  }
  script_chooser_.start(runs ? &step.choices : nullptr, &step.choice_ranges);
  chooser_now_ = &script_chooser_;
  switch (step.kind) {
    case ScriptKind::submit: request(n, step.tx); break;
    case ScriptKind::deliver: deliver(*slot); break;
    case ScriptKind::fire: fire_timer(n, timer.id, timer.gen); break;
    default: recover(n); break;
  }
  chooser_now_ = &chooser_;
  script_chooser_.finish();
  if (std::string m = script_chooser_.take_mismatch(); !m.empty())
    return "the handler's choices differ from the schedule's: " + m;
  return {};
}

template <Protocol P>
std::string Simulator<P>::script_network_step(const ScriptStep<Msg>& step) {
  switch (step.kind) {
    case ScriptKind::crash:
      if (step.node >= nodes_.size() || !nodes_[step.node].up) return "the node is not up";
      crash(step.node, -1);
      return {};
    case ScriptKind::drop: {
      const std::optional<std::uint32_t> slot = find_slot(step);
      if (!slot) return "no such message in flight";
      --inflight_;
      InFlight m = std::move(slots_[*slot]);
      slots_[*slot].live = false;
      free_.push_back(*slot);
      ledger_.note_fault();
      emit({.kind = TraceKind::drop, .node = m.to, .peer = m.from, .msg_id = m.id,
            .tx = p_.tx_of(m.msg), .type = p_.type_name(m.msg), .text = "loss",
            .msg_class = protocol_msg_class(p_, m.msg)});
      return {};
    }
    case ScriptKind::duplicate: {
      const std::optional<std::uint32_t> slot = find_slot(step);
      if (!slot) return "no such message in flight";
      const InFlight& m = slots_[*slot];
      Msg copy = m.msg;  // schedule_delivery may move the slots
      const NodeId from = m.from, to = m.to;
      const std::uint64_t id = m.id;
      hops_now_ = m.hops - 1;
      ledger_.note_fault();
      emit({.kind = TraceKind::duplicate, .node = to, .peer = from, .msg_id = id,
            .tx = p_.tx_of(copy), .type = p_.type_name(copy)});
      schedule_delivery(from, to, id, std::move(copy),
                        links_.at(from, to).latency.sample(net_rng_));
      return {};
    }
    case ScriptKind::partition:
      if (step.partition == nullptr) return "no partition given";
      apply_partition(*step.partition);
      return {};
    case ScriptKind::heal:
      part_.heal();
      emit({.kind = TraceKind::heal});
      return {};
    default:
      return "not a step the simulator knows";
  }
}

// The oldest live copy of the step's message (by send, then arrival); on a FIFO link it must
// also be the oldest message on its link.
template <Protocol P>
std::optional<std::uint32_t> Simulator<P>::find_slot(const ScriptStep<Msg>& step) const {
  if (step.msg == nullptr) return std::nullopt;
  std::optional<std::uint32_t> best, head;
  auto older = [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(slots_[a].id, slots_[a].due) < std::tie(slots_[b].id, slots_[b].due);
  };
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    const InFlight& m = slots_[i];
    if (!m.live || m.from != step.from || m.to != step.to) continue;
    if (!head || older(i, *head)) head = i;
    if (m.msg == *step.msg && (!best || older(i, *best))) best = i;
  }
  if (best && links_.fifo() && !(slots_[*head].msg == *step.msg)) return std::nullopt;
  return best;
}

template <Protocol P>
std::vector<TimerId> Simulator<P>::timers(NodeId n) const {
  std::vector<TimerId> ids;
  for (const TimerSlot& t : nodes_[n].timers) ids.push_back(t.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

template <Protocol P>
std::optional<InvariantResult> Simulator<P>::script_verdict() {
  judge_end();
  std::optional<InvariantResult> first;
  for (const InvariantResult& r : inv_) {
    if (r.violated && (!first || r.at < first->at)) first = r;
  }
  return first;
}

template <Protocol P>
void Simulator<P>::script_violation(std::string_view id, std::string_view detail) {
  violated_ = true;
  emit({.kind = TraceKind::violation, .type = id, .text = detail});
}

template <Protocol P>
RunResult Simulator<P>::script_end() {
  RunResult r;
  r.end = violated_ ? EndReason::violation : EndReason::quiescent;
  close(r);
  return r;
}

}  // namespace txsim
