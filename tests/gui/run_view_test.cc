// RunView keeps table, timeline cursor, inspector and playback on one event.
#include "gui/run_view.h"

#include <gtest/gtest.h>

#include <QTableView>
#include <QTreeWidget>

#include "gui/event_filter_model.h"
#include "gui/playback_bar.h"
#include "gui/state_inspector.h"
#include "gui/timeline_widget.h"
#include "tests/reports/timeline_sample_trace.h"

namespace txsim::gui {
namespace {

std::shared_ptr<const report::TraceDocument> parse(const std::string& text) {
  auto doc = report::TraceDocument::parse(text, "t.jsonl");
  EXPECT_TRUE(doc) << doc.error().message;
  return std::make_shared<const report::TraceDocument>(std::move(doc.value()));
}

TEST(RunView, SelectingATableRowMovesTheTimelineCursor) {
  RunView view;
  view.resize(1200, 800);
  view.setDocument(parse(report::testing::kSampleTrace));
  std::vector<qint64> cursor;
  QObject::connect(&view, &RunView::cursorTimeChanged, [&](qint64 t) { cursor.push_back(t); });
  view.table()->selectRow(13);
  EXPECT_EQ(view.currentEvent(), 13);
  EXPECT_EQ(view.timeline()->cursorEvent(), 13);
  EXPECT_EQ(view.timeline()->cursorTime(), 3500);
  ASSERT_EQ(cursor.size(), 1u);
  EXPECT_EQ(cursor[0], 3500);
  EXPECT_EQ(view.playback()->position(), 13);
  EXPECT_TRUE(view.inspector()->showsHint());  // the sample has no states
  // And back: the timeline selects, the table follows.
  Q_EMIT view.timeline()->eventSelected(20);
  EXPECT_EQ(view.table()->currentIndex().row(), 20);
}

TEST(RunView, StepsForwardAndBackThroughTheFilteredRows) {
  RunView view;
  view.setDocument(parse(report::testing::kSampleTrace));
  view.filterModel()->set_kinds(EventFilterModel::kind_bit(report::EventKind::send));
  view.playback()->setCount(view.filterModel()->rowCount());
  view.selectEvent(2);  // the first send
  view.playback()->stepForward();
  EXPECT_EQ(view.currentEvent(), 3);
  view.playback()->stepForward();
  view.playback()->stepForward();
  EXPECT_EQ(view.currentEvent(), 7);  // P1's Vote, the next send
  EXPECT_EQ(view.timeline()->cursorTime(), 1000);
  view.playback()->stepBack();
  EXPECT_EQ(view.currentEvent(), 4);
  view.setCursorTime(5500);  // the last event at or before 5.5 ms is P2's Query send
  EXPECT_EQ(view.currentEvent(), 17);
}

TEST(RunView, InspectorShowsStatesAndHighlightsChanges) {
  const std::string header =
      R"({"format":"txsim-trace","version":1,"scenario":"s","file":"s.yaml","protocol":"two_phase",)"
      R"("seed":1,"nodes":[{"name":"P1","role":"participant"}],"transactions":["t1"],)"
      R"("accounts":["P1.a"],"phases":["working","prepared"]})";
  const std::string events =
      R"({"t":0,"ev":"state","node":"P1","state":{"durable":{"log":[],"balances":{"P1.a":100}},"volatile":{"locks":{}}}})"
      "\n"
      R"({"t":5,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"prepared"})"
      "\n"
      R"({"t":5,"ev":"state","node":"P1","state":{"durable":{"log":[{"tx":"t1","status":"prepared"}],"balances":{"P1.a":100}},"volatile":{"locks":{"P1.a":"t1"}}}})"
      "\n";
  RunView view;
  view.setDocument(parse(header + "\n" + events));
  view.selectEvent(1);
  StateInspector* inspector = view.inspector();
  EXPECT_FALSE(inspector->showsHint());
  EXPECT_EQ(inspector->beforeEvent(), 0);
  EXPECT_EQ(inspector->afterEvent(), 2);
  EXPECT_TRUE(inspector->changedPaths().contains("durable/log/0/status"));
  EXPECT_TRUE(inspector->changedPaths().contains("volatile/locks/P1.a"));
  EXPECT_FALSE(inspector->changedPaths().contains("durable/balances/P1.a"));
  EXPECT_EQ(inspector->afterTree()->topLevelItemCount(), 2);
}

}  // namespace
}  // namespace txsim::gui
