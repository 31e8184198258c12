// CompareChartsWidget: one bar set per protocol in every chart, histogram bins, counts.
#include "gui/compare_charts.h"

#include <gtest/gtest.h>

#include <QtCharts/QBarSet>

namespace txsim::gui {
namespace {

report::CompareSummary summary() {
  report::CompareSummary s;
  s.scenario = "cmp";
  report::ProtocolSweep a;
  a.protocol = "two_phase";
  a.runs = 5;
  a.decision_latency_us = {6000, 6100, 6200, 6300, 19000};
  a.in_doubt_us = {4000, 4000, 30000};
  a.committed = 4;
  a.undecided = 1;
  a.violations["nothing-in-doubt"] = 1;
  report::ProtocolSweep b = a;
  b.protocol = "three_phase";
  b.decision_latency_us = {10000, 10500, 11000, 11000, 12000};
  b.in_doubt_us = {};
  b.committed = 5;
  b.undecided = 0;
  b.violations.clear();
  s.protocols = {a, b};
  return s;
}

TEST(CompareCharts, OneBarSetPerProtocolInEveryChart) {
  CompareChartsWidget w;
  w.setSummary(summary());
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(w.barSeries(i)->count(), 2) << i;
    EXPECT_EQ(w.barSeries(i)->barSets()[0]->label(), "two_phase");
    EXPECT_EQ(w.barSeries(i)->barSets()[1]->label(), "three_phase");
    // The same protocol has the same colour everywhere (the theme's order).
    EXPECT_EQ(w.barSeries(i)->barSets()[1]->color(), w.barSeries(0)->barSets()[1]->color());
  }
}

TEST(CompareCharts, HistogramsShareBinsAndCountEverySample) {
  CompareChartsWidget w;
  w.setSummary(summary());
  const report::Histogram& h = w.latencyBins();
  ASSERT_GT(h.bins(), 1u);
  EXPECT_LE(h.bins(), CompareChartsWidget::kBinsMax);
  for (int k = 0; k < 2; ++k) {
    const QBarSet* set = w.barSeries(0)->barSets()[k];
    ASSERT_EQ(std::size_t(set->count()), h.bins());
    EXPECT_DOUBLE_EQ(set->sum(), 5.0);
  }
  EXPECT_DOUBLE_EQ(w.barSeries(1)->barSets()[0]->sum(), 3.0);  // in doubt: 2PC only
  EXPECT_DOUBLE_EQ(w.barSeries(1)->barSets()[1]->sum(), 0.0);
}

TEST(CompareCharts, OutcomesAndViolations) {
  CompareChartsWidget w;
  w.setSummary(summary());
  const QBarSet* twopc = w.barSeries(2)->barSets()[0];
  ASSERT_EQ(twopc->count(), 3);  // committed, aborted, undecided (no mixed)
  EXPECT_DOUBLE_EQ(twopc->at(0), 4.0);
  EXPECT_DOUBLE_EQ(twopc->at(2), 1.0);
  EXPECT_DOUBLE_EQ(w.barSeries(2)->barSets()[1]->at(0), 5.0);
  ASSERT_EQ(w.barSeries(3)->barSets()[0]->count(), 1);  // one invariant broken anywhere
  EXPECT_DOUBLE_EQ(w.barSeries(3)->barSets()[0]->at(0), 1.0);
  EXPECT_DOUBLE_EQ(w.barSeries(3)->barSets()[1]->at(0), 0.0);
}

TEST(CompareCharts, EmptySummaryDrawsEmptyCharts) {
  CompareChartsWidget w;
  w.setSummary({});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(w.barSeries(i)->count(), 0);
  EXPECT_EQ(w.latencyBins().bins(), 0u);
}

}  // namespace
}  // namespace txsim::gui
