// RunChartsWidget: the series drawn for a known trace, the cursor, a click.
#include "gui/run_charts.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QMouseEvent>
#include <QtCharts/QChart>

namespace txsim::gui {
namespace {

const char* kTrace =
    R"({"format":"txsim-trace","version":1,"scenario":"s","file":"s.yaml","protocol":"tcc",)"
    R"("seed":1,"nodes":[{"name":"C","role":"coordinator"},{"name":"P1","role":"participant"}],)"
    R"("transactions":["t1"],"accounts":["P1.a"],"phases":["working","tried","confirmed"]})" "\n"
    R"({"t":0,"ev":"observe","node":"C","what":"phase","tx":"t1","phase":"working"})" "\n"
    R"({"t":0,"ev":"send","node":"C","to":"P1","id":1,"type":"Try","tx":"t1","msg":{}})" "\n"
    R"({"t":2000,"ev":"deliver","node":"P1","from":"C","id":1,"type":"Try","tx":"t1"})" "\n"
    R"({"t":2000,"ev":"observe","node":"P1","what":"freeze","tx":"t1","account":"P1.a","value":10})" "\n"
    R"({"t":2000,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"tried"})" "\n"
    R"({"t":2000,"ev":"send","node":"P1","to":"C","id":2,"type":"TryOk","tx":"t1","msg":{}})" "\n"
    R"({"t":4000,"ev":"deliver","node":"C","from":"P1","id":2,"type":"TryOk","tx":"t1"})" "\n"
    R"({"t":4000,"ev":"observe","node":"P1","what":"freeze","tx":"t1","account":"P1.a","value":-10})" "\n"
    R"({"t":4000,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"confirmed"})" "\n"
    R"({"t":5000,"ev":"end"})" "\n";

std::shared_ptr<const report::TraceDocument> doc() {
  auto d = report::TraceDocument::parse(kTrace, "t.jsonl");
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
  return std::make_shared<const report::TraceDocument>(std::move(*d));
}

TEST(RunCharts, DrawsEachSeriesAsAStepFunction) {
  RunChartsWidget w;
  w.setDocument(doc());
  ASSERT_EQ(w.phaseSeries().size(), 2);  // C and P1
  EXPECT_EQ(w.phaseSeries()[0]->name(), "C");
  // C: one phase point, held to the end: (0,working) (5ms,working).
  EXPECT_EQ(w.phaseSeries()[0]->count(), 2);
  // P1: tried at 2ms, confirmed at 4ms: point, riser, point, end = 4 points.
  const QLineSeries* p1 = w.phaseSeries()[1];
  ASSERT_EQ(p1->count(), 4);
  EXPECT_EQ(w.phaseRow(0), 0);  // working, tried, confirmed all seen: rows 0, 1, 2
  EXPECT_EQ(w.phaseRow(2), 2);
  EXPECT_NEAR(p1->at(0).x(), 2.0, 1e-9);
  EXPECT_NEAR(p1->at(3).x(), 5.0, 1e-9);
  EXPECT_NEAR(p1->at(3).y() - p1->at(0).y(), 1.0, 1e-9);  // tried -> confirmed: one row up
  // In flight: (0,1) (2,1)->(2,1)... Try out at 0, Try in + TryOk out at 2ms, TryOk in at 4ms.
  const report::StepSeries want = {{0, 1}, {4000, 0}};
  EXPECT_EQ(w.series().messages_in_flight, want);
  ASSERT_EQ(w.messagesSeries()->count(), 4);
  EXPECT_DOUBLE_EQ(w.messagesSeries()->at(1).y(), 1.0);
  EXPECT_DOUBLE_EQ(w.messagesSeries()->at(2).y(), 0.0);
  ASSERT_EQ(w.frozenSeries().size(), 1);  // one account: the total only
  EXPECT_DOUBLE_EQ(w.frozenSeries()[0]->at(2).y(), 10.0);  // (0,0) riser (2,0) (2,10)
  EXPECT_FALSE(w.locksView()->isVisibleTo(&w));  // no lock observations
  EXPECT_TRUE(w.frozenView()->isVisibleTo(&w));
}

TEST(RunCharts, CursorMovesOnEveryChartAndClicksReportTime) {
  RunChartsWidget w;
  w.resize(1000, 700);
  w.setDocument(doc());
  w.show();
  w.setCursorTime(3000);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(w.cursorSeries(i)->count(), 2) << i;
    EXPECT_DOUBLE_EQ(w.cursorSeries(i)->at(0).x(), 3.0);
    EXPECT_DOUBLE_EQ(w.cursorSeries(i)->at(1).x(), 3.0);
    EXPECT_LT(w.cursorSeries(i)->at(0).y(), w.cursorSeries(i)->at(1).y());
  }
  w.setCursorTime(4500);
  EXPECT_DOUBLE_EQ(w.cursorSeries(1)->at(0).x(), 4.5);
  w.setCursorTime(-1);
  EXPECT_EQ(w.cursorSeries(0)->count(), 0);

  std::vector<qint64> clicked;
  QObject::connect(&w, &RunChartsWidget::timeClicked, [&](qint64 us) { clicked.push_back(us); });
  QChart* chart = w.messagesView()->chart();
  const QPointF in_chart = chart->mapToPosition(QPointF(2.5, 0.5), w.cursorSeries(1));
  const QPoint at = w.messagesView()->mapFromScene(chart->mapToScene(in_chart));
  QMouseEvent press(QEvent::MouseButtonPress, at, w.messagesView()->viewport()->mapToGlobal(at),
                    Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(w.messagesView()->viewport(), &press);
  ASSERT_EQ(clicked.size(), 1u);
  EXPECT_NEAR(double(clicked[0]), 2500.0, 40.0);
  EXPECT_EQ(w.cursorTime(), clicked[0]);
}

}  // namespace
}  // namespace txsim::gui
