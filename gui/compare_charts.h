// CompareChartsWidget: protocols side by side over a sweep (docs/gui.md) - histograms of
// decision latency and of time in doubt, outcomes per transaction, and invariant violations,
// one bar set (one colour) per protocol.
//
// Why histograms and not just the percentiles `txsim sweep` prints: two protocols with the same
// p50 can differ in shape - 3PC's extra round shifts the whole latency mass right, a blocking
// 2PC coordinator crash shows as a separate far bump of long in-doubt times.
// The numbers come from report::CompareSummary (reports/sweep_summary.h), filled by
// report::sweep_protocols(); bins come from report::histogram(), shared by all protocols so the
// bars of one bin line up.
//
// Invariants: every chart has one QBarSet per protocol, in the summary's order, with the same
// colour in all four charts; a histogram's categories are its bins.
#pragma once

#include <QWidget>
#include <QtCharts/QBarSeries>
#include <QtCharts/QChartView>

#include "reports/histogram.h"
#include "reports/sweep_summary.h"

namespace txsim::gui {

class CompareChartsWidget : public QWidget {
  Q_OBJECT

 public:
  static constexpr std::size_t kBinsMax = 12;

  explicit CompareChartsWidget(QWidget* parent = nullptr);

  void setSummary(const report::CompareSummary& summary);
  const report::CompareSummary& summary() const { return summary_; }

  // Charts in the order drawn: latency, in doubt, outcomes, violations.
  QChartView* latencyView() const { return views_[0]; }
  QChartView* inDoubtView() const { return views_[1]; }
  QChartView* outcomesView() const { return views_[2]; }
  QChartView* violationsView() const { return views_[3]; }
  QList<QChartView*> chartViews() const { return {views_[0], views_[1], views_[2], views_[3]}; }
  QBarSeries* barSeries(int chart) const { return bars_[chart]; }
  // The bins of the two histograms (for tests and tooltips).
  const report::Histogram& latencyBins() const { return latency_bins_; }
  const report::Histogram& inDoubtBins() const { return in_doubt_bins_; }

 private:
  void rebuild();
  void histogramChart(int index, const report::Histogram& h, const QString& x_title);
  void categoryChart(int index, const QStringList& categories,
                     const std::vector<std::vector<double>>& values);  // [protocol][category]
  void finish(int index, const QStringList& categories, const QString& x_title, double y_max);

  report::CompareSummary summary_;
  report::Histogram latency_bins_, in_doubt_bins_;
  QChartView* views_[4] = {};
  QBarSeries* bars_[4] = {};
};

}  // namespace txsim::gui
