// SagaGraph: a saga's steps as a directed graph (an edge a -> b: b runs after a), and the
// questions the loader, the protocol and `txsim saga-graph` ask of it.
//
// The graph type is ours (a boost::adjacency_list behind a pointer, so that only
// saga_graph.cc pays for Boost.Graph's headers); the algorithms are Boost's: topological_sort,
// depth_first_search (cycle detection with a back-edge visitor), breadth_first_search
// (reachability) and write_graphviz.
//
// Invariants: vertex i is step i of the SagaDef; the graph never changes after construction;
// reaches() and order() are only asked of an acyclic graph (cycle() empty).
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sim/saga_spec.h"

namespace txsim {

class SagaGraph {
 public:
  explicit SagaGraph(const SagaDef& saga);
  ~SagaGraph();
  SagaGraph(SagaGraph&&) noexcept;
  SagaGraph& operator=(SagaGraph&&) noexcept;

  std::size_t size() const { return steps_; }
  // A cycle as steps s0 -> s1 -> ... -> s0 (s0 listed once), or empty when the graph is a DAG.
  std::vector<std::size_t> cycle() const;
  // Steps in a topological order (Boost's topological_sort; ties by its DFS order).
  const std::vector<std::size_t>& order() const { return order_; }
  // A path of `after` edges leads from a to b (a != b).
  bool reaches(std::size_t a, std::size_t b) const { return reach_[a * steps_ + b] != 0; }
  const std::vector<std::size_t>& successors(std::size_t a) const { return succ_[a]; }
  const std::vector<std::size_t>& predecessors(std::size_t b) const { return pred_[b]; }
  // Graphviz of the step DAG (Boost's write_graphviz), steps labelled "name (kind)".
  void write_dot(std::ostream& out, const SagaDef& saga) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t steps_ = 0;
  std::vector<std::size_t> order_;
  std::vector<char> reach_;
  std::vector<std::vector<std::size_t>> succ_, pred_;
};

// A broken rule of a saga definition: which step, and the sentence for a student.
struct SagaProblem {
  std::size_t step = 0;
  std::string message;
};

// The structural rules of docs/protocols/saga.md (cycles first; the others need a DAG):
// a compensatable step must have a compensation and run before every pivot; a step without a
// compensation must be a pivot or retriable; no two pivots on one path.
std::vector<SagaProblem> saga_problems(const SagaDef& saga, const SagaGraph& graph);

}  // namespace txsim
