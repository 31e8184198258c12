// Simulator<P>, continued: faults (the scenario's, fired at a time or by a trigger), crashes
// and recoveries. Included by simulator.h only (which states the invariants).
//
// Rules kept here: a fault fired by a delivery acts after that delivery's handler; a crash
// fired by the running node's own effect cuts its effect list there (but never inside a
// persist and the observations it records: the crash waits for the end of that step); a
// recovery always goes through the agenda, so handlers never nest.
#pragma once

#include "sim/simulator.h"

namespace txsim {

template <Protocol P>
void Simulator<P>::flush_fired() {
  while (!fired_.empty()) {
    std::vector<std::uint32_t> now;
    now.swap(fired_);
    for (std::uint32_t f : now) apply_fault(f);
  }
}

template <Protocol P>
void Simulator<P>::apply_fault(std::uint32_t f) {
  const FaultAction& a = sc_.faults[f].action;
  using K = FaultAction::Kind;
  switch (a.kind) {
    case K::crash:
      if (!nodes_[a.node].up) return;
      if (a.node == running_) {  // fired by the node's own effect: it dies mid-handler
        if (!crash_cut_allowed(fx_.list(), std::size_t(applied_))) {
          deferred_crash_ = true;  // finish the atomic persist + observe step first
          deferred_recover_after_ = a.recover_after;
          return;
        }
        return crash_and_schedule(a.node, applied_, a.recover_after);
      }
      return crash_and_schedule(a.node, -1, a.recover_after);
    case K::recover:  // via the queue: a handler must never run inside another's effects
      push(now_, Ev{EvKind::recover, a.node, 0, 0});
      ++pending_;
      return;
    case K::crash_during: nodes_[a.node].crash_after = std::int32_t(a.after_effects); return;
    case K::partition: return apply_partition(a);
    case K::heal:
      part_.heal();
      emit({.kind = TraceKind::heal});
      return;
    case K::drop:
    case K::delay:
      return;  // acted on in send()
  }
}

template <Protocol P>
void Simulator<P>::apply_partition(const FaultAction& a) {
  part_.apply(a);
  ledger_.note_fault();
  std::string d = part_.describe(sc_);
  emit({.kind = TraceKind::partition, .text = d});
}

template <Protocol P>
void Simulator<P>::crash_and_schedule(NodeId n, std::int64_t effects_applied,
                                      Micros recover_after) {
  crash(n, effects_applied);
  if (recover_after >= 0) {
    push(now_ + recover_after, Ev{EvKind::recover, n, 0, 0});
    ++pending_;
  }
}

// The node loses its timers and its locks; its state is rebuilt from disk when it recovers.
template <Protocol P>
void Simulator<P>::crash(NodeId n, std::int64_t effects_applied) {
  NodeSlot& s = nodes_[n];
  s.up = false;
  s.crash_after = -1;
  armed_ -= s.timers.size();
  s.timers.clear();
  ledger_.on_crash(n);
  ledger_.note_fault();
  stats_.crashed(now_, n);
  emit({.kind = TraceKind::crash, .node = n, .value = effects_applied});
}

template <Protocol P>
void Simulator<P>::recover(NodeId n) {
  NodeSlot& s = nodes_[n];
  if (s.up) return;
  s.up = true;
  s.state = p_.restore(n, s.disk);
  emit({.kind = TraceKind::recover, .node = n});
  run_handler(n, [&](State& st, FxOf<P>& fx) { p_.on_recover(st, fx); }, nodes_[n].hops);
}

}  // namespace txsim
