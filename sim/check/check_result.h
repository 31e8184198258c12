// CheckResult: what a search found and what it covered.
//
// CheckStats holds everything but the states, so the CLI, reports and benchmarks can print a
// summary without knowing the model; CheckResult<M> adds the counterexample.
//
// Counts follow TLC: states_generated is the number of initial states plus every successor
// emitted (duplicates and self-loops included); distinct_states is the number of distinct
// fingerprints (of distinct states with store_states); depth is the number of BFS levels, the
// initial states being level 1 (TLC's "depth of the complete state graph search"), or for DFS
// and random walk the longest path explored. With a counterexample, depth is its length.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/check_options.h"
#include "sim/check/model.h"

namespace txsim::check {

enum class Verdict {
  ok,          // every reachable state (within the bounds given) explored, nothing wrong
  violation,   // an invariant failed: `violation` says which, the counterexample ends there
  blocking,    // a state without successors where terminal_ok() is false (deadlock)
  incomplete,  // a limit or the stop flag ended the search first: see stop_reason
};

enum class StopReason { none, states_max, depth_max, memory_max, stopped };

const char* verdict_name(Verdict verdict);
const char* stop_reason_name(StopReason reason);

// TLC's optimistic estimate of the probability that two distinct states shared a fingerprint
// (and so one was never explored): n * (g - n) / 2^64 for n distinct, g generated.
double collision_probability(std::uint64_t distinct, std::uint64_t generated);

struct CheckStats {
  Strategy strategy = Strategy::bfs;
  Verdict verdict = Verdict::ok;
  StopReason stop_reason = StopReason::none;
  std::optional<Violation> violation;  // set when verdict == violation
  std::uint64_t distinct_states = 0;
  std::uint64_t states_generated = 0;
  std::uint64_t depth = 0;
  std::uint64_t frontier_left = 0;  // discovered, never expanded (TLC's "left on queue")
  unsigned threads = 1;
  double seconds = 0;
  std::uint64_t peak_memory_bytes = 0;  // the estimate described in CheckOptions
  double collision_probability = 0;     // 0 with store_states
  bool store_states = false;
};

// TLC-style lines: verdict, counts, depth, collision probability, time and memory.
std::string format_summary(const CheckStats& stats);

template <class State>
struct Step {
  Action action;
  State state;  // the state after the action
};

// A path from an initial state: initial, then each action and the state it leads to.
template <class State>
struct Counterexample {
  State initial;
  std::vector<Step<State>> steps;

  std::size_t states() const { return steps.size() + 1; }
  const State& last() const { return steps.empty() ? initial : steps.back().state; }
};

template <Model M>
struct CheckResult : CheckStats {
  using State = typename M::State;
  // Set for the verdicts violation and blocking.
  std::optional<Counterexample<State>> counterexample;
};

}  // namespace txsim::check
