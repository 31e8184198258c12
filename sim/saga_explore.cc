// The saga execution graph (see saga_explore.h): breadth-first enumeration of its states,
// path counting over the topological (breadth-first) order, and its Graphviz form.
#include "sim/saga_explore.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Graph's edge iterator (a
// boost::optional) once write_graphviz is inlined here: the warning is about Boost's code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <deque>
#include <limits>
#include <map>

namespace txsim {
namespace {

using State = std::vector<StepStatus>;

bool any_failed(const State& s) {
  return std::any_of(s.begin(), s.end(), [](StepStatus x) { return x == StepStatus::failed; });
}

// After a failure: a done step can be compensated once none of its successors still has to be.
bool may_compensate(const SagaDef& saga, const SagaGraph& g, const State& s, std::size_t i,
                    bool compensate_failed) {
  const SagaStep& st = saga.steps[i];
  if (s[i] == StepStatus::failed) return compensate_failed && st.compensable &&
                                         st.kind != SagaStepKind::pivot;
  if (s[i] != StepStatus::done || !st.compensable || st.kind == SagaStepKind::pivot) return false;
  for (std::size_t j : g.successors(i)) {
    if (s[j] == StepStatus::done) return false;
    if (s[j] == StepStatus::failed && compensate_failed && saga.steps[j].compensable &&
        saga.steps[j].kind != SagaStepKind::pivot)
      return false;
  }
  return true;
}

bool ready(const SagaGraph& g, const State& s, std::size_t i) {
  if (s[i] != StepStatus::pending) return false;
  for (std::size_t p : g.predecessors(i))
    if (s[p] != StepStatus::done) return false;
  return true;
}

// The edges leaving `s`, as (kind, step, next state).
std::vector<std::pair<SagaExecEdge, State>> moves(const SagaDef& saga, const SagaGraph& g,
                                                 const State& s, bool compensate_failed) {
  std::vector<std::pair<SagaExecEdge, State>> out;
  const bool backward = any_failed(s) ||
                        std::any_of(s.begin(), s.end(), [](StepStatus x) {
                          return x == StepStatus::failed_compensated;
                        });
  for (std::size_t i = 0; i < s.size(); ++i) {
    State next = s;
    if (!backward && ready(g, s, i)) {
      next[i] = StepStatus::done;
      out.push_back({{0, 0, SagaExecEdge::Kind::complete, i}, next});
      if (saga.steps[i].kind != SagaStepKind::retriable) {
        next[i] = StepStatus::failed;
        out.push_back({{0, 0, SagaExecEdge::Kind::fail, i}, next});
      }
    } else if (backward && may_compensate(saga, g, s, i, compensate_failed)) {
      next[i] = s[i] == StepStatus::failed ? StepStatus::failed_compensated
                                           : StepStatus::compensated;
      out.push_back({{0, 0, SagaExecEdge::Kind::compensate, i}, next});
    }
  }
  return out;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  return a > kMax - b ? kMax : a + b;
}

void count_paths(SagaExploration& x, const std::vector<std::vector<std::size_t>>& out_edges) {
  std::vector<std::uint64_t> from(x.states.size(), 0);  // paths from a state to a terminal
  for (std::size_t k = x.states.size(); k-- > 0;) {
    if (out_edges[k].empty()) from[k] = 1;
    for (std::size_t e : out_edges[k]) from[k] = saturating_add(from[k], from[x.edges[e].to]);
  }
  x.paths = x.states.empty() ? 0 : from[0];
}

}  // namespace

bool semantically_atomic(const std::vector<StepStatus>& s) {
  const bool all_done =
      std::all_of(s.begin(), s.end(), [](StepStatus x) { return x == StepStatus::done; });
  const bool none_done =
      std::none_of(s.begin(), s.end(), [](StepStatus x) { return x == StepStatus::done; });
  return all_done || none_done;
}

SagaExploration explore_saga(const SagaDef& saga, const SagaGraph& g, bool compensate_failed,
                             std::size_t states_max) {
  SagaExploration x;
  std::map<State, std::size_t> index;
  std::vector<std::vector<std::size_t>> out_edges;
  std::vector<std::size_t> parent_edge;  // first edge that discovered each state (BFS tree)
  x.states.push_back(State(saga.steps.size(), StepStatus::pending));
  index.emplace(x.states[0], 0);
  out_edges.emplace_back();
  parent_edge.push_back(SIZE_MAX);
  for (std::size_t k = 0; k < x.states.size(); ++k) {
    for (auto& [edge, next] : moves(saga, g, x.states[k], compensate_failed)) {
      auto [it, fresh] = index.emplace(next, x.states.size());
      if (fresh) {
        if (x.states.size() >= states_max) {
          x.truncated = true;
          index.erase(it);
          continue;
        }
        x.states.push_back(next);
        out_edges.emplace_back();
        parent_edge.push_back(x.edges.size());
      }
      edge.from = k;
      edge.to = it->second;
      if (edge.kind == SagaExecEdge::Kind::fail) ++x.failure_points;
      out_edges[k].push_back(x.edges.size());
      x.edges.push_back(edge);
    }
  }
  for (std::size_t k = 0; k < x.states.size(); ++k) {
    if (!out_edges[k].empty()) continue;
    x.terminals.push_back(k);
    if (!semantically_atomic(x.states[k])) x.unrecoverable.push_back(k);
  }
  if (!x.unrecoverable.empty()) {  // the first one found is the nearest: BFS order
    for (std::size_t k = x.unrecoverable.front(); parent_edge[k] != SIZE_MAX;
         k = x.edges[parent_edge[k]].from)
      x.shortest_bad_path.push_back(parent_edge[k]);
    std::reverse(x.shortest_bad_path.begin(), x.shortest_bad_path.end());
  }
  count_paths(x, out_edges);
  return x;
}

std::string describe_edge(const SagaDef& saga, const SagaExecEdge& e) {
  const std::string& name = saga.steps[e.step].name;
  switch (e.kind) {
    case SagaExecEdge::Kind::complete: return name + " done";
    case SagaExecEdge::Kind::fail: return name + " fails";
    case SagaExecEdge::Kind::compensate: return "compensate " + name;
  }
  return "?";
}

std::string describe_state(const SagaDef& saga, const std::vector<StepStatus>& s) {
  static constexpr const char* kNames[] = {"pending", "done", "failed", "compensated",
                                           "failed+compensated"};
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!out.empty()) out += ", ";
    out.append(saga.steps[i].name).append(" ").append(kNames[std::size_t(s[i])]);
  }
  return out;
}

std::vector<std::vector<std::size_t>> saga_paths(const SagaExploration& x, std::size_t paths_max) {
  std::vector<std::vector<std::size_t>> out_edges(x.states.size()), paths;
  for (std::size_t e = 0; e < x.edges.size(); ++e) out_edges[x.edges[e].from].push_back(e);
  std::vector<std::size_t> path;
  // Depth-first with an explicit stack of (state, next edge to try); depth <= 2 * steps.
  std::vector<std::pair<std::size_t, std::size_t>> stack;
  if (!x.states.empty()) stack.push_back({0, 0});
  while (!stack.empty() && paths.size() < paths_max) {
    auto& [k, next] = stack.back();
    if (out_edges[k].empty()) paths.push_back(path);
    if (next >= out_edges[k].size()) {
      stack.pop_back();
      if (!path.empty()) path.pop_back();
      continue;
    }
    const std::size_t e = out_edges[k][next++];
    path.push_back(e);
    stack.push_back({x.edges[e].to, 0});
  }
  return paths;
}

void write_exec_dot(std::ostream& out, const SagaDef& saga, const SagaExploration& x) {
  using Exec = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Exec g(x.states.size());
  for (const SagaExecEdge& e : x.edges) boost::add_edge(e.from, e.to, g);
  std::vector<char> bad(x.states.size(), 0);
  for (std::size_t k : x.unrecoverable) bad[k] = 1;
  auto vertex_label = [&](std::ostream& o, std::size_t v) {
    o << "[label=" << boost::escape_dot_string(describe_state(saga, x.states[v]))
      << (bad[v] ? ", color=red" : "") << "]";
  };
  std::map<std::pair<std::size_t, std::size_t>, std::string> labels;
  for (const SagaExecEdge& e : x.edges) labels[{e.from, e.to}] = describe_edge(saga, e);
  auto edge_label = [&](std::ostream& o, boost::graph_traits<Exec>::edge_descriptor e) {
    o << "[label="
      << boost::escape_dot_string(labels[{boost::source(e, g), boost::target(e, g)}]) << "]";
  };
  boost::write_graphviz(out, g, vertex_label, edge_label);
}

}  // namespace txsim
