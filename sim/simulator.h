// Simulator<P>: runs protocol P in virtual time over the modeled network, with scripted and
// triggered faults, and returns a RunResult. One seed drives everything, through separate
// streams (network, choices): the same scenario and seed give the same trace, byte for byte.
//
// The loop pops events ordered by (time, seq) (sim/event_queue.h), runs the node's handler,
// and applies its effect list in order. A crash may cut that list (crash_during, or a trigger
// that fires on one of the handler's own effects): effects after the cut never happen.
//
// Scripted mode (sim/simulator_script.h) runs the same handlers, effect rules, network
// bookkeeping, invariants and trace output, but takes each step from a schedule instead of
// the agenda: that is how a model checker's counterexample becomes a timed run.
//
// Invariants kept: no event is lost (in-flight messages, armed timers and pending
// requests/faults are counted; the run is quiescent exactly when all three are zero); a down
// node runs no handler and loses every message delivered to it; a crashed node restarts from
// the last durable snapshot it persisted.
//
// The member functions live in four headers, included at the end: this one (the loop, the
// events, tracing and invariants), simulator_effects.h (handlers, effects, the network),
// simulator_faults.h (faults, crash, recover) and simulator_script.h (scripted mode).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/clock.h"
#include "sim/event_queue.h"
#include "sim/invariant.h"
#include "sim/ledger.h"
#include "sim/network.h"
#include "sim/protocol.h"
#include "sim/rng.h"
#include "sim/rng_chooser.h"
#include "sim/run_result.h"
#include "sim/run_stats.h"
#include "sim/script_step.h"
#include "sim/trace.h"
#include "sim/trigger.h"

namespace txsim {

struct RunOptions {
  std::uint64_t seed = 1;
  TraceSink* sink = nullptr;  // may be null: tracing off
};

template <Protocol P>
class Simulator {
 public:
  using State = typename P::State;
  using Msg = typename P::Msg;
  using Durable = typename P::Durable;

  static Result<RunResult> run(const Scenario& sc, const P& proto, const RunOptions& opt) {
    auto triggers = TriggerMatcher::make(sc, P::kName, P::phase_names());
    if (!triggers) return triggers.error();
    Simulator sim(sc, proto, opt, std::move(*triggers));
    return sim.execute();
  }

  // ---- scripted mode (sim/simulator_script.h) ------------------------------------------
  struct Scripted {};
  // No agenda, no triggers, no scenario faults, no random loss or duplication: every step
  // comes from script_step(). The network stream still draws each message's latency.
  Simulator(const Scenario& sc, const P& p, const RunOptions& opt, Scripted);
  void script_begin();
  // Executes one step at its time (see simulator_script.h); returns why it could not, or "".
  std::string script_step(const ScriptStep<Msg>& step);
  // Judges the end-of-run invariants; the first violation (earliest, then in
  // standard_invariants() order), if any.
  std::optional<InvariantResult> script_verdict();
  // A violation judged outside the engine (the checker's blocking), as a trace event.
  void script_violation(std::string_view id, std::string_view detail);
  RunResult script_end();
  // What the run looks like now, for comparing it with the schedule's source.
  Micros now() const { return now_; }
  bool up(NodeId n) const { return nodes_[n].up; }
  const State& state(NodeId n) const { return nodes_[n].state; }
  const Durable& disk(NodeId n) const { return nodes_[n].disk; }
  std::vector<TimerId> timers(NodeId n) const;  // armed, ascending
  const Ledger& ledger() const { return ledger_; }
  std::uint64_t in_flight() const { return inflight_; }

 private:
  enum class EvKind : std::uint8_t { deliver, timer, request, fault, recover };
  struct Ev {
    EvKind kind;
    NodeId node;
    std::uint32_t a;  // deliver: slot; timer: id; request: tx; fault: index
    std::uint32_t b;  // timer: generation
  };
  struct InFlight {
    Msg msg;
    NodeId from, to;
    std::uint64_t id;
    std::uint32_t hops;  // messages on the causal chain that led to it, itself included
    Micros due = 0;      // when it arrives
    bool live = false;   // the slot holds a message in flight
  };
  struct TimerSlot {
    TimerId id;
    std::uint32_t gen;
    Micros due = 0;  // when it fires, in true time
  };
  struct NodeSlot {
    State state;
    Durable disk;
    bool up = true;
    std::int32_t crash_after = -1;  // crash_during armed: cut the next handler after k effects
    std::uint32_t hops = 0;         // causal message depth of its latest handler
    std::vector<TimerSlot> timers;
  };

  Simulator(const Scenario& sc, const P& p, const RunOptions& opt, TriggerMatcher triggers)
      : sc_(sc), p_(p), seed_(opt.seed), sink_(opt.sink),
        net_rng_(Rng::for_stream(opt.seed, Stream::network)),
        choice_rng_(Rng::for_stream(opt.seed, Stream::choices)), chooser_(choice_rng_),
        links_(sc), part_(sc.nodes.size()), ledger_(sc), stats_(sc, ledger_),
        triggers_(std::move(triggers)),
        fifo_last_(sc.nodes.size() * sc.nodes.size(), 0) {
    payloads_ = sink_ && sink_->wants_payloads();
    states_ = sink_ && sink_->wants_states();
  }

  // ---- the run loop -------------------------------------------------------------------
  RunResult execute() {
    set_assert_seed(seed_);
    RunResult result;
    start();
    result.end = EndReason::quiescent;
    while (!quiescent()) {
      TXSIM_ASSERT(!queue_.empty());  // counters say work remains: it must be queued
      const auto& top = queue_.top();
      if (top.time > sc_.limits.time_limit) {
        result.end = EndReason::time_limit;
        now_ = sc_.limits.time_limit;
        break;
      }
      if (events_ >= sc_.limits.max_events) {
        result.end = EndReason::event_limit;
        break;
      }
      auto e = queue_.pop();
      now_ = e.time;
      ++events_;
      dispatch(e.payload);
      flush_fired();
      check_always();
      if (sc_.limits.stop_on_violation && violated_) {
        result.end = EndReason::violation;
        break;
      }
    }
    judge_end();
    close(result);
    return result;
  }

  bool quiescent() const { return inflight_ == 0 && armed_ == 0 && pending_ == 0; }

  void start() {
    if (sink_) {
      TraceHeader h{&sc_, std::string(P::kName), seed_, {}};
      for (auto name : P::phase_names()) h.phase_names.push_back(name);
      sink_->begin(h);
    }
    nodes_.reserve(sc_.nodes.size());
    for (NodeId n = 0; n < sc_.nodes.size(); ++n) {
      State s = p_.init(n);
      Durable disk = s.durable;
      nodes_.push_back(NodeSlot{std::move(s), std::move(disk), true, -1, 0, {}});
    }
    for (TxId t = 0; t < sc_.transactions.size(); ++t) {
      push(sc_.transactions[t].at, Ev{EvKind::request, p_.request_target(t), t, 0});
      ++pending_;
    }
    for (std::uint32_t f = 0; f < sc_.faults.size() && !scripted_; ++f) {
      if (sc_.faults[f].when.kind != TriggerSpec::Kind::at_time) continue;
      push(sc_.faults[f].when.at, Ev{EvKind::fault, kNoNode, f, 0});
      ++pending_;
    }
  }

  // Scripted mode has no agenda: its steps come from the script.
  void push(Micros at, Ev ev) {
    if (!scripted_) queue_.push(std::max(at, now_), ev);
  }

  void dispatch(const Ev& ev) {
    switch (ev.kind) {
      case EvKind::deliver: return deliver(ev.a);
      case EvKind::timer: return fire_timer(ev.node, ev.a, ev.b);
      case EvKind::request: return request(ev.node, TxId(ev.a));
      case EvKind::fault:
        --pending_;
        return apply_fault(ev.a);
      case EvKind::recover:
        --pending_;
        return recover(ev.node);
    }
  }

  // ---- events --------------------------------------------------------------------------
  void request(NodeId target, TxId tx) {
    --pending_;
    stats_.submitted(tx, now_);
    emit({.kind = TraceKind::request, .node = target, .tx = tx,
          .text = nodes_[target].up ? std::string_view{} : "node down"});
    if (!nodes_[target].up) return;
    run_handler(target, [&](State& s, FxOf<P>& fx) { p_.on_request(s, fx, tx); }, 0);
  }

  void deliver(std::uint32_t slot) {
    --inflight_;
    InFlight m = std::move(slots_[slot]);
    slots_[slot].live = false;
    free_.push_back(slot);
    const std::string_view type = p_.type_name(m.msg);
    const TxId tx = p_.tx_of(m.msg);
    const MsgClass cls = protocol_msg_class(p_, m.msg);
    const char* lost = !nodes_[m.to].up                 ? "receiver down"
                       : !part_.connected(m.from, m.to) ? "partition"
                                                        : nullptr;
    if (lost) {
      emit({.kind = TraceKind::drop, .node = m.to, .peer = m.from, .msg_id = m.id, .tx = tx,
            .type = type, .text = lost, .msg_class = cls});
      return;
    }
    emit({.kind = TraceKind::deliver, .node = m.to, .peer = m.from, .msg_id = m.id, .tx = tx,
          .type = type, .msg_class = cls});
    std::vector<std::uint32_t> after;  // faults fired by this delivery act after its handler
    after.swap(fired_);
    run_handler(m.to, [&](State& s, FxOf<P>& fx) { p_.on_message(s, fx, m.from, m.msg); },
                m.hops);
    for (std::uint32_t f : after) apply_fault(f);
  }

  void fire_timer(NodeId n, TimerId id, std::uint32_t gen) {
    NodeSlot& s = nodes_[n];
    auto it = std::find_if(s.timers.begin(), s.timers.end(),
                           [&](const TimerSlot& t) { return t.id == id && t.gen == gen; });
    if (!s.up || it == s.timers.end()) return;  // cancelled, re-armed or lost in a crash
    s.timers.erase(it);
    --armed_;
    std::string name = sink_ ? p_.timer_name(id) : std::string();
    emit({.kind = TraceKind::timer, .node = n, .type = name});
    run_handler(n, [&](State& st, FxOf<P>& fx) { p_.on_timer(st, fx, id); }, s.hops);
  }

  // ---- handlers, effects, the network (simulator_effects.h) ----------------------------
  template <class Call>
  void run_handler(NodeId n, Call&& call, std::uint32_t hops);
  void apply_effect(NodeId n, const Effect& e);
  void send(NodeId from, NodeId to, Msg&& msg);
  void schedule_delivery(NodeId from, NodeId to, std::uint64_t id, Msg&& msg, Micros latency);

  // ---- faults (simulator_faults.h) -----------------------------------------------------
  void flush_fired();
  void apply_fault(std::uint32_t f);
  void apply_partition(const FaultAction& a);
  void crash_and_schedule(NodeId n, std::int64_t effects_applied, Micros recover_after);
  void crash(NodeId n, std::int64_t effects_applied);
  void recover(NodeId n);

  // ---- scripted steps (simulator_script.h) ---------------------------------------------
  std::optional<std::uint32_t> find_slot(const ScriptStep<Msg>& step) const;
  std::string script_handler_step(const ScriptStep<Msg>& step);
  std::string script_network_step(const ScriptStep<Msg>& step);

  // ---- clocks, tracing, invariants -----------------------------------------------------
  Micros local_now(NodeId n) const { return local_time(sc_.nodes[n].clock, now_); }

  void emit(TraceEvent e) {
    e.time = now_;
    stats_.counted(e.kind);
    if (triggers_.active()) triggers_.match(e, fired_);
    if (sink_) sink_->event(e);
  }

  void check_always() {
    if (ledger_.touched_txs().empty() && ledger_.touched_accounts().empty()) return;
    for (std::size_t i = 0; i < standard_invariants().size(); ++i) {
      const Invariant& inv = *standard_invariants()[i];
      if (inv.info().kind != InvariantKind::always) continue;
      if (auto detail = inv.check(sc_, ledger_, false)) record_violation(i, *detail);
    }
    ledger_.clear_touched();
  }

  void record_violation(std::size_t i, const std::string& detail) {
    if (!inv_[i].violated) {
      inv_[i].violated = true;
      inv_[i].at = now_;
      inv_[i].detail = detail;
      emit({.kind = TraceKind::violation, .type = standard_invariants()[i]->info().id,
            .text = detail});
    }
    violated_ = true;
  }

  // The end-of-run invariants: quiescent ones only when the run settled. In scripted mode a
  // down node has not settled either (it may still recover; nothing in the agenda says so).
  void judge_end() {
    bool settled = quiescent();
    if (scripted_)
      settled = settled && std::all_of(nodes_.begin(), nodes_.end(),
                                       [](const NodeSlot& s) { return s.up; });
    for (std::size_t i = 0; i < standard_invariants().size(); ++i) {
      const Invariant& inv = *standard_invariants()[i];
      inv_[i].id = std::string(inv.info().id);
      inv_[i].kind = inv.info().kind;
      inv_[i].evaluated = inv.info().kind != InvariantKind::quiescent || settled;
      if (inv_[i].evaluated && inv.info().kind != InvariantKind::always)
        if (auto d = inv.check(sc_, ledger_, true)) record_violation(i, *d);
    }
  }

  void close(RunResult& r) {
    if (sink_) sink_->end(now_);
    r.protocol = std::string(P::kName);
    r.seed = seed_;
    r.end_time = now_;
    r.events = events_;
    r.invariants = inv_;
    stats_.finish(now_, r);
    r.sent = msg_ids_;
    judge_expectation(sc_, r);
  }

  const Scenario& sc_;
  const P& p_;
  std::uint64_t seed_;
  TraceSink* sink_;
  bool payloads_ = false, states_ = false;
  Rng net_rng_, choice_rng_;
  RngChooser chooser_;
  ScriptChooser script_chooser_;
  Chooser* chooser_now_ = &chooser_;  // what fx.choose() asks: the rng, or the script
  bool scripted_ = false;
  LinkTable links_;
  PartitionState part_;
  Ledger ledger_;
  RunStats stats_;
  TriggerMatcher triggers_;
  std::vector<NodeSlot> nodes_;
  EventQueue<Ev> queue_;
  std::vector<InFlight> slots_;
  std::vector<std::uint32_t> free_;
  std::vector<Micros> fifo_last_;
  std::vector<std::uint32_t> fired_;
  std::vector<std::uint8_t> submitted_;  // scripted mode: by transaction
  FxOf<P> fx_;
  std::vector<InvariantResult> inv_ = std::vector<InvariantResult>(standard_invariants().size());
  Micros now_ = 0;
  std::uint64_t events_ = 0, msg_ids_ = 0;
  std::uint32_t timer_gen_ = 0;
  std::uint64_t inflight_ = 0, armed_ = 0, pending_ = 0;
  bool violated_ = false;
  NodeId running_ = kNoNode;  // whose handler's effects are being applied
  std::uint32_t hops_now_ = 0;  // causal message depth of the running handler
  bool deferred_crash_ = false;  // a trigger crashed running_ inside an atomic persist step
  Micros deferred_recover_after_ = -1;
  std::int64_t applied_ = 0;  // how many of them so far
};

}  // namespace txsim

#include "sim/simulator_effects.h"  // NOLINT: the member definitions, in order
#include "sim/simulator_faults.h"   // NOLINT
#include "sim/simulator_script.h"   // NOLINT
