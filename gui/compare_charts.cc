#include "gui/compare_charts.h"

#include <QGridLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <set>

#include "gui/chart_style.h"
#include "sim/types.h"

namespace txsim::gui {

namespace {

const char* const kTitles[4] = {"Decision latency (submit -> every participant knows)",
                                "Time in doubt (per participant and transaction)",
                                "Outcomes per transaction", "Runs breaking each invariant"};

// One colour per protocol, the same in all four charts (Okabe-Ito: safe for colour blindness).
QColor protocol_color(std::size_t k) {
  static const QColor kColors[] = {{0, 114, 178}, {230, 159, 0},  {0, 158, 115},
                                   {204, 121, 167}, {86, 180, 233}, {213, 94, 0},
                                   {240, 228, 66}, {0, 0, 0}};
  return kColors[k % (sizeof kColors / sizeof kColors[0])];
}

QString duration(std::int64_t us) { return QString::fromStdString(format_duration(us)); }

}  // namespace

CompareChartsWidget::CompareChartsWidget(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < 4; ++i) {
    views_[i] = new QChartView(make_chart(kTitles[i]), this);
    views_[i]->setRenderHint(QPainter::Antialiasing);
    views_[i]->setMinimumSize(300, 220);
    grid->addWidget(views_[i], i / 2, i % 2);
  }
  rebuild();
}

void CompareChartsWidget::setSummary(const report::CompareSummary& summary) {
  summary_ = summary;
  rebuild();
}

void CompareChartsWidget::rebuild() {
  for (int i = 0; i < 4; ++i) {
    QChart* old = views_[i]->chart();
    views_[i]->setChart(make_chart(kTitles[i]));
    delete old;
    bars_[i] = new QBarSeries;
    views_[i]->chart()->addSeries(bars_[i]);
  }
  std::vector<std::vector<std::int64_t>> latency, doubt;
  for (const auto& p : summary_.protocols) {
    latency.push_back(p.decision_latency_us);
    doubt.push_back(p.in_doubt_us);
  }
  latency_bins_ = report::histogram(latency, kBinsMax);
  in_doubt_bins_ = report::histogram(doubt, kBinsMax);
  histogramChart(0, latency_bins_, tr("decision latency"));
  histogramChart(1, in_doubt_bins_, tr("time in doubt"));

  std::vector<std::vector<double>> outcomes;
  bool any_mixed = false;
  for (const auto& p : summary_.protocols) any_mixed |= p.mixed > 0;
  QStringList outcome_names = {tr("committed"), tr("aborted"), tr("undecided")};
  if (any_mixed) outcome_names << tr("mixed (AC1 broken)");
  for (const auto& p : summary_.protocols) {
    outcomes.push_back({double(p.committed), double(p.aborted), double(p.undecided)});
    if (any_mixed) outcomes.back().push_back(double(p.mixed));
  }
  categoryChart(2, outcome_names, outcomes);

  std::set<std::string> ids;
  for (const auto& p : summary_.protocols)
    for (const auto& [id, runs] : p.violations) ids.insert(id);
  QStringList id_names;
  for (const auto& id : ids) id_names << QString::fromStdString(id);
  std::vector<std::vector<double>> broken;
  for (const auto& p : summary_.protocols) {
    broken.emplace_back();
    for (const auto& id : ids) {
      auto it = p.violations.find(id);
      broken.back().push_back(it == p.violations.end() ? 0 : double(it->second));
    }
  }
  if (ids.empty()) views_[3]->chart()->setTitle(QString(kTitles[3]) + tr(": none broken"));
  categoryChart(3, id_names.isEmpty() ? QStringList{tr("none")} : id_names, broken);
}

void CompareChartsWidget::histogramChart(int index, const report::Histogram& h,
                                         const QString& x_title) {
  // Bin starts as bare numbers in one unit (the width's), so a dozen labels fit the axis: the
  // origin is a multiple of the width, so they are whole numbers.
  const std::int64_t unit = h.width >= 1'000'000 ? 1'000'000 : h.width >= 1000 ? 1000 : 1;
  const QString unit_name = unit == 1'000'000 ? "s" : unit == 1000 ? "ms" : "us";
  QStringList bins;
  for (std::size_t b = 0; b < h.bins(); ++b) bins << QString::number(h.lower(b) / unit);
  std::vector<std::vector<double>> counts;
  for (const auto& series : h.counts) {
    counts.emplace_back(series.begin(), series.end());
  }
  QString title = x_title;
  if (h.bins() > 0)
    title += tr(" (%1, bin start; each bin %2 wide)").arg(unit_name, duration(h.width));
  double y_max = 0;
  for (const auto& c : counts)
    for (double v : c) y_max = std::max(y_max, v);
  for (std::size_t k = 0; k < summary_.protocols.size(); ++k) {
    auto* set = new QBarSet(QString::fromStdString(summary_.protocols[k].protocol));
    set->setColor(protocol_color(k));
    set->setBorderColor(protocol_color(k).darker(130));
    for (double v : counts[k]) set->append(v);
    bars_[index]->append(set);
  }
  finish(index, bins.isEmpty() ? QStringList{tr("no samples")} : bins, title, y_max);
}

void CompareChartsWidget::categoryChart(int index, const QStringList& categories,
                                        const std::vector<std::vector<double>>& values) {
  double y_max = 0;
  for (std::size_t k = 0; k < summary_.protocols.size(); ++k) {
    auto* set = new QBarSet(QString::fromStdString(summary_.protocols[k].protocol));
    set->setColor(protocol_color(k));
    set->setBorderColor(protocol_color(k).darker(130));
    for (double v : values[k]) {
      set->append(v);
      y_max = std::max(y_max, v);
    }
    bars_[index]->append(set);
  }
  finish(index, categories, QString(), y_max);
}

void CompareChartsWidget::finish(int index, const QStringList& categories, const QString& x_title,
                                 double y_max) {
  QChart* chart = views_[index]->chart();
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  x->setTitleText(x_title);
  chart->addAxis(x, Qt::AlignBottom);
  bars_[index]->attachAxis(x);
  auto* y = new QValueAxis;
  y->setRange(0, std::max(1.0, y_max * 1.1));
  y->setLabelFormat("%d");
  y->setTickType(QValueAxis::TicksDynamic);
  y->setTickAnchor(0);
  y->setTickInterval(double(report::nice_width(std::int64_t(std::ceil(y_max / 5)))));
  y->setTitleText(index == 3 ? tr("runs") : index == 2 ? tr("transactions") : tr("count"));
  chart->addAxis(y, Qt::AlignLeft);
  bars_[index]->attachAxis(y);
  bars_[index]->setBarWidth(0.85);
}

}  // namespace txsim::gui
