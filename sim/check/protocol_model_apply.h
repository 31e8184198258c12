// How ProtocolModel<P> runs P's own handlers on a World and applies their effect lists: the
// checker's copy of the simulator's rules (sim/simulator.h, run_handler / apply_effect / crash),
// minus time and the network's random draws.
//
// Same rules as the simulator:
// - effects are applied in list order: send -> in flight, set/cancel_timer -> the armed set,
//   persist -> the disk, observe -> Ledger::apply, choose -> nothing (already taken);
// - a crash applies only a prefix of the list, at a cut that crash_cut_allowed() allows, then
//   loses the node's memory: restore(node, disk), no timers, Ledger::on_crash, note_fault.
// Differences, on purpose: a send never draws loss or duplication (the checker's drop and
// duplicate steps do that, within budget), and set_timer's delay is ignored (untimed).
//
// Choices: a handler's fx.choose(n) calls are enumerated depth-first. The handler runs with a
// chooser that replays a prefix of values and extends it with zeros; the values and ranges it
// took give the next prefix (increment the last value that can grow, drop what follows). Every
// distinct sequence is one outcome, numbered in that order. Handlers must be deterministic
// given their choices: a replay that sees a different range asserts.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/check/protocol_model_action.h"
#include "sim/check/world.h"
#include "sim/effects.h"
#include "sim/protocol.h"

namespace txsim::check {

struct ChoiceTaken {
  std::uint32_t n = 0;      // the range asked for
  std::uint32_t value = 0;  // the value returned
};

// Replays `prefix`, then answers 0; records what it answered.
class ReplayChooser final : public Chooser {
 public:
  void start(const std::vector<std::uint32_t>& prefix) {
    prefix_ = prefix;
    previous_ = std::move(taken_);
    taken_.clear();
  }
  std::uint32_t choose(std::uint32_t n) override {
    const std::size_t i = taken_.size();
    const std::uint32_t v = i < prefix_.size() ? prefix_[i] : 0;
    if (i < prefix_.size() && i < previous_.size()) {
      TXSIM_ASSERT_MSG(previous_[i].n == n, "handler is not deterministic given its choices");
    }
    TXSIM_ASSERT(v < n);
    taken_.push_back(ChoiceTaken{n, v});
    return v;
  }
  const std::vector<ChoiceTaken>& taken() const { return taken_; }
  // The next sequence in depth-first order; false when every sequence was taken.
  bool next(std::vector<std::uint32_t>& prefix) const {
    for (std::size_t j = taken_.size(); j-- > 0;) {
      if (taken_[j].value + 1 >= taken_[j].n) continue;
      prefix.clear();
      for (std::size_t i = 0; i < j; ++i) prefix.push_back(taken_[i].value);
      prefix.push_back(taken_[j].value + 1);
      return true;
    }
    return false;
  }

 private:
  std::vector<std::uint32_t> prefix_;
  std::vector<ChoiceTaken> taken_, previous_;
};

template <CheckableProtocol P>
class WorldRules {
 public:
  using State = typename P::State;
  using Msg = typename P::Msg;

  WorldRules(const P& p, bool fifo) : p_(p), fifo_(fifo) {}

  void send(World<P>& w, NodeId from, NodeId to, const Msg& msg) const {
    add_packet(w, Packet<P>{from, to, protocol_hash(p_, msg), msg}, fifo_);
  }

  void apply_effect(World<P>& w, NodeId n, const Effect& e, FxOf<P>& fx) const {
    switch (e.kind) {
      case EffectKind::send:
        return send(w, n, e.to, fx.messages()[e.index]);
      case EffectKind::set_timer:
        return add_sorted(w.timers[n], e.timer);
      case EffectKind::cancel_timer:
        return erase_sorted(w.timers[n], e.timer);
      case EffectKind::persist:
        w.disks[n] = fx.snapshots()[e.index];
        return;
      case EffectKind::observe:
        return w.ledger.apply(n, e.obs);
      case EffectKind::choose:
        return;
    }
  }

  // The node loses its memory and its timers; it charges the crash budget.
  void crash(World<P>& w, NodeId n) const {
    TXSIM_ASSERT(w.up[n]);
    w.up[n] = 0;
    w.timers[n].clear();
    w.states[n] = p_.restore(n, w.disks[n]);
    w.ledger.on_crash(n);
    w.ledger.note_fault();
    ++w.spent.crashes;
    w.ledger.clear_touched();
  }

  // Runs `call(state, fx)` on a copy of `start` once per choice sequence, and hands each
  // outcome to f(choice_index, state_after, fx, choices_taken, last). `start` is not read
  // again once f has its last outcome.
  template <class Call, class F>
  void for_each_choice(const State& start, NodeId n, Call&& call, F&& f) const {
    FxOf<P> fx;
    ReplayChooser chooser;
    std::vector<std::uint32_t> prefix;
    std::uint32_t index = 0;
    bool more = true;
    while (more) {
      TXSIM_ASSERT_MSG(index <= WorldStep::kChoicesMax, "too many choice sequences in one handler");
      State s = start;
      chooser.start(prefix);
      fx.reset(n, 0, &chooser);  // untimed: handlers see local time 0
      call(s, fx);
      more = chooser.next(prefix);
      f(index++, s, fx, chooser.taken(), !more);
    }
  }

  // Emits, for every choice sequence of the handler, the world after its whole effect list
  // and, when `cuts` is set, every distinct world of a crash in its middle: after k effects,
  // 0 < k < size, at a cut crash_cut_allowed() allows. (k = 0 is a plain crash before the
  // handler; k = size is the handler followed by a plain crash: both are other steps.) Cuts
  // that leave the same world as the previous cut (k - 1 applied a timer, a choice or an
  // observation the ledger ignores) are emitted once. `base` has the event already consumed;
  // without cuts, the last outcome takes it over (moved from: one world copy less a step,
  // the most common case once the crash budget is spent).
  template <class Call, class Emit>
  void run_handler(World<P>& base, NodeId n, WorldStep step, bool cuts, Call&& call,
                   Emit&& emit) const {
    for_each_choice(base.states[n], n, call,
                    [&](std::uint32_t choice, State& after, FxOf<P>& fx, const auto&, bool last) {
                      step.choice = choice;
                      step.crash_after = -1;
                      World<P> next = last && !cuts ? std::move(base) : World<P>(base);
                      for (const Effect& e : fx.list()) apply_effect(next, n, e, fx);
                      next.states[n] = std::move(after);
                      next.ledger.clear_touched();
                      emit(step, std::move(next));
                      if (cuts) emit_cuts(base, n, step, fx, emit);
                    });
  }

  // The choices the handler takes in its `index`-th outcome (for describing a step).
  template <class Call>
  std::vector<ChoiceTaken> choices_of(const State& start, NodeId n, std::uint32_t index,
                                      Call&& call) const {
    std::vector<ChoiceTaken> out;
    for_each_choice(start, n, call,
                    [&](std::uint32_t i, State&, FxOf<P>&, const auto& taken, bool) {
      if (i == index) out = taken;
    });
    return out;
  }

 private:
  template <class Emit>
  void emit_cuts(const World<P>& base, NodeId n, WorldStep step, FxOf<P>& fx, Emit& emit) const {
    const std::vector<Effect>& list = fx.list();
    World<P> applied = base;  // the first k effects applied
    World<P> previous = base;
    crash(previous, n);  // k = 0: the plain crash's world, never emitted here
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (k > 0 && crash_cut_allowed(list, k)) {
        World<P> cut = applied;
        crash(cut, n);
        if (!(cut == previous)) {
          step.crash_after = static_cast<std::int32_t>(k);
          emit(step, World<P>(cut));
          previous = std::move(cut);
        }
      }
      apply_effect(applied, n, list[k], fx);
    }
  }

  const P& p_;
  bool fifo_;
};

}  // namespace txsim::check
