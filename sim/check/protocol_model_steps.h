// ProtocolModel<P>'s member templates: the partition list, the successor function and the
// description of a step. Included by sim/check/protocol_model.h (which states the rules); not
// meant to be included on its own.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/protocol_model.h"

namespace txsim::check {

template <CheckableProtocol P>
void ProtocolModel<P>::build_partitions() {
  if (spec_.partitions == 0) return;
  const std::size_t n = sc_.nodes.size();
  auto add = [&](std::vector<std::vector<NodeId>> groups) {
    std::vector<int> seen(n, 0);
    for (auto& g : groups) {
      std::sort(g.begin(), g.end());
      TXSIM_ASSERT_MSG(!g.empty(), "check: a partition group is empty");
      for (NodeId x : g) {
        TXSIM_ASSERT(x < n);
        ++seen[x];
      }
    }
    TXSIM_ASSERT_MSG(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }),
                     "check: a partition must put every node in exactly one group");
    std::sort(groups.begin(), groups.end());  // disjoint sorted groups: by smallest node
    FaultAction a;
    a.kind = FaultAction::Kind::partition;
    a.groups = std::move(groups);
    partitions_.push_back(std::move(a));
  };
  if (!spec_.partition_groups.empty()) {
    for (const auto& groups : spec_.partition_groups) add(groups);
    return;
  }
  // Every two-way split: node 0 stays in the first group, mask picks the others' side.
  TXSIM_ASSERT_MSG(n >= 2 && n <= 16, "check: two-way splits need 2 to 16 nodes");
  for (std::uint32_t mask = 1; mask < (1u << (n - 1)); ++mask) {
    std::vector<std::vector<NodeId>> groups(2);
    for (NodeId x = 0; x < n; ++x) groups[x > 0 && (mask >> (x - 1)) & 1].push_back(x);
    add(std::move(groups));
  }
}

template <CheckableProtocol P>
template <class Out>
void ProtocolModel<P>::run_step(State& base, NodeId n, const WorldStep& step,
                                const Packet<P>* m, bool cuts, Out& out) const {
  const WorldRules<P> r = rules();
  switch (step.kind) {
    case StepKind::submit:
      return r.run_handler(
          base, n, step, cuts, [&](auto& s, auto& fx) { p_.on_request(s, fx, TxId(step.a)); }, out);
    case StepKind::deliver:
      return r.run_handler(
          base, n, step, cuts, [&](auto& s, auto& fx) { p_.on_message(s, fx, m->from, m->msg); },
          out);
    case StepKind::fire:
      return r.run_handler(
          base, n, step, cuts, [&](auto& s, auto& fx) { p_.on_timer(s, fx, step.b); }, out);
    case StepKind::recover:
      return r.run_handler(
          base, n, step, cuts, [&](auto& s, auto& fx) { p_.on_recover(s, fx); }, out);
    default:
      TXSIM_ASSERT_MSG(false, "check: not a handler step");
  }
}

template <CheckableProtocol P>
template <class Out>
void ProtocolModel<P>::expand(const State& w, bool faults, Out& emit) const {
  auto out = [&](const WorldStep& s, State&& next) {
    // The boundary: no step but a duplicate piles up copies of one message on one link
    // (asynchronous retries would otherwise never end).
    if (spec_.copies_max != 0 && s.kind != StepKind::duplicate &&
        next.copies_grew_past(w, spec_.copies_max))
      return;
    emit(s.pack(), std::move(next));
  };
  const bool cuts = faults && w.spent.crashes < spec_.crashes;
  for (std::size_t i = 0; i < w.pending.size(); ++i) {
    State base = w;
    base.pending.erase(base.pending.begin() + std::ptrdiff_t(i));
    const WorldStep step{StepKind::submit, w.pending[i]};
    const NodeId target = p_.request_target(w.pending[i]);
    if (!base.up[target]) {
      out(step, std::move(base));  // the request is lost with its target
    } else {
      run_step(base, target, step, nullptr, cuts, out);
    }
  }
  const bool fifo = sc_.network.fifo;
  for (std::size_t i = 0; i < w.inflight.size(); ++i) {
    if (fifo ? !w.is_head(i) : (i > 0 && w.inflight[i] == w.inflight[i - 1])) continue;
    State base = w;
    const Packet<P> m = std::move(base.inflight[i]);
    base.inflight.erase(base.inflight.begin() + std::ptrdiff_t(i));
    const WorldStep step{StepKind::deliver, std::uint32_t(i)};
    if (!base.up[m.to] || !base.partition.connected(m.from, m.to)) {
      out(step, std::move(base));  // lost, free of charge, as in the simulator
    } else {
      run_step(base, m.to, step, &m, cuts, out);
    }
  }
  const bool synchronous = spec_.timeouts == TimeoutModel::synchronous;
  if (synchronous && any_deliverable(w)) {  // no timer may fire yet
    if (faults) expand_faults(w, out);
    return;
  }
  const bool stuck = synchronous && !any_timer_detects(w);
  for (NodeId n = 0; n < w.node_count(); ++n) {
    for (TimerId t : w.timers[n]) {
      if (synchronous && !stuck && !detects_failure(w, n, t)) continue;
      State base = w;
      erase_sorted(base.timers[n], t);
      // Asynchronous: a timer that fires while a message is in flight may be too early, a
      // timing fault. Synchronous timers are never early.
      if (!synchronous && !base.inflight.empty()) base.ledger.note_fault();
      run_step(base, n, WorldStep{StepKind::fire, n, t}, nullptr, cuts, out);
    }
  }
  if (faults) expand_faults(w, out);
}

template <CheckableProtocol P>
bool ProtocolModel<P>::any_deliverable(const State& w) const {
  return std::any_of(w.inflight.begin(), w.inflight.end(), [&](const Packet<P>& m) {
    return w.up[m.to] && w.partition.connected(m.from, m.to);
  });
}

template <CheckableProtocol P>
bool ProtocolModel<P>::detects_failure(const State& w, NodeId n, TimerId t) const {
  NodeMask watched = 0;
  if constexpr (NamesTimerPeers<P>) {
    watched = p_.timer_peers(w.states[n], t);
  } else {
    for (NodeId x = 0; x < w.node_count(); ++x) watched |= x == n ? 0 : node_bit(x);
  }
  for (NodeId x = 0; x < w.node_count() && x < 64; ++x) {
    if ((watched & node_bit(x)) == 0 || x == n) continue;
    if (!w.up[x] || !w.partition.connected(x, n) || !w.partition.connected(n, x)) return true;
  }
  return false;
}

template <CheckableProtocol P>
bool ProtocolModel<P>::any_timer_detects(const State& w) const {
  for (NodeId n = 0; n < w.node_count(); ++n) {
    for (TimerId t : w.timers[n]) {
      if (detects_failure(w, n, t)) return true;
    }
  }
  return false;
}

template <CheckableProtocol P>
template <class Out>
void ProtocolModel<P>::expand_faults(const State& w, Out& out) const {
  const bool crashes_left = w.spent.crashes < spec_.crashes;
  for (NodeId n = 0; n < w.node_count(); ++n) {
    if (w.up[n]) continue;
    State base = w;
    base.up[n] = 1;
    base.states[n] = p_.restore(n, base.disks[n]);
    run_step(base, n, WorldStep{StepKind::recover, n}, nullptr, crashes_left, out);
  }
  for (NodeId n = 0; crashes_left && n < w.node_count(); ++n) {
    if (!w.up[n]) continue;
    State next = w;
    rules().crash(next, n);
    out(WorldStep{StepKind::crash, n}, std::move(next));
  }
  const bool drops_left = w.spent.drops < spec_.drops;
  const bool dups_left = w.spent.duplicates < spec_.duplicates;
  for (std::size_t i = 0; (drops_left || dups_left) && i < w.inflight.size(); ++i) {
    if (i > 0 && w.inflight[i] == w.inflight[i - 1]) continue;  // the same world again
    if (drops_left) {
      State next = w;
      next.inflight.erase(next.inflight.begin() + std::ptrdiff_t(i));
      ++next.spent.drops;
      next.ledger.note_fault();
      out(WorldStep{StepKind::drop, std::uint32_t(i)}, std::move(next));
    }
    if (dups_left) {
      State next = w;
      Packet<P> copy = w.inflight[i];
      add_packet(next, std::move(copy), sc_.network.fifo);
      ++next.spent.duplicates;
      next.ledger.note_fault();
      out(WorldStep{StepKind::duplicate, std::uint32_t(i)}, std::move(next));
    }
  }
  if (w.spent.partitions < spec_.partitions && w.partition.whole()) {
    for (std::size_t j = 0; j < partitions_.size(); ++j) {
      State next = w;
      next.partition.apply(partitions_[j]);
      ++next.spent.partitions;
      next.ledger.note_fault();
      out(WorldStep{StepKind::partition, std::uint32_t(j)}, std::move(next));
    }
  }
  if (!w.partition.whole()) {
    State next = w;
    next.partition.heal();
    out(WorldStep{StepKind::heal}, std::move(next));
  }
}

template <CheckableProtocol P>
std::string ProtocolModel<P>::describe_action(const State& w, const Action& act) const {
  const WorldStep s = WorldStep::unpack(act);
  const WorldPrinter<P> pr = printer();
  switch (s.kind) {
    case StepKind::crash:
      return "crash " + pr.node(NodeId(s.a));
    case StepKind::drop:
      return "drop " + pr.packet(w.inflight.at(s.a));
    case StepKind::duplicate:
      return "duplicate " + pr.packet(w.inflight.at(s.a));
    case StepKind::partition: {
      PartitionState part = w.partition;
      part.apply(partitions_.at(s.a));
      return "partition " + part.describe(sc_);
    }
    case StepKind::heal:
      return "heal the partition";
    default:
      break;
  }
  NodeId n = NodeId(s.a);
  std::string what;
  std::string lost;
  const typename P::State* start = &w.states[n < w.node_count() ? n : 0];
  std::vector<ChoiceTaken> taken;
  const WorldRules<P> r = rules();
  if (s.kind == StepKind::submit) {
    n = p_.request_target(TxId(s.a));
    start = &w.states[n];
    what = "submit " + pr.tx(TxId(s.a)) + " to " + pr.node(n);
    if (!w.up[n]) lost = " (lost: " + pr.node(n) + " is down)";
    taken = r.choices_of(*start, n, s.choice,
                         [&](auto& st, auto& fx) { p_.on_request(st, fx, TxId(s.a)); });
  } else if (s.kind == StepKind::deliver) {
    const Packet<P>& m = w.inflight.at(s.a);
    n = m.to;
    start = &w.states[n];
    what = "deliver " + pr.packet(m);
    if (!w.up[n])
      lost = " (lost: " + pr.node(n) + " is down)";
    else if (!w.partition.connected(m.from, m.to))
      lost = " (lost: partition)";
    if (lost.empty())
      taken = r.choices_of(*start, n, s.choice,
                           [&](auto& st, auto& fx) { p_.on_message(st, fx, m.from, m.msg); });
  } else if (s.kind == StepKind::fire) {
    what = "fire timer " + p_.timer_name(s.b) + " at " + pr.node(n);
    taken =
        r.choices_of(*start, n, s.choice, [&](auto& st, auto& fx) { p_.on_timer(st, fx, s.b); });
  } else {
    what = "recover " + pr.node(n);
    const typename P::State restored = p_.restore(n, w.disks[n]);
    taken = r.choices_of(restored, n, s.choice, [&](auto& st, auto& fx) { p_.on_recover(st, fx); });
  }
  if (!lost.empty()) return what + lost;
  const std::string choices = WorldPrinter<P>::choices(taken);
  if (s.crash_after < 0) return what + choices;
  return "crash " + pr.node(n) + " after " + std::to_string(s.crash_after) + " effect" +
         (s.crash_after == 1 ? "" : "s") + " of its handler for " + pr.event(w, s) + choices;
}

}  // namespace txsim::check
