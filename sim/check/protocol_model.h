// ProtocolModel<P>: the model checker's view of protocol P (a sim/check/model.h Model). Its
// states are Worlds (sim/check/world.h) and its transitions run P's *own* handlers, the ones
// the simulator runs: the checker explores the implementation, never a second model of it.
// docs/checker.md ("How protocols are checked") explains it for users.
//
// Transitions of a world, in this order (each is a WorldStep, sim/check/protocol_model_action.h):
//  1. submit any pending client request (the target's on_request; lost if the target is down);
//  2. deliver any in-flight message: on a FIFO link only its head, on an unordered link any of
//     them (identical copies once). A message to a down node or across the partition is lost,
//     free of charge, as in the simulator;
//  3. fire any armed timer. Asynchronous timing (the default): at any time; a timer that fires
//     while a message is in flight may have fired too early, so the ledger notes a (timing)
//     fault: AC4 then no longer demands commit, as for any other fault. Synchronous timing:
//     only when nothing in flight can be delivered and a node the timer watches is down or cut
//     off (or, when no timer watches a failed node, any timer: lost messages), never early
//     (sim/check/check_spec.h, TimeoutModel);
//  4. recover any down node (restore from disk, on_recover);
//  5. within budget (CheckSpec): crash any up node; drop or duplicate any in-flight message (a
//     FIFO duplicate joins the tail of its link); start a partition when there is none (from
//     the scenario's list, or every two-way split); heal when there is one.
// Steps 1-4 run a handler: one successor per choice sequence of the handler, and, while the
// crash budget lasts, one per distinct crash in the middle of its effect list (the torn
// variants, see WorldRules::run_handler).
// Boundary: a step (but a duplicate) that leaves more than copies_max identical copies of a
// message on one link is not explored (CheckSpec).
//
// check(): the always-kind standard invariants on the whole ledger; the quiescent and final
// ones (AC4) when the world is quiescent (World::quiescent: nothing in flight, no timer, no
// pending request, every node up); then, when the fault budget is spent, blocking
// (sim/check/protocol_model_blocking.h). The first violated in standard_invariants() order.
//
// terminal_ok(): a world without successors is fine when nobody up is in doubt; when someone is,
// it is fine only if the blocking check covers it (it will be reported as "blocking", so it is
// not reported twice as a deadlock).
//
// The model owns copies of the scenario and the protocol, so it may outlive its arguments.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/check/check_spec.h"
#include "sim/check/model.h"
#include "sim/check/protocol_model_action.h"
#include "sim/check/protocol_model_apply.h"
#include "sim/check/protocol_model_blocking.h"
#include "sim/check/protocol_model_describe.h"
#include "sim/check/symmetry.h"
#include "sim/check/world.h"
#include "sim/invariant.h"
#include "sim/protocol.h"
#include "sim/scenario.h"

namespace txsim::check {

struct ProtocolModelOptions {
  bool check_blocking = true;  // off: check() reports invariant violations only
};

template <CheckableProtocol P>
class ProtocolModel {
 public:
  using State = World<P>;
  using Msg = typename P::Msg;

  ProtocolModel(Scenario sc, P protocol, CheckSpec spec, ProtocolModelOptions opt = {})
      : sc_(std::move(sc)),
        p_(std::move(protocol)),
        spec_(std::move(spec)),
        opt_(opt),
        cache_(std::make_unique<BlockingCache>()) {
    build_partitions();
    if constexpr (RenamesNodes<P>)
      if (spec_.symmetry) build_symmetry();
  }

  std::vector<State> initial_states() const {
    State w(sc_);
    for (NodeId n = 0; n < sc_.nodes.size(); ++n) {
      w.states.push_back(p_.init(n));
      w.disks.push_back(w.states.back().durable);
      w.up.push_back(1);
      w.timers.emplace_back();
    }
    for (TxId t = 0; t < sc_.transactions.size(); ++t) w.pending.push_back(t);
    std::vector<State> out;
    out.push_back(std::move(w));
    return out;
  }

  template <class Emit>
  void successors(const State& w, Emit&& emit) const {
    expand(w, true, emit);
  }
  // Submit, deliver and timer steps only, without crashes inside handlers.
  template <class Emit>
  void fault_free_successors(const State& w, Emit&& emit) const {
    expand(w, false, emit);
  }

  // Of the orbit's representative with `spec.symmetry` (sim/check/symmetry.h), else of w.
  std::uint64_t fingerprint(const State& w) const {
    return symmetry_.active() ? symmetry_.fingerprint(p_, w) : world_fingerprint(p_, w);
  }
  // The orbit's representative (w itself without symmetry); store_states mode compares these.
  State canonical(const State& w) const { return symmetry_.canonical(p_, w); }
  const WorldSymmetry<P>& symmetry() const { return symmetry_; }

  std::optional<Violation> check(const State& w) const {
    if (auto v = check_invariants(w)) return v;
    return check_blocking(w);
  }

  std::optional<Violation> check_invariants(const State& w) const {
    const bool settled = w.quiescent();
    for (const auto& inv : standard_invariants()) {
      if (inv->info().kind != InvariantKind::always && !settled) continue;
      if (auto detail = inv->check(sc_, w.ledger, true))
        return Violation{std::string(inv->info().id), std::move(*detail)};
    }
    return std::nullopt;
  }

  std::optional<Violation> check_blocking(const State& w) const {
    if (!opt_.check_blocking || !budget_spent(w)) return std::nullopt;
    return blocking_violation(*this, w, *cache_, spec_.liveness_depth, spec_.liveness_states_max);
  }

  bool terminal_ok(const State& w) const {
    return !first_in_doubt(w) || (opt_.check_blocking && budget_spent(w));
  }

  // No further fault can be injected (recovering and healing are always possible).
  bool budget_spent(const State& w) const {
    return w.spent.crashes >= spec_.crashes && w.spent.drops >= spec_.drops &&
           w.spent.duplicates >= spec_.duplicates &&
           (w.spent.partitions >= spec_.partitions || partitions_.empty());
  }

  // For the engine's memory estimate (sim/check/model_support.h): the heap a world owns, a
  // lower bound (what the protocol's states own inside themselves is not counted).
  std::size_t state_heap_bytes(const State& w) const {
    std::size_t bytes = w.states.capacity() * sizeof(typename P::State) +
                        w.disks.capacity() * sizeof(typename P::Durable) + w.up.capacity() +
                        w.timers.capacity() * sizeof(std::vector<TimerId>) +
                        w.inflight.capacity() * sizeof(Packet<P>) +
                        w.pending.capacity() * sizeof(TxId);
    for (const auto& t : w.timers) bytes += t.capacity() * sizeof(TimerId);
    // The ledger: eight bytes per (tx, node), three words per account, the participant lists.
    const std::size_t cells = sc_.transactions.size() * sc_.nodes.size();
    return bytes + cells * 8 + sc_.accounts.size() * 24 + sc_.transactions.size() * 40;
  }

  std::string describe_action(const State& w, const Action& act) const;
  std::string describe_state(const State& w) const { return printer().world(w); }

  const Scenario& scenario() const { return sc_; }
  const P& protocol() const { return p_; }
  const CheckSpec& spec() const { return spec_; }
  // The partitions a partition step may start, as applied (groups ordered by smallest node).
  const std::vector<FaultAction>& partitions() const { return partitions_; }

 private:
  WorldRules<P> rules() const { return WorldRules<P>(p_, sc_.network.fifo); }
  WorldPrinter<P> printer() const { return WorldPrinter<P>(sc_, p_); }

  void build_partitions();
  // The interchangeable nodes: the scenario's (symmetry_classes), minus any node a client
  // request goes to (the protocol singles it out), and minus pairs the protocol itself tells
  // apart (NarrowsSymmetry, sim/protocol.h).
  void build_symmetry() {
    auto alike = [this](NodeId a, NodeId b) {
      for (TxId t = 0; t < sc_.transactions.size(); ++t) {
        const NodeId target = p_.request_target(t);
        if (target == a || target == b) return false;
      }
      if constexpr (NarrowsSymmetry<P>) return p_.interchangeable(a, b);
      return true;
    };
    symmetry_ = WorldSymmetry<P>(sc_, symmetry_classes(sc_, alike));
  }
  // The synchronous timing model (TimeoutModel::synchronous).
  bool any_deliverable(const State& w) const;
  bool detects_failure(const State& w, NodeId n, TimerId t) const;
  bool any_timer_detects(const State& w) const;
  template <class Out>
  void expand(const State& w, bool faults, Out& out_raw) const;
  template <class Out>
  void expand_faults(const State& w, Out& out) const;
  // Runs the handler that `step` names on `base` (its event already consumed; may be moved
  // from, see WorldRules::run_handler).
  template <class Out>
  void run_step(State& base, NodeId n, const WorldStep& step, const Packet<P>* m, bool cuts,
                Out& out) const;

  Scenario sc_;
  P p_;
  CheckSpec spec_;
  ProtocolModelOptions opt_;
  std::vector<FaultAction> partitions_;
  WorldSymmetry<P> symmetry_;  // inactive unless spec.symmetry and P renames nodes
  std::unique_ptr<BlockingCache> cache_;  // shared by copies' threads; not part of the model
};

}  // namespace txsim::check

#include "sim/check/protocol_model_steps.h"  // NOLINT: the member templates' definitions
