// Simulator<P>: runs protocol P in virtual time over the modeled network, with scripted and
// triggered faults, and returns a RunResult. One seed drives everything, through separate
// streams (network, choices): the same scenario and seed give the same trace, byte for byte.
//
// The loop pops events ordered by (time, seq) (sim/event_queue.h), runs the node's handler,
// and applies its effect list in order. A crash may cut that list (crash_during, or a trigger
// that fires on one of the handler's own effects): effects after the cut never happen.
//
// Invariants kept: no event is lost (in-flight messages, armed timers and pending
// requests/faults are counted; the run is quiescent exactly when all three are zero); a down
// node runs no handler and loses every message delivered to it; a crashed node restarts from
// the last durable snapshot it persisted.
#pragma once

#include <algorithm>
#include <string>
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

  static Result<RunResult> run(const Scenario& sc, const P& proto, const RunOptions& opt) {
    auto triggers = TriggerMatcher::make(sc, P::kName, P::phase_names());
    if (!triggers) return triggers.error();
    Simulator sim(sc, proto, opt, std::move(*triggers));
    return sim.execute();
  }

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
  };
  struct TimerSlot {
    TimerId id;
    std::uint32_t gen;
  };
  struct NodeSlot {
    State state;
    typename P::Durable disk;
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
    result.protocol = std::string(P::kName);
    result.seed = seed_;
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
    finish(result);
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
      typename P::Durable disk = s.durable;
      nodes_.push_back(NodeSlot{std::move(s), std::move(disk), true, -1, {}});
    }
    for (TxId t = 0; t < sc_.transactions.size(); ++t) {
      push(sc_.transactions[t].at, Ev{EvKind::request, p_.request_target(t), t, 0});
      ++pending_;
    }
    for (std::uint32_t f = 0; f < sc_.faults.size(); ++f) {
      if (sc_.faults[f].when.kind != TriggerSpec::Kind::at_time) continue;
      push(sc_.faults[f].when.at, Ev{EvKind::fault, kNoNode, f, 0});
      ++pending_;
    }
  }

  void push(Micros at, Ev ev) { queue_.push(std::max(at, now_), ev); }

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

  // ---- handlers and effects ------------------------------------------------------------
  // `hops`: the causal message depth of what triggered the handler (RunStats' message delays).
  template <class Call>
  void run_handler(NodeId n, Call&& call, std::uint32_t hops) {
    NodeSlot& s = nodes_[n];
    s.hops = hops_now_ = hops;
    fx_.reset(n, local_now(n), &chooser_);
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

  void apply_effect(NodeId n, const Effect& e) {
    NodeSlot& s = nodes_[n];
    switch (e.kind) {
      case EffectKind::send:
        return send(n, e.to, std::move(fx_.messages()[e.index]));
      case EffectKind::set_timer: {
        const std::uint32_t gen = ++timer_gen_;
        auto it = std::find_if(s.timers.begin(), s.timers.end(),
                               [&](const TimerSlot& t) { return t.id == e.timer; });
        if (it == s.timers.end()) {
          s.timers.push_back(TimerSlot{e.timer, gen});
          ++armed_;
        } else {
          it->gen = gen;
        }
        const Micros fires = now_ + true_duration(sc_.nodes[n].clock, e.delay);  // local clock
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

  void send(NodeId from, NodeId to, Msg&& msg) {
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
    if (drop || net_rng_.bernoulli(link.loss)) {
      ledger_.note_fault();
      emit({.kind = TraceKind::drop, .node = to, .peer = from, .msg_id = id, .tx = tx,
            .type = type, .text = drop ? "fault" : "loss", .msg_class = cls});
      return;
    }
    const bool dup = net_rng_.bernoulli(link.duplicate);
    if (dup) {
      ledger_.note_fault();
      emit({.kind = TraceKind::duplicate, .node = to, .peer = from, .msg_id = id, .tx = tx,
            .type = type});
      schedule_delivery(from, to, id, Msg(msg), link.latency.sample(net_rng_) + extra);
    }
    schedule_delivery(from, to, id, std::move(msg), link.latency.sample(net_rng_) + extra);
  }

  void schedule_delivery(NodeId from, NodeId to, std::uint64_t id, Msg&& msg, Micros latency) {
    Micros at = now_ + latency;
    if (links_.fifo()) {  // never overtake an earlier message on the same link
      Micros& last = fifo_last_[from * sc_.nodes.size() + to];
      at = std::max(at, last);
      last = at;
    }
    std::uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(InFlight{std::move(msg), from, to, id, hops_now_ + 1});
    } else {
      slot = free_.back();
      free_.pop_back();
      slots_[slot] = InFlight{std::move(msg), from, to, id, hops_now_ + 1};
    }
    ++inflight_;
    push(at, Ev{EvKind::deliver, to, slot, 0});
  }

  // ---- faults --------------------------------------------------------------------------
  void flush_fired() {
    while (!fired_.empty()) {
      std::vector<std::uint32_t> now;
      now.swap(fired_);
      for (std::uint32_t f : now) apply_fault(f);
    }
  }

  void apply_fault(std::uint32_t f) {
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
      case K::partition: {
        part_.apply(a);
        ledger_.note_fault();
        std::string d = part_.describe(sc_);
        emit({.kind = TraceKind::partition, .text = d});
        return;
      }
      case K::heal:
        part_.heal();
        emit({.kind = TraceKind::heal});
        return;
      case K::drop:
      case K::delay:
        return;  // acted on in send()
    }
  }

  void crash_and_schedule(NodeId n, std::int64_t effects_applied, Micros recover_after) {
    crash(n, effects_applied);
    if (recover_after >= 0) {
      push(now_ + recover_after, Ev{EvKind::recover, n, 0, 0});
      ++pending_;
    }
  }

  void crash(NodeId n, std::int64_t effects_applied) {
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

  void recover(NodeId n) {
    NodeSlot& s = nodes_[n];
    if (s.up) return;
    s.up = true;
    s.state = p_.restore(n, s.disk);
    emit({.kind = TraceKind::recover, .node = n});
    run_handler(n, [&](State& st, FxOf<P>& fx) { p_.on_recover(st, fx); }, nodes_[n].hops);
  }

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

  void finish(RunResult& r) {
    const bool settled = quiescent();
    for (std::size_t i = 0; i < standard_invariants().size(); ++i) {
      const Invariant& inv = *standard_invariants()[i];
      inv_[i].id = std::string(inv.info().id);
      inv_[i].kind = inv.info().kind;
      inv_[i].evaluated = inv.info().kind != InvariantKind::quiescent || settled;
      if (inv_[i].evaluated && inv.info().kind != InvariantKind::always)
        if (auto d = inv.check(sc_, ledger_, true)) record_violation(i, *d);
    }
    if (sink_) sink_->end(now_);
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
