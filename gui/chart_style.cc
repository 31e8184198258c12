#include "gui/chart_style.h"

#include <QChart>
#include <QFont>
#include <QLegend>

namespace txsim::gui {

QChart* make_chart(const QString& title, double title_scale) {
  auto* chart = new QChart;
  chart->setTitle(title);
  QFont f = chart->titleFont();
  f.setBold(true);
  if (title_scale != 1.0) f.setPointSizeF(f.pointSizeF() * title_scale);
  chart->setTitleFont(f);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  return chart;
}

}  // namespace txsim::gui
