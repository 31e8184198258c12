// SagaGraphView: one item per step, step edge, execution state and transition; a run's path.
#include "gui/saga_graph_view.h"

#include <gtest/gtest.h>

#include "protocols/scenario_files.h"

namespace txsim::gui {
namespace {

const QString kDiamond = QString(TXSIM_SOURCE_DIR) + "/scenarios/saga/parallel-branches.yaml";

TEST(SagaGraphView, ItemsMatchTheGraphs) {
  SagaGraphView v;
  QString error;
  ASSERT_TRUE(v.loadScenario(kDiamond, 0, &error)) << error.toStdString();
  ASSERT_NE(v.exploration(), nullptr);
  EXPECT_EQ(v.exploration()->states.size(), 22u);  // docs/protocols/saga.md
  EXPECT_EQ(v.stateItemCount(), 22u);
  EXPECT_EQ(v.edgeItemCount(), v.exploration()->edges.size());
  EXPECT_EQ(v.stepItemCount(), 4u);      // flight, hotel, car, charge
  EXPECT_EQ(v.stepEdgeItemCount(), 4u);  // the diamond
  EXPECT_EQ(v.highlightedEdgeCount(), 0u);
}

TEST(SagaGraphView, HighlightsTheRunsPath) {
  SagaGraphView v;
  ASSERT_TRUE(v.loadScenario(kDiamond));
  const std::string trace =
      R"({"format":"txsim-trace","version":1,"scenario":"saga-parallel-branches","file":"x",)"
      R"("protocol":"saga","seed":1,"nodes":[{"name":"O","role":"orchestrator"},)"
      R"({"name":"Airline","role":"service"},{"name":"Hotel","role":"service"},)"
      R"({"name":"Cars","role":"service"},{"name":"Bank","role":"service"}],)"
      R"("transactions":["trip1"],"accounts":[],"phases":["step-done","step-failed","compensated"]})" "\n"
      R"({"t":1,"ev":"observe","node":"Airline","what":"phase","tx":"trip1","phase":"step-done"})" "\n"
      R"({"t":2,"ev":"observe","node":"Hotel","what":"phase","tx":"trip1","phase":"step-done"})" "\n"
      R"({"t":3,"ev":"observe","node":"Cars","what":"phase","tx":"trip1","phase":"step-failed"})" "\n"
      R"({"t":4,"ev":"observe","node":"Hotel","what":"phase","tx":"trip1","phase":"compensated"})" "\n"
      R"({"t":5,"ev":"observe","node":"Airline","what":"phase","tx":"trip1","phase":"compensated"})" "\n"
      R"({"t":6,"ev":"end"})" "\n";
  auto doc = report::TraceDocument::parse(trace, "t.jsonl");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const report::SagaRunPath& p = v.highlightRun(*doc);
  EXPECT_EQ(p.edges.size(), 5u);
  EXPECT_TRUE(p.unmatched.empty());
  EXPECT_EQ(v.highlightedEdgeCount(), 5u);
  EXPECT_EQ(v.highlightedStateCount(), 6u);
  v.clearHighlight();
  EXPECT_EQ(v.highlightedEdgeCount(), 0u);
  EXPECT_EQ(v.highlightedStateCount(), 0u);
}

TEST(SagaGraphView, RefusesAScenarioWithoutSaga) {
  SagaGraphView v;
  QString error;
  EXPECT_FALSE(
      v.loadScenario(QString(TXSIM_SOURCE_DIR) + "/scenarios/two_phase/happy-path.yaml", 0, &error));
  EXPECT_TRUE(error.contains("no saga")) << error.toStdString();
  EXPECT_EQ(v.stateItemCount(), 0u);
}

}  // namespace
}  // namespace txsim::gui
