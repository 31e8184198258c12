// Dfs<M>: depth-first search on one thread, for state spaces whose BFS frontier would not fit
// in memory. Memory beyond the visited set grows with the depth (one frame per state on the
// current path, holding that state's successors), not with the width of the state space.
//
// The current path is the stack itself, so a counterexample needs no trace store; it is a
// path to the bad state, not necessarily a shortest one (use BFS for that).
//
// Bounds: a state at depth depth_max is checked but not expanded, and the search then ends
// `incomplete` (depth_max) unless it finds a violation: with a depth bound, a state first met
// deep on one path is not revisited when a shorter path reaches it, so parts of the space
// within the bound may be missed. states_max, memory and the stop flag end it like BFS.
// Counts follow the same rules as BFS (every emitted successor is generated; distinct states
// are fingerprints); depth is the longest path explored.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/check/check_options.h"
#include "sim/check/check_result.h"
#include "sim/check/model.h"
#include "sim/check/model_support.h"
#include "sim/check/monitor.h"
#include "sim/check/visited.h"

namespace txsim::check {

template <Model M>
class Dfs {
 public:
  using State = typename M::State;

  Dfs(const M& model, const CheckOptions& options)
      : model_(model),
        options_(options),
        depth_max_(std::max<std::uint64_t>(1, options.depth_max)),
        monitor_(options),
        visited_(Visited<State>::for_model(model, options.store_states)) {}

  CheckResult<M> run() {
    std::vector<State> initial = model_.initial_states();
    generated_ = initial.size();
    for (State& state : initial) {
      if (stop_ != StopReason::none) break;
      if (!visit(Action{}, std::move(state)) || !search()) return std::move(result_);
    }
    return finish(stop_ != StopReason::none ? Verdict::incomplete : Verdict::ok);
  }

 private:
  static constexpr std::uint64_t kPollPeriod = 64;  // successors between two polls

  struct Frame {
    State state;
    Action via;  // the action that led here (unused for an initial state)
    std::vector<Successor<State>> successors;
    std::size_t next = 0;
  };

  // Explores from the frame on top of the stack until the stack is empty. False when the
  // search is over (result_ is set).
  bool search() {
    while (!stack_.empty()) {
      if (stop_ != StopReason::none) return end(Verdict::incomplete, nullptr);
      Frame& top = stack_.back();
      if (top.next == top.successors.size()) {
        pop();
        continue;
      }
      Successor<State>& successor = top.successors[top.next++];
      if (!visit(successor.action, std::move(successor.state))) return false;
      if (++polls_ % kPollPeriod == 0) poll();
    }
    return true;
  }

  // A state reached by `via` from the top of the stack (or an initial state): if new, check
  // it and push it, expanded. False when the search is over. `via` and `state` may live in
  // the top frame: they are used before the push, which may move the frames.
  bool visit(const Action& via, State&& state) {
    if (!visited_.insert(model_.fingerprint(state), state)) return true;
    if (visited_.size() >= options_.states_max) stop_ = StopReason::states_max;
    push(via, std::move(state));
    Frame& top = stack_.back();
    if (std::optional<Violation> violation = model_.check(top.state)) {
      return end(Verdict::violation, &*violation);
    }
    if (stack_.size() >= depth_max_) {
      cut_ = true;
      top.next = top.successors.size();
      return true;
    }
    collect_successors(model_, top.state, top.successors);
    generated_ += top.successors.size();
    stack_bytes_ += top.successors.capacity() * sizeof(Successor<State>);
    if (top.successors.empty() && !model_.terminal_ok(top.state)) {
      return end(Verdict::blocking, nullptr);
    }
    return true;
  }

  void push(const Action& via, State&& state) {
    stack_bytes_ += state_bytes(model_, state) + sizeof(Frame);
    stack_.push_back(Frame{std::move(state), via, {}, 0});
    depth_ = std::max<std::uint64_t>(depth_, stack_.size());
  }

  void pop() {
    const Frame& top = stack_.back();
    stack_bytes_ -= state_bytes(model_, top.state) + sizeof(Frame) +
                    top.successors.capacity() * sizeof(Successor<State>);
    stack_.pop_back();
  }

  void poll() {
    std::uint64_t frontier = 0;
    const StopReason reason = monitor_.poll(memory_estimate(), visited_.bytes_soon(), [&] {
      for (const Frame& frame : stack_) frontier += frame.successors.size() - frame.next;
      return Progress{.distinct_states = visited_.size(),
                      .states_generated = generated_,
                      .frontier = frontier,
                      .depth = depth_};
    });
    if (reason != StopReason::none && stop_ == StopReason::none) stop_ = reason;
  }

  std::uint64_t memory_estimate() const { return visited_.bytes() + stack_bytes_; }

  // Ends the search with a verdict; for violation and blocking, the stack is the path.
  bool end(Verdict verdict, const Violation* violation) {
    result_ = finish(verdict);
    if (violation != nullptr) result_.violation = *violation;
    if (verdict == Verdict::violation || verdict == Verdict::blocking) {
      Counterexample<State> path{stack_.front().state, {}};
      for (std::size_t i = 1; i < stack_.size(); ++i) {
        path.steps.push_back(Step<State>{stack_[i].via, stack_[i].state});
      }
      result_.depth = path.states();
      result_.counterexample = std::move(path);
    }
    return false;
  }

  CheckResult<M> finish(Verdict verdict) {
    monitor_.note_memory(memory_estimate());
    if (verdict == Verdict::ok && cut_) {
      verdict = Verdict::incomplete;
      stop_ = StopReason::depth_max;
    }
    CheckResult<M> result;
    result.strategy = Strategy::dfs;
    result.verdict = verdict;
    if (verdict == Verdict::incomplete) result.stop_reason = stop_;
    result.distinct_states = visited_.size();
    result.states_generated = generated_;
    result.depth = depth_;
    for (const Frame& frame : stack_) result.frontier_left += frame.successors.size() - frame.next;
    result.seconds = monitor_.seconds();
    result.peak_memory_bytes = monitor_.peak_memory();
    result.store_states = options_.store_states;
    result.collision_probability =
        options_.store_states ? 0 : collision_probability(visited_.size(), generated_);
    return result;
  }

  const M& model_;
  const CheckOptions& options_;
  const std::uint64_t depth_max_;
  Monitor monitor_;
  Visited<State> visited_;
  std::vector<Frame> stack_;
  CheckResult<M> result_;
  StopReason stop_ = StopReason::none;
  bool cut_ = false;  // a state at depth_max was left unexpanded
  std::uint64_t generated_ = 0;
  std::uint64_t depth_ = 0;
  std::uint64_t stack_bytes_ = 0;
  std::uint64_t polls_ = 0;
};

}  // namespace txsim::check
