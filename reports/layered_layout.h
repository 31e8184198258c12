// A layered (Sugiyama-style) drawing of a DAG, for the GUI's saga views: the saga's step DAG
// and its execution graph (sim/saga_explore.h). Pure geometry, no Qt, so it is tested here.
//
// The classic three steps (Sugiyama, Tagawa and Toda, 1981), simplified:
//  1. layering by longest path: a vertex sits one layer below its deepest predecessor, computed
//     in a topological order from Boost.Graph's topological_sort (so every edge points down);
//  2. crossing reduction by barycentre sweeps: alternately top-down and bottom-up, each layer is
//     sorted by the mean position of its neighbours in the layer above (below); the ordering
//     with the fewest crossings seen is kept, and sweeps stop at sweeps_max or when a sweep
//     does not improve;
//  3. coordinates: y = layer x layer_gap, x = order x vertex_gap, each layer centred on x = 0.
// No dummy vertices are inserted for edges that skip layers: execution-graph edges never do
// (each raises the rank sum by exactly one) and step DAGs are small. Crossings counted are
// those between adjacent layers.
//
// Invariants: for every edge u -> v, layer(u) < layer(v); within a layer the orders are
// 0..n-1; the input must be acyclic (asserted).
#pragma once

#include <cstddef>
#include <vector>

namespace txsim::report {

struct LayoutOptions {
  double layer_gap = 80;
  double vertex_gap = 120;
  int sweeps_max = 12;
};

struct LayoutVertex {
  int layer = 0;
  int order = 0;  // position within its layer, left to right
  double x = 0, y = 0;
};

struct LayeredLayout {
  std::vector<LayoutVertex> vertices;        // indexed like the input
  std::vector<std::vector<std::size_t>> layers;  // vertices of each layer, left to right
  std::size_t crossings = 0;                 // of the final ordering
};

// successors[v]: the vertices v has an edge to.
LayeredLayout layered_layout(const std::vector<std::vector<std::size_t>>& successors,
                             const LayoutOptions& options = {});

// Crossings between adjacent layers of an ordering (for the layout and its tests).
std::size_t count_crossings(const std::vector<std::vector<std::size_t>>& successors,
                            const std::vector<std::vector<std::size_t>>& layers,
                            const std::vector<LayoutVertex>& vertices);

}  // namespace txsim::report
