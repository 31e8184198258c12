// The look every txsim chart shares (run charts, comparison charts): a bold title, the legend
// below, no animation (charts are redrawn on every cursor move and in headless screenshots),
// narrow margins so four charts fit a window.
#pragma once

#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace txsim::gui {

// A new chart with `title`, its font scaled by `title_scale`; the caller owns it (or hands it
// to a QChartView, which then does).
QChart* make_chart(const QString& title, double title_scale = 1.0);

}  // namespace txsim::gui
