// The execution graph of a saga: what `txsim saga-graph` enumerates.
//
// Its nodes are the consistent states of one saga instance (each step pending, done, failed,
// compensated after it was done, or compensated after it failed); its edges are step
// completions, step failures and compensations. Steps are atomic here (messages, crashes and
// retries are the simulator's and the checker's business): forward, any step whose `after`
// steps are done may complete, and a compensatable or pivot step may instead fail; after a
// failure no new step starts and every done step is compensated in reverse topological order
// (a step once all its done successors are compensated), the failed step first when
// `compensate_failed` is on. Retriable steps never fail for good (forward recovery).
//
// Invariants: every edge raises the sum of the step ranks (pending 0, done/failed 1,
// compensated 2) by one, so the graph is acyclic and breadth-first order is topological;
// state 0 is the initial state; the exploration stops at states_max states (truncated).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/saga_graph.h"
#include "sim/saga_spec.h"

namespace txsim {

enum class StepStatus : std::uint8_t { pending, done, failed, compensated, failed_compensated };

struct SagaExecEdge {
  enum class Kind : std::uint8_t { complete, fail, compensate };
  std::size_t from = 0, to = 0;
  Kind kind = Kind::complete;
  std::size_t step = 0;
};

struct SagaExploration {
  std::vector<std::vector<StepStatus>> states;  // state 0: every step pending
  std::vector<SagaExecEdge> edges;
  std::vector<std::size_t> terminals;           // states without an outgoing edge
  std::vector<std::size_t> unrecoverable;       // terminals that are not semantically atomic
  std::uint64_t paths = 0;                      // initial-to-terminal paths (saturating)
  std::size_t failure_points = 0;               // fail edges
  std::vector<std::size_t> shortest_bad_path;   // edge indexes to the nearest unrecoverable state
  bool truncated = false;
};

inline constexpr std::size_t kSagaStatesMax = 1'000'000;

SagaExploration explore_saga(const SagaDef& saga, const SagaGraph& graph, bool compensate_failed,
                             std::size_t states_max = kSagaStatesMax);

// A terminal state is semantically atomic when every step is done, or no step is left done
// (every completed step was compensated; a pivot or an uncompensatable step cannot be).
bool semantically_atomic(const std::vector<StepStatus>& state);
// "T2 fails", "T1 done", "compensate T1".
std::string describe_edge(const SagaDef& saga, const SagaExecEdge& edge);
// "T1 done, T2 failed, T3 pending".
std::string describe_state(const SagaDef& saga, const std::vector<StepStatus>& state);
// Every initial-to-terminal path as edge indexes, at most `paths_max` of them.
std::vector<std::vector<std::size_t>> saga_paths(const SagaExploration& x, std::size_t paths_max);
// Graphviz of the execution graph (Boost's write_graphviz); unrecoverable states in red.
void write_exec_dot(std::ostream& out, const SagaDef& saga, const SagaExploration& x);

}  // namespace txsim
