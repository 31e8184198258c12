// layered_layout(): longest-path layers, barycentre ordering, coordinates.
#include "reports/layered_layout.h"

#include <gtest/gtest.h>

namespace txsim::report {
namespace {

using Adj = std::vector<std::vector<std::size_t>>;

TEST(LayeredLayout, LongestPathLayering) {
  // 0 -> 1 -> 2 -> 3 and a shortcut 0 -> 3: 3 sits below 2, not below 0.
  const Adj g = {{1, 3}, {2}, {3}, {}};
  const LayeredLayout l = layered_layout(g);
  EXPECT_EQ(l.vertices[0].layer, 0);
  EXPECT_EQ(l.vertices[1].layer, 1);
  EXPECT_EQ(l.vertices[2].layer, 2);
  EXPECT_EQ(l.vertices[3].layer, 3);
  EXPECT_EQ(l.layers.size(), 4u);
  for (std::size_t u = 0; u < g.size(); ++u)
    for (std::size_t v : g[u]) EXPECT_LT(l.vertices[u].layer, l.vertices[v].layer);
}

TEST(LayeredLayout, BarycentreSweepsRemoveAvoidableCrossings) {
  // Two independent chains a0 -> a1 and b0 -> b1, given so that the input order crosses:
  // layer 0 = {0: a0, 1: b0}, layer 1 = {2: b1, 3: a1}.
  const Adj g = {{3}, {2}, {}, {}};
  LayeredLayout initial;
  initial.vertices = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  initial.layers = {{0, 1}, {2, 3}};
  EXPECT_EQ(count_crossings(g, initial.layers, initial.vertices), 1u);
  const LayeredLayout l = layered_layout(g);
  EXPECT_EQ(l.crossings, 0u);
  EXPECT_EQ(count_crossings(g, l.layers, l.vertices), 0u);
  EXPECT_EQ(l.vertices[0].order < l.vertices[1].order, l.vertices[3].order < l.vertices[2].order);
}

TEST(LayeredLayout, CoordinatesCentreEachLayer) {
  // A diamond 0 -> {1, 2} -> 3.
  const Adj g = {{1, 2}, {3}, {3}, {}};
  const LayeredLayout l = layered_layout(g, {100, 50, 12});
  EXPECT_DOUBLE_EQ(l.vertices[0].x, 0);
  EXPECT_DOUBLE_EQ(l.vertices[3].x, 0);
  EXPECT_DOUBLE_EQ(l.vertices[3].y, 200);
  EXPECT_DOUBLE_EQ(l.vertices[1].x + l.vertices[2].x, 0);
  EXPECT_DOUBLE_EQ(std::abs(l.vertices[1].x - l.vertices[2].x), 50);
  EXPECT_EQ(l.crossings, 0u);
}

TEST(LayeredLayout, EmptyAndIsolatedVertices) {
  EXPECT_TRUE(layered_layout({}).vertices.empty());
  const LayeredLayout l = layered_layout({{}, {}, {}});
  ASSERT_EQ(l.layers.size(), 1u);
  EXPECT_EQ(l.layers[0].size(), 3u);
  EXPECT_DOUBLE_EQ(l.vertices[0].x, -120);
}

}  // namespace
}  // namespace txsim::report
