// Simulator<P>, continued: running a handler and applying its effect list (send, timers,
// persist, observe, choose), and putting messages on the network. Included by simulator.h
// only (which states the invariants); not meant to be included on its own.
//
// Why here: these are the rules both the agenda-driven loop and scripted mode apply, so a
// counterexample replayed through the simulator obeys exactly what a simulated run obeys.
#pragma once

#include "sim/simulator.h"

namespace txsim {

// `hops`: the causal message depth of what triggered the handler (RunStats' message delays).
template <Protocol P>
template <class Call>
void Simulator<P>::run_handler(NodeId n, Call&& call, std::uint32_t hops) {
  NodeSlot& s = nodes_[n];
  s.hops = hops_now_ = hops;
  fx_.reset(n, local_now(n), chooser_now_);
  call(s.state, fx_);
  const std::int32_t limit = s.crash_after;
  s.crash_after = -1;
  const auto& list = fx_.list();
  std::size_t stop = list.size();
  if (limit >= 0) {  // crash_during: the first allowed cut at or after k effects
    stop = std::min(list.size(), std::size_t(limit));
    while (!crash_cut_allowed(list, stop)) ++stop;
  }
  running_ = n;
  applied_ = 0;
  for (std::size_t i = 0; i < stop && nodes_[n].up; ++i) {
    apply_effect(n, list[i]);
    applied_ = std::int64_t(i) + 1;
    flush_fired();  // a trigger may crash this node here: the rest of the list is cut
    if (deferred_crash_ && crash_cut_allowed(list, std::size_t(applied_))) {
      deferred_crash_ = false;
      crash_and_schedule(n, applied_, deferred_recover_after_);
    }
  }
  running_ = kNoNode;
  if (!nodes_[n].up) return;
  if (limit >= 0) return crash(n, std::int64_t(stop));
  if (states_) {
    std::string json = p_.describe_state(nodes_[n].state);
    emit({.kind = TraceKind::state, .node = n, .text = json});
  }
}

template <Protocol P>
void Simulator<P>::apply_effect(NodeId n, const Effect& e) {
  NodeSlot& s = nodes_[n];
  switch (e.kind) {
    case EffectKind::send:
      return send(n, e.to, std::move(fx_.messages()[e.index]));
    case EffectKind::set_timer: {
      const std::uint32_t gen = ++timer_gen_;
      const Micros fires = now_ + true_duration(sc_.nodes[n].clock, e.delay);  // local clock
      auto it = std::find_if(s.timers.begin(), s.timers.end(),
                             [&](const TimerSlot& t) { return t.id == e.timer; });
      if (it == s.timers.end()) {
        s.timers.push_back(TimerSlot{e.timer, gen, fires});
        ++armed_;
      } else {
        it->gen = gen;
        it->due = fires;
      }
      push(fires, Ev{EvKind::timer, n, e.timer, gen});
      return;
    }
    case EffectKind::cancel_timer: {
      auto it = std::find_if(s.timers.begin(), s.timers.end(),
                             [&](const TimerSlot& t) { return t.id == e.timer; });
      if (it != s.timers.end()) {
        s.timers.erase(it);
        --armed_;
      }
      return;
    }
    case EffectKind::persist:
      std::swap(s.disk, fx_.snapshot(e.index));  // the old disk's buffers are reused
      return;
    case EffectKind::observe:
      ledger_.apply(n, e.obs);
      stats_.update(now_, e.obs.tx, n, hops_now_);
      emit({.kind = TraceKind::observe, .node = n, .tx = e.obs.tx, .obs = e.obs});
      return;
    case EffectKind::choose:
      emit({.kind = TraceKind::choose, .node = n, .obs = e.obs});
      return;
  }
}

// Draws, in this order from the network stream: loss, duplication, the duplicate's latency,
// the message's latency. Scripted mode draws latencies only: its schedule says what is lost
// or duplicated.
template <Protocol P>
void Simulator<P>::send(NodeId from, NodeId to, Msg&& msg) {
  const std::uint64_t id = ++msg_ids_;
  const std::string_view type = p_.type_name(msg);
  const TxId tx = p_.tx_of(msg);
  const MsgClass cls = protocol_msg_class(p_, msg);
  stats_.sent(tx, type);
  std::string payload = payloads_ ? p_.describe(msg) : std::string();
  emit({.kind = TraceKind::send, .node = from, .peer = to, .msg_id = id, .tx = tx,
        .type = type, .text = payload, .msg_class = cls});
  Micros extra = 0;
  bool drop = false;
  for (std::uint32_t f : fired_) {  // drop/delay act on this very message
    const FaultAction& a = sc_.faults[f].action;
    if (a.kind == FaultAction::Kind::drop) drop = true;
    if (a.kind == FaultAction::Kind::delay) extra += a.delay;
  }
  const LinkParams& link = links_.at(from, to);
  if (drop || (!scripted_ && net_rng_.bernoulli(link.loss))) {
    ledger_.note_fault();
    emit({.kind = TraceKind::drop, .node = to, .peer = from, .msg_id = id, .tx = tx,
          .type = type, .text = drop ? "fault" : "loss", .msg_class = cls});
    return;
  }
  const bool dup = !scripted_ && net_rng_.bernoulli(link.duplicate);
  if (dup) {
    ledger_.note_fault();
    emit({.kind = TraceKind::duplicate, .node = to, .peer = from, .msg_id = id, .tx = tx,
          .type = type});
    schedule_delivery(from, to, id, Msg(msg), link.latency.sample(net_rng_) + extra);
  }
  schedule_delivery(from, to, id, std::move(msg), link.latency.sample(net_rng_) + extra);
}

template <Protocol P>
void Simulator<P>::schedule_delivery(NodeId from, NodeId to, std::uint64_t id, Msg&& msg,
                                     Micros latency) {
  Micros at = now_ + latency;
  if (links_.fifo()) {  // never overtake an earlier message on the same link
    Micros& last = fifo_last_[from * sc_.nodes.size() + to];
    at = std::max(at, last);
    last = at;
  }
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(InFlight{std::move(msg), from, to, id, hops_now_ + 1, at, true});
  } else {
    slot = free_.back();
    free_.pop_back();
    slots_[slot] = InFlight{std::move(msg), from, to, id, hops_now_ + 1, at, true};
  }
  ++inflight_;
  push(at, Ev{EvKind::deliver, to, slot, 0});
}

}  // namespace txsim
