// SagaGraph over boost::adjacency_list, and the structural rules of a saga definition.
#include "sim/saga_graph.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Graph's edge iterator (a
// boost::optional) once write_graphviz is inlined here: the warning is about Boost's code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>

namespace txsim {

using StepDag = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<StepDag>::vertex_descriptor;
using Edge = boost::graph_traits<StepDag>::edge_descriptor;

struct SagaGraph::Impl {
  StepDag g;
};

namespace {

// Records the first back edge a depth-first search meets, and the DFS tree to rebuild the cycle.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  Edge* back;
  bool* found;
  void tree_edge(Edge e, const StepDag& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Edge e, const StepDag&) const {
    if (!*found) {
      *back = e;
      *found = true;
    }
  }
};

// Marks every vertex a breadth-first search from one source discovers.
struct ReachMarker : boost::default_bfs_visitor {
  char* row;
  void discover_vertex(Vertex v, const StepDag&) const { row[v] = 1; }
};

}  // namespace

SagaGraph::SagaGraph(const SagaDef& saga)
    : impl_(std::make_unique<Impl>()), steps_(saga.steps.size()) {
  impl_->g = StepDag(steps_);
  succ_.resize(steps_);
  pred_.resize(steps_);
  for (std::size_t b = 0; b < steps_; ++b) {
    for (std::size_t a : saga.steps[b].after) {
      boost::add_edge(a, b, impl_->g);
      succ_[a].push_back(b);
      pred_[b].push_back(a);
    }
  }
  if (!cycle().empty()) return;
  std::vector<Vertex> reversed;
  boost::topological_sort(impl_->g, std::back_inserter(reversed));
  order_.assign(reversed.rbegin(), reversed.rend());
  reach_.assign(steps_ * steps_, 0);
  for (std::size_t a = 0; a < steps_; ++a) {
    ReachMarker m;
    m.row = &reach_[a * steps_];
    boost::breadth_first_search(impl_->g, a, boost::visitor(m));
    reach_[a * steps_ + a] = 0;  // a step does not run after itself
  }
}

SagaGraph::~SagaGraph() = default;
SagaGraph::SagaGraph(SagaGraph&&) noexcept = default;
SagaGraph& SagaGraph::operator=(SagaGraph&&) noexcept = default;

std::vector<std::size_t> SagaGraph::cycle() const {
  std::vector<Vertex> parent(steps_);
  for (std::size_t v = 0; v < steps_; ++v) parent[v] = v;
  Edge back;
  bool found = false;
  CycleFinder f;
  f.parent = &parent;
  f.back = &back;
  f.found = &found;
  boost::depth_first_search(impl_->g, boost::visitor(f));
  if (!found) return {};
  // back = u -> v with v an ancestor of u in the DFS tree: the cycle is v .. u, then v again.
  const Vertex u = boost::source(back, impl_->g), v = boost::target(back, impl_->g);
  std::vector<std::size_t> path{u};
  for (Vertex w = u; w != v && parent[w] != w; w = parent[w]) path.push_back(parent[w]);
  std::reverse(path.begin(), path.end());
  return path;
}

void SagaGraph::write_dot(std::ostream& out, const SagaDef& saga) const {
  auto label = [&](std::ostream& o, Vertex v) {
    std::string text = saga.steps[v].name;
    text.append(" (").append(to_string(saga.steps[v].kind)).append(")");
    o << "[label=" << boost::escape_dot_string(text) << "]";
  };
  boost::write_graphviz(out, impl_->g, label);
}

std::string_view to_string(SagaStepKind kind) {
  switch (kind) {
    case SagaStepKind::compensatable: return "compensatable";
    case SagaStepKind::pivot: return "pivot";
    case SagaStepKind::retriable: return "retriable";
  }
  return "?";
}

namespace {

std::string quoted(const std::string& name) {
  std::string out("'");
  out += name;
  out += '\'';
  return out;
}

void pivot_problems(const SagaDef& saga, const SagaGraph& g, std::size_t p,
                    std::vector<SagaProblem>& out) {
  for (std::size_t s = 0; s < saga.steps.size(); ++s) {
    const SagaStep& step = saga.steps[s];
    if (s == p) continue;
    if (step.kind == SagaStepKind::pivot && g.reaches(p, s)) {
      out.push_back({s, "step " + quoted(step.name) + " is a second pivot on a path after pivot " +
                            quoted(saga.steps[p].name) +
                            ": once the first pivot has run the saga can only go forward, so "
                            "the second one must not be able to fail; make it retriable"});
    }
    if (step.kind == SagaStepKind::compensatable && !g.reaches(s, p)) {
      out.push_back({s, "compensatable step " + quoted(step.name) +
                            " can run after the pivot " + quoted(saga.steps[p].name) +
                            " (it is not ordered before it): if it failed there, the pivot "
                            "could not be undone; order it before the pivot (list it, "
                            "or a step after it, in the pivot's after:) or make it retriable"});
    }
  }
}

}  // namespace

std::vector<SagaProblem> saga_problems(const SagaDef& saga, const SagaGraph& g) {
  std::vector<SagaProblem> out;
  if (const auto c = g.cycle(); !c.empty()) {
    std::string path;
    for (std::size_t s : c) path.append(saga.steps[s].name).append(" -> ");
    path.append(saga.steps[c.front()].name);
    out.push_back({c.front(), "the steps' after: lists form a cycle (" + path +
                                  "): no step of it can ever start; a saga's steps must form a "
                                  "DAG"});
    return out;
  }
  for (std::size_t s = 0; s < saga.steps.size(); ++s) {
    const SagaStep& step = saga.steps[s];
    if (!step.compensable && step.kind == SagaStepKind::compensatable) {
      out.push_back({s, "step " + quoted(step.name) +
                            " has no compensation but is compensatable: a step that cannot be "
                            "undone must be the pivot (the point of no return) or retriable "
                            "(it runs after the pivot and never fails for good)"});
    }
  }
  for (std::size_t p = 0; p < saga.steps.size(); ++p) {
    if (saga.steps[p].kind == SagaStepKind::pivot) pivot_problems(saga, g, p, out);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SagaProblem& a, const SagaProblem& b) { return a.step < b.step; });
  return out;
}

}  // namespace txsim
