#include "gui/run_charts.h"

#include <QGridLayout>
#include <QMouseEvent>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "gui/chart_style.h"
#include "reports/histogram.h"  // nice_width

namespace txsim::gui {

namespace {

constexpr double kUsPerMs = 1000.0;
const char* const kTitles[4] = {"Phase of each node", "Messages in flight", "Locks held",
                                "Frozen funds"};

double max_value(const report::StepSeries& s) {
  double m = 0;
  for (const auto& p : s) m = std::max(m, double(p.value));
  return m;
}

double min_value(const report::StepSeries& s) {
  double m = 0;
  for (const auto& p : s) m = std::min(m, double(p.value));
  return m;
}

}  // namespace

RunChartsWidget::RunChartsWidget(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < 4; ++i) {
    views_[i] = new QChartView(make_chart(kTitles[i], 1.1), this);
    views_[i]->setRenderHint(QPainter::Antialiasing);
    views_[i]->setMinimumSize(260, 180);
    views_[i]->viewport()->installEventFilter(this);
    views_[i]->setToolTip(tr("Click to move the cursor to that time"));
  }
  grid->addWidget(views_[0], 0, 0, 1, 3);
  grid->addWidget(views_[1], 1, 0);
  grid->addWidget(views_[2], 1, 1);
  grid->addWidget(views_[3], 1, 2);
  grid->setRowStretch(0, 3);
  grid->setRowStretch(1, 2);
  rebuild();
}

void RunChartsWidget::setDocument(std::shared_ptr<const report::TraceDocument> doc) {
  doc_ = std::move(doc);
  series_ = doc_ ? report::run_series(*doc_) : report::RunSeries{};
  rebuild();
}

int RunChartsWidget::phaseRow(int phase) const {
  auto it = phase_rows_.find(phase);
  return it == phase_rows_.end() ? -1 : it->second;
}

// A step function as a polyline: each point, preceded by a riser from the previous value; the
// last value is held to the trace's end.
QLineSeries* RunChartsWidget::addStep(QChart* chart, const report::StepSeries& s,
                                      const QString& name, double y_offset) {
  auto* line = new QLineSeries;
  line->setName(name);
  QList<QPointF> pts;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double x = double(s[i].time_us) / kUsPerMs;
    if (i > 0) pts.append({x, double(s[i - 1].value) + y_offset});
    pts.append({x, double(s[i].value) + y_offset});
  }
  if (!s.empty())
    pts.append({double(std::max(series_.end_time_us, s.back().time_us)) / kUsPerMs,
                double(s.back().value) + y_offset});
  line->replace(pts);
  chart->addSeries(line);
  return line;
}

void RunChartsWidget::buildPhases() {
  QChart* chart = views_[0]->chart();
  phase_rows_.clear();
  for (const auto& t : series_.phase_tracks)
    for (const auto& p : t.phases) phase_rows_[int(p.value)] = 0;
  int row = 0;
  for (auto& [phase, r] : phase_rows_) r = row++;
  std::map<int, int> txs_per_node;
  for (const auto& t : series_.phase_tracks) ++txs_per_node[t.node];
  const int k_max = int(series_.phase_tracks.size());
  // Tracks share rows; a small vertical offset per track keeps overlapping lines apart.
  const double step = k_max > 1 ? std::min(0.5 / k_max, 0.08) : 0;
  for (int k = 0; k < k_max; ++k) {
    const auto& t = series_.phase_tracks[std::size_t(k)];
    report::StepSeries rows = t.phases;
    for (auto& p : rows) p.value = phase_rows_[int(p.value)];
    QString name = QString::fromUtf8(doc_->node_name(t.node));
    if (txs_per_node[t.node] > 1 || doc_->transactions().size() > 1)
      name += " / " + QString::fromUtf8(doc_->tx_name(t.tx));
    QLineSeries* s = addStep(chart, rows, name, (k - (k_max - 1) / 2.0) * step);
    QPen pen = s->pen();
    pen.setWidthF(2);
    s->setPen(pen);
    phase_series_.append(s);
  }
  auto* y = new QCategoryAxis;
  y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  for (const auto& [phase, r] : phase_rows_)
    y->append(QString::fromUtf8(doc_->phase_name(phase)), r);
  y->setRange(-0.5, std::max(0.5, row - 0.5));
  y->setGridLineVisible(true);
  chart->addAxis(y, Qt::AlignLeft);
  finishChart(0, -0.5, std::max(0.5, row - 0.5));
}

void RunChartsWidget::rebuild() {
  phase_series_.clear();
  frozen_.clear();
  messages_ = locks_ = nullptr;
  for (int i = 0; i < 4; ++i) {
    QChart* old = views_[i]->chart();
    views_[i]->setChart(make_chart(kTitles[i], 1.1));
    delete old;
    cursors_[i] = nullptr;
  }
  if (!doc_) {
    for (int i = 0; i < 4; ++i) finishChart(i, 0, 1);
    return;
  }
  buildPhases();
  messages_ = addStep(views_[1]->chart(), series_.messages_in_flight, tr("in flight"));
  finishChart(1, 0, max_value(series_.messages_in_flight) + 1);
  locks_ = addStep(views_[2]->chart(), series_.locks_held, tr("locks held"));
  finishChart(2, 0, max_value(series_.locks_held) + 1);
  frozen_.append(addStep(views_[3]->chart(), series_.frozen_total, tr("total")));
  frozen_.front()->setPen(QPen(QColor(40, 40, 40), 3));
  int accounts = 0;
  for (const auto& a : series_.frozen_by_account) accounts += a.empty() ? 0 : 1;
  for (std::size_t a = 0; a < series_.frozen_by_account.size() && accounts > 1; ++a)
    if (!series_.frozen_by_account[a].empty())
    {
      frozen_.append(addStep(views_[3]->chart(), series_.frozen_by_account[a],
                             QString::fromUtf8(doc_->account_name(std::int32_t(a)))));
      QPen pen = frozen_.back()->pen();  // the theme's colour, dashed: the total shows through
      pen.setWidthF(1.5);
      pen.setStyle(Qt::DashLine);
      frozen_.back()->setPen(pen);
    }
  const double hi = max_value(series_.frozen_total);
  finishChart(3, std::min(0.0, min_value(series_.frozen_total)), hi + std::max(1.0, hi * 0.1));
  views_[1]->chart()->legend()->hide();
  views_[2]->chart()->legend()->hide();
  if (frozen_.size() == 1) views_[3]->chart()->legend()->hide();
  views_[2]->setVisible(series_.has_locks);
  views_[3]->setVisible(series_.has_frozen);
}

// The time axis, a value axis for counters (the phase chart has its own), and the cursor.
void RunChartsWidget::finishChart(int index, double y_min, double y_max) {
  QChart* chart = views_[index]->chart();
  auto* x = new QValueAxis;
  x->setTitleText(tr("time (ms)"));
  x->setRange(0, std::max(1.0, double(series_.end_time_us) / kUsPerMs));
  x->setLabelFormat("%.4g");
  // Round ticks (1, 2 or 5 x 10^k microseconds) from 0, about five of them.
  x->setTickType(QValueAxis::TicksDynamic);
  x->setTickAnchor(0);
  x->setTickInterval(double(report::nice_width(std::max<std::int64_t>(1, series_.end_time_us / 5))) /
                     kUsPerMs);
  chart->addAxis(x, Qt::AlignBottom);
  QAbstractAxis* y = chart->axes(Qt::Vertical).isEmpty() ? nullptr : chart->axes(Qt::Vertical)[0];
  if (y == nullptr) {
    auto* v = new QValueAxis;
    v->setRange(y_min, y_max);
    v->setLabelFormat(index == 3 ? "%.0f" : "%d");
    v->setTickType(QValueAxis::TicksDynamic);
    v->setTickAnchor(0);
    v->setTickInterval(std::max(1.0, std::ceil((y_max - y_min) / 6)));
    chart->addAxis(v, Qt::AlignLeft);
    y = v;
  }
  cursors_[index] = new QLineSeries;
  cursors_[index]->setName(tr("cursor"));
  QPen pen(QColor(200, 30, 30));
  pen.setWidthF(1.5);
  pen.setStyle(Qt::DashLine);
  cursors_[index]->setPen(pen);
  chart->addSeries(cursors_[index]);
  for (QAbstractSeries* s : chart->series()) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  for (QLegendMarker* m : chart->legend()->markers(cursors_[index])) m->setVisible(false);
  cursors_[index]->setProperty("y_min", y_min);
  cursors_[index]->setProperty("y_max", y_max);
  setCursorTime(cursor_us_);
}

void RunChartsWidget::setCursorTime(qint64 micros) {
  cursor_us_ = micros;
  for (QLineSeries* c : cursors_) {
    if (c == nullptr) continue;
    if (micros < 0) {
      c->clear();
      continue;
    }
    const double x = double(micros) / kUsPerMs;
    c->replace(QList<QPointF>{{x, c->property("y_min").toDouble()},
                              {x, c->property("y_max").toDouble()}});
  }
}

bool RunChartsWidget::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::MouseButtonPress) return QWidget::eventFilter(watched, event);
  for (int i = 0; i < 4; ++i) {
    if (watched != views_[i]->viewport() || cursors_[i] == nullptr) continue;
    const auto* me = static_cast<QMouseEvent*>(event);
    QChart* chart = views_[i]->chart();
    const QPointF at = chart->mapFromScene(views_[i]->mapToScene(me->position().toPoint()));
    if (!chart->plotArea().contains(at)) return false;
    const double ms = chart->mapToValue(at, cursors_[i]).x();
    const auto micros = qint64(std::llround(std::max(0.0, ms) * kUsPerMs));
    setCursorTime(micros);
    Q_EMIT timeClicked(micros);
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace txsim::gui
