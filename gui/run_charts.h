// RunChartsWidget: one run's quantities over time as Qt Charts (docs/gui.md) - each
// node's phase, messages in flight, locks held, frozen funds - beside the timeline, with a
// vertical cursor linked to the timeline's and a click that moves it.
//
// Why charts next to a timeline: the timeline shows each message; the charts show what they add
// up to (a burst of retries, locks held across a partition, money frozen by a hanging Try).
// The numbers come from report::run_series() over the TraceDocument, the same document the
// timeline and table read; this file only draws them.
//
// Invariants: every series is drawn as a step function (a riser at each change, the last value
// held to the trace's end); each chart has exactly one cursor series (two points, at the cursor
// time, spanning the chart's y range) that is not in the legend; x is in milliseconds.
#pragma once

#include <QList>
#include <QWidget>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <map>
#include <memory>

#include "reports/run_series.h"
#include "reports/trace_document.h"

namespace txsim::gui {

class RunChartsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit RunChartsWidget(QWidget* parent = nullptr);

  void setDocument(std::shared_ptr<const report::TraceDocument> doc);
  const report::RunSeries& series() const { return series_; }

  // The four charts, in the order drawn: phases, messages in flight, locks, frozen funds. Locks
  // and frozen funds are hidden when the run has no lock / freeze observation.
  QChartView* phaseView() const { return views_[0]; }
  QChartView* messagesView() const { return views_[1]; }
  QChartView* locksView() const { return views_[2]; }
  QChartView* frozenView() const { return views_[3]; }
  QList<QChartView*> chartViews() const { return {views_[0], views_[1], views_[2], views_[3]}; }

  // Series for tests: one per PhaseTrack (same order), the counters, the frozen total (first)
  // and per-account lines; the cursor line of chart i (0..3).
  const QList<QLineSeries*>& phaseSeries() const { return phase_series_; }
  QLineSeries* messagesSeries() const { return messages_; }
  QLineSeries* locksSeries() const { return locks_; }
  const QList<QLineSeries*>& frozenSeries() const { return frozen_; }
  QLineSeries* cursorSeries(int chart) const { return cursors_[chart]; }
  // The y row of a phase index in the phase chart (phases seen in the run, in header order).
  int phaseRow(int phase) const;
  qint64 cursorTime() const { return cursor_us_; }

 public Q_SLOTS:
  // Moves the cursor of every chart to `micros` (negative: hides it).
  void setCursorTime(qint64 micros);

 Q_SIGNALS:
  // The user clicked inside a chart's plot area at this time.
  void timeClicked(qint64 micros);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void rebuild();
  void buildPhases();
  QLineSeries* addStep(QChart* chart, const report::StepSeries& s, const QString& name,
                       double y_offset = 0);
  void finishChart(int index, double y_min, double y_max);

  std::shared_ptr<const report::TraceDocument> doc_;
  report::RunSeries series_;
  QChartView* views_[4] = {};
  QLineSeries* cursors_[4] = {};
  QList<QLineSeries*> phase_series_, frozen_;
  QLineSeries* messages_ = nullptr;
  QLineSeries* locks_ = nullptr;
  std::map<int, int> phase_rows_;  // phase index -> row
  qint64 cursor_us_ = -1;
};

}  // namespace txsim::gui
