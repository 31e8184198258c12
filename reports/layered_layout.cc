#include "reports/layered_layout.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>

#include "sim/assert.h"

namespace txsim::report {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Longest-path layering over a topological order (Boost returns it reversed).
std::vector<int> longest_path_layers(const std::vector<std::vector<std::size_t>>& succ) {
  Graph g(succ.size());
  for (std::size_t u = 0; u < succ.size(); ++u)
    for (std::size_t v : succ[u]) {
      TXSIM_ASSERT(v < succ.size() && v != u);
      boost::add_edge(u, v, g);
    }
  std::vector<std::size_t> reversed;
  boost::topological_sort(g, std::back_inserter(reversed));  // throws not_a_dag on a cycle
  std::vector<int> layer(succ.size(), 0);
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
    for (std::size_t v : succ[*it]) layer[v] = std::max(layer[v], layer[*it] + 1);
  return layer;
}

void renumber(const std::vector<std::vector<std::size_t>>& layers, std::vector<LayoutVertex>& vs) {
  for (const auto& l : layers)
    for (std::size_t i = 0; i < l.size(); ++i) vs[l[i]].order = int(i);
}

// Sorts one layer by the barycentre of its neighbours' orders; a vertex with no neighbour
// keeps its own position as its key, so it does not drift.
void sort_by_barycentre(std::vector<std::size_t>& layer,
                        const std::vector<std::vector<std::size_t>>& neighbours,
                        std::vector<LayoutVertex>& vs) {
  std::vector<std::pair<double, std::size_t>> keyed;
  for (std::size_t v : layer) {
    double sum = 0;
    for (std::size_t n : neighbours[v]) sum += vs[n].order;
    const double key = neighbours[v].empty() ? vs[v].order : sum / double(neighbours[v].size());
    keyed.emplace_back(key, v);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < layer.size(); ++i) {
    layer[i] = keyed[i].second;
    vs[layer[i]].order = int(i);
  }
}

// Neighbours in the adjacent layer only (the barycentre of a layer-skipping edge is noise).
std::vector<std::vector<std::size_t>> adjacent(const std::vector<std::vector<std::size_t>>& succ,
                                               const std::vector<LayoutVertex>& vs, bool up) {
  std::vector<std::vector<std::size_t>> out(succ.size());
  for (std::size_t u = 0; u < succ.size(); ++u)
    for (std::size_t v : succ[u]) {
      if (vs[v].layer != vs[u].layer + 1) continue;
      if (up) out[v].push_back(u);
      else out[u].push_back(v);
    }
  return out;
}

}  // namespace

std::size_t count_crossings(const std::vector<std::vector<std::size_t>>& succ,
                            const std::vector<std::vector<std::size_t>>& layers,
                            const std::vector<LayoutVertex>& vs) {
  std::vector<std::vector<std::pair<int, int>>> between(layers.size());
  for (std::size_t u = 0; u < succ.size(); ++u)
    for (std::size_t v : succ[u])
      if (vs[v].layer == vs[u].layer + 1) between[vs[u].layer].emplace_back(vs[u].order, vs[v].order);
  std::size_t crossings = 0;
  for (const auto& edges : between)
    for (std::size_t i = 0; i < edges.size(); ++i)
      for (std::size_t j = i + 1; j < edges.size(); ++j) {
        const auto [a1, b1] = edges[i];
        const auto [a2, b2] = edges[j];
        if ((a1 < a2 && b1 > b2) || (a1 > a2 && b1 < b2)) ++crossings;
      }
  return crossings;
}

LayeredLayout layered_layout(const std::vector<std::vector<std::size_t>>& succ,
                             const LayoutOptions& opt) {
  LayeredLayout out;
  out.vertices.resize(succ.size());
  if (succ.empty()) return out;
  const std::vector<int> layer = longest_path_layers(succ);
  out.layers.resize(std::size_t(*std::max_element(layer.begin(), layer.end())) + 1);
  for (std::size_t v = 0; v < succ.size(); ++v) {
    out.vertices[v].layer = layer[v];
    out.layers[std::size_t(layer[v])].push_back(v);  // start in input order
  }
  renumber(out.layers, out.vertices);
  const auto preds = adjacent(succ, out.vertices, true);
  const auto nexts = adjacent(succ, out.vertices, false);
  auto best_layers = out.layers;
  std::size_t best = count_crossings(succ, out.layers, out.vertices);
  // Stop after two sweeps in a row (one each way) that did not improve: barycentres settled.
  for (int sweep = 0, stale = 0; sweep < opt.sweeps_max && best > 0 && stale < 2; ++sweep) {
    if (sweep % 2 == 0)
      for (std::size_t l = 1; l < out.layers.size(); ++l)
        sort_by_barycentre(out.layers[l], preds, out.vertices);
    else
      for (std::size_t l = out.layers.size() - 1; l-- > 0;)
        sort_by_barycentre(out.layers[l], nexts, out.vertices);
    const std::size_t now = count_crossings(succ, out.layers, out.vertices);
    stale = now < best ? 0 : stale + 1;
    if (now < best) {
      best = now;
      best_layers = out.layers;
    }
  }
  out.layers = std::move(best_layers);
  renumber(out.layers, out.vertices);
  out.crossings = best;
  for (auto& v : out.vertices) {
    const double width = double(out.layers[std::size_t(v.layer)].size());
    v.x = (v.order - (width - 1) / 2) * opt.vertex_gap;
    v.y = v.layer * opt.layer_gap;
  }
  return out;
}

}  // namespace txsim::report
