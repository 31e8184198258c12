// QPainter drawing of a timeline (see timeline_painter.h). Back to front: partition tints, axis,
// lanes and phase segments, crash spans, arrows, marks, cursor, legend and lane names.
#include "gui/timeline_painter.h"

#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "reports/phase_palette.h"

namespace txsim::gui {
namespace {

using report::Arrow;
using report::ArrowEnd;
using report::Mark;
using report::MarkKind;

QColor qcolor(report::Rgb c, int alpha = 255) { return QColor(c.r, c.g, c.b, alpha); }
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

void arrow_head(QPainter& p, QPointF from, QPointF to, const QColor& color, bool open) {
  const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
  const double size = 8;
  const QPointF a = to - QPointF(size * std::cos(angle - 0.4), size * std::sin(angle - 0.4));
  const QPointF b = to - QPointF(size * std::cos(angle + 0.4), size * std::sin(angle + 0.4));
  if (open) {
    p.setPen(QPen(color, 1.3));
    p.drawLine(a, to);
    p.drawLine(b, to);
    return;
  }
  QPainterPath head;
  head.moveTo(to);
  head.lineTo(a);
  head.lineTo(b);
  head.closeSubpath();
  p.fillPath(head, color);
}

double distance_to_segment(QPointF p, QPointF a, QPointF b) {
  const QPointF ab = b - a;
  const double length2 = QPointF::dotProduct(ab, ab);
  const double t = length2 == 0 ? 0 : std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0);
  const QPointF d = p - (a + t * ab);
  return std::sqrt(QPointF::dotProduct(d, d));
}

}  // namespace

int TimelineViewport::lane_at(double y_px, std::size_t lane_count) const {
  const double lane = std::floor((y_px + scroll_y_px - kAxisPx) / kLaneHeightPx);
  return lane >= 0 && lane < static_cast<double>(lane_count) ? static_cast<int>(lane) : -1;
}

void TimelineViewport::fit(std::int64_t end_us) {
  begin_us = 0;
  // A little air on the right so the last marks are not cut by the edge.
  us_per_px = std::max(static_cast<double>(std::max<std::int64_t>(end_us, 1)) * 1.03 /
                           plot_width_px(), 1e-3);
}

void TimelinePainter::paint(QPainter& p, const TimelineViewport& view,
                            std::int64_t cursor_us) const {
  shapes_ = 0;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.fillRect(QRect(0, 0, view.width_px, view.height_px), Qt::white);
  p.setClipRect(QRect(TimelineViewport::kGutterPx, 0, view.plot_width_px(), view.height_px));
  paint_partitions(p, view);
  paint_axis(p, view);
  paint_lanes(p, view);
  paint_crashes(p, view);
  paint_arrows(p, view);
  paint_marks(p, view);
  paint_cursor(p, view, cursor_us);
  p.setClipping(false);
  // Lane names on a white gutter, drawn last so nothing scrolls over them.
  p.fillRect(QRect(0, 0, TimelineViewport::kGutterPx, view.height_px), Qt::white);
  QFont bold = p.font();
  bold.setBold(true);
  bold.setPointSizeF(10.5);
  p.setFont(bold);
  p.setPen(Qt::black);
  for (std::size_t lane = 0; lane < layout_.lane_count(); ++lane) {
    const double y = view.y_of_lane(static_cast<int>(lane));
    p.drawText(QRectF(6, y - 16, TimelineViewport::kGutterPx - 10, 18), Qt::AlignLeft,
               QString::fromStdString(layout_.lanes()[lane].name));
    QFont small = bold;
    small.setBold(false);
    small.setPointSizeF(7.5);
    p.setFont(small);
    p.setPen(Qt::darkGray);
    p.drawText(QRectF(6, y + 1, TimelineViewport::kGutterPx - 10, 14), Qt::AlignLeft,
               QString::fromStdString(layout_.lanes()[lane].role));
    p.setFont(bold);
    p.setPen(Qt::black);
  }
  paint_legend(p, view);
  p.restore();
}

void TimelinePainter::paint_axis(QPainter& p, const TimelineViewport& view) const {
  const double span = view.end_us() - view.begin_us;
  double tick = std::pow(10.0, std::floor(std::log10(std::max(span / 8, 1e-3))));
  if (span / tick > 16) tick *= 2;
  if (span / tick > 16) tick *= 2.5;
  const double lanes_bottom = view.y_of_lane(static_cast<int>(layout_.lane_count())) -
                              TimelineViewport::kLaneHeightPx / 2.0;
  QFont font = p.font();
  font.setPointSizeF(8);
  p.setFont(font);
  for (double t = std::ceil(view.begin_us / tick) * tick; t <= view.end_us(); t += tick) {
    const double x = view.x_of(t);
    p.setPen(QPen(QColor(235, 235, 235), 1));
    p.drawLine(QPointF(x, TimelineViewport::kAxisPx), QPointF(x, lanes_bottom));
    p.setPen(QPen(QColor(120, 120, 120), 1));
    p.drawLine(QPointF(x, TimelineViewport::kAxisPx - 6), QPointF(x, TimelineViewport::kAxisPx));
    const int decimals = tick >= 1000 ? 0 : tick >= 100 ? 1 : tick >= 10 ? 2 : 3;
    p.drawText(QPointF(x + 2, TimelineViewport::kAxisPx - 9),
               QString::number(t / 1000.0, 'f', decimals) + " ms");
  }
}

void TimelinePainter::paint_partitions(QPainter& p, const TimelineViewport& view) const {
  for (const report::PartitionBand& band : layout_.partitions()) {
    if (band.end_us < view.begin_us || band.begin_us > view.end_us()) continue;
    const double x0 = std::max(view.x_of(band.begin_us), 0.0);
    const double x1 = std::min(view.x_of(band.end_us), static_cast<double>(view.width_px));
    for (std::size_t lane = 0; lane < layout_.lane_count() && lane < band.side.size(); ++lane) {
      if (band.side[lane] < 0) continue;
      const auto& sides = report::mark_colors::kPartitionSides;
      const double y = view.y_of_lane(static_cast<int>(lane)) - TimelineViewport::kLaneHeightPx / 2.0;
      p.fillRect(QRectF(x0, y, std::max(x1 - x0, 1.0), TimelineViewport::kLaneHeightPx),
                 qcolor(sides[band.side[lane] % sides.size()]));
    }
    QFont font = p.font();
    font.setPointSizeF(8);
    p.setFont(font);
    p.setPen(QColor(80, 80, 120));
    p.drawText(QPointF(x0 + 3, TimelineViewport::kAxisPx + 11),
               "partition " + QString::fromStdString(band.detail));
    ++shapes_;
  }
}

void TimelinePainter::paint_lanes(QPainter& p, const TimelineViewport& view) const {
  const auto t0 = static_cast<std::int64_t>(view.begin_us);
  const auto t1 = static_cast<std::int64_t>(std::ceil(view.end_us()));
  const auto step = std::max<std::int64_t>(static_cast<std::int64_t>(view.us_per_px * 2), 1);
  QFont font = p.font();
  font.setPointSizeF(8);
  p.setFont(font);
  for (std::size_t lane = 0; lane < layout_.lane_count(); ++lane) {
    const double y = view.y_of_lane(static_cast<int>(lane));
    if (y < -TimelineViewport::kLaneHeightPx || y > view.height_px + TimelineViewport::kLaneHeightPx)
      continue;
    p.setPen(QPen(qcolor(report::mark_colors::kLane), 1));
    p.drawLine(QPointF(TimelineViewport::kGutterPx, y), QPointF(view.width_px, y));
    for (const report::PhaseSegment& s : layout_.sampled_segments(lane, t0, t1, step)) {
      const std::string_view phase = doc_.phase_name(s.phase);
      const report::PhaseColors colors = report::phase_colors(phase);
      const double x0 = std::max(view.x_of(s.begin_us), TimelineViewport::kGutterPx - 2.0);
      // A phase entered when the run ended still gets a visible stub past the end.
      const double end_px = s.end_us >= layout_.end_time() ? view.x_of(s.end_us) + 10
                                                            : view.x_of(s.end_us);
      const double x1 = std::min(end_px, view.width_px + 2.0);
      const QRectF body(x0, y - 7, std::max(x1 - x0, 1.0), 14);
      p.setPen(QPen(qcolor(colors.stroke), 0.6));
      p.setBrush(qcolor(colors.fill));
      p.drawRect(body);
      ++shapes_;
      const QString name = qstr(phase);
      if (body.width() > p.fontMetrics().horizontalAdvance(name) + 8) {
        p.setPen(qcolor(colors.stroke));
        p.drawText(body.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, name);
      }
    }
  }
  p.setBrush(Qt::NoBrush);
}

void TimelinePainter::paint_crashes(QPainter& p, const TimelineViewport& view) const {
  for (const report::CrashSpan& c : layout_.crashes()) {
    if (c.end_us < view.begin_us || c.begin_us > view.end_us()) continue;
    const double y = view.y_of_lane(c.lane);
    const double x0 = view.x_of(c.begin_us), x1 = std::max(view.x_of(c.end_us), x0 + 2);
    p.fillRect(QRectF(x0, y - 11, x1 - x0, 22), qcolor(report::mark_colors::kCrash, 150));
    p.setPen(QPen(QColor(60, 60, 60), 2));
    p.drawLine(QPointF(x0, y - 13), QPointF(x0, y + 13));
    p.setPen(QColor(50, 50, 50));
    p.drawText(QPointF(x0 + 3, y - 14), c.recover_event < 0 ? "crashed" : "crashed (recovers)");
    ++shapes_;
  }
}

QPointF TimelinePainter::arrow_end_point(const TimelineViewport& view, const Arrow& a) const {
  const double y0 = view.y_of_lane(a.from_lane), y1 = view.y_of_lane(a.to_lane);
  const double reach = a.end == ArrowEnd::dropped ? 0.75 : a.end == ArrowEnd::in_flight ? 0.5 : 1.0;
  return {view.x_of(a.end_us), y0 + (y1 - y0) * reach};
}

void TimelinePainter::paint_arrows(QPainter& p, const TimelineViewport& view) const {
  const auto t0 = static_cast<std::int64_t>(view.begin_us);
  const auto t1 = static_cast<std::int64_t>(std::ceil(view.end_us()));
  if (layout_.count_arrows_in(t0, t1) > kArrowsDrawn_max) {
    paint_bundles(p, view);
    return;
  }
  QFont font = p.font();
  font.setPointSizeF(7.5);
  p.setFont(font);
  for (std::int32_t i : layout_.arrows_in(t0, t1)) paint_arrow(p, view, layout_.arrows()[i]);
}

void TimelinePainter::paint_arrow(QPainter& p, const TimelineViewport& view, const Arrow& a) const {
  const QPointF from = view.point(a.send_us, a.from_lane);
  const QPointF to = arrow_end_point(view, a);
  QColor color = qcolor(report::mark_colors::kArrow);
  QPen pen(color, 1.2);
  if (a.end == ArrowEnd::duplicate) {
    color = qcolor(report::mark_colors::kDuplicate);
    pen = QPen(color, 1.2, Qt::DashLine);
  } else if (a.end == ArrowEnd::in_flight) {
    pen = QPen(color, 1.2, Qt::DotLine);
  }
  p.setPen(pen);
  p.drawLine(from, to);
  ++shapes_;
  if (a.end == ArrowEnd::dropped) {
    p.setPen(QPen(qcolor(report::mark_colors::kDrop), 2.5));
    p.drawLine(to + QPointF(-5, -5), to + QPointF(5, 5));
    p.drawLine(to + QPointF(-5, 5), to + QPointF(5, -5));
  } else {
    arrow_head(p, from, to, color, a.end == ArrowEnd::in_flight);
  }
  const QPointF d = to - from;
  if (std::hypot(d.x(), d.y()) > 90) {
    const std::string_view type = doc_.label(doc_.messages()[a.message].label);
    p.setPen(QColor(50, 50, 60));
    p.drawText((from + to) / 2 + QPointF(4, -3), qstr(type));
  }
}

void TimelinePainter::paint_bundles(QPainter& p, const TimelineViewport& view) const {
  const auto t0 = static_cast<std::int64_t>(view.begin_us);
  const auto t1 = static_cast<std::int64_t>(std::ceil(view.end_us()));
  const int columns = std::max(view.plot_width_px() / 4, 1);
  const double column_px = static_cast<double>(view.plot_width_px()) / columns;
  for (const report::ArrowBucket& b : layout_.arrow_buckets(t0, t1, columns)) {
    const double x0 = TimelineViewport::kGutterPx + (b.column + 0.5) * column_px;
    const double x1 = x0 + b.mean_duration_us / view.us_per_px;
    const bool mostly_lost = b.dropped * 2 > b.count;
    const QColor color = qcolor(mostly_lost ? report::mark_colors::kDrop : report::mark_colors::kArrow, 90);
    p.setPen(QPen(color, 0.5 + std::log2(1.0 + b.count)));
    p.drawLine(QPointF(x0, view.y_of_lane(b.from_lane)), QPointF(x1, view.y_of_lane(b.to_lane)));
    ++shapes_;
  }
}

void TimelinePainter::paint_marks(QPainter& p, const TimelineViewport& view) const {
  const auto t0 = static_cast<std::int64_t>(view.begin_us);
  const auto t1 = static_cast<std::int64_t>(std::ceil(view.end_us()));
  const auto step = std::max<std::int64_t>(static_cast<std::int64_t>(view.us_per_px * 3), 1);
  violation_label_left_ = -1e9;
  violation_row_ = 0;
  for (const Mark& m : layout_.sampled_marks(t0, t1, step)) {
    const double x = view.x_of(m.time_us);
    const double y = m.lane < 0 ? TimelineViewport::kAxisPx + 8.0 : view.y_of_lane(m.lane);
    ++shapes_;
    if (m.kind == MarkKind::timer) {
      const QColor c = qcolor(report::mark_colors::kTimer);
      p.setPen(QPen(c, 1.5));
      p.drawLine(QPointF(x, y - 11), QPointF(x, y));
      p.setBrush(Qt::white);
      p.drawEllipse(QPointF(x, y - 14), 3.5, 3.5);
      p.setBrush(Qt::NoBrush);
    } else if (m.kind == MarkKind::request) {
      QPainterPath triangle;
      triangle.moveTo(x - 5, y - 17);
      triangle.lineTo(x + 5, y - 17);
      triangle.lineTo(x, y - 9);
      triangle.closeSubpath();
      p.fillPath(triangle, qcolor(report::mark_colors::kRequest));
    } else {
      paint_violation(p, view, m);
    }
  }
}

void TimelinePainter::paint_violation(QPainter& p, const TimelineViewport& view,
                                      const Mark& m) const {
  const QColor red = qcolor(report::mark_colors::kViolation);
  const double x = view.x_of(m.time_us);
  const double top = TimelineViewport::kAxisPx;
  const double bottom = view.y_of_lane(static_cast<int>(layout_.lane_count())) -
                        TimelineViewport::kLaneHeightPx / 2.0;
  p.setPen(QPen(red, 2, Qt::DashLine));
  p.drawLine(QPointF(x, top), QPointF(x, bottom));
  const double y = m.lane < 0 ? top + 10 : view.y_of_lane(m.lane);
  QPainterPath diamond;
  diamond.moveTo(x, y - 9);
  diamond.lineTo(x + 9, y);
  diamond.lineTo(x, y + 9);
  diamond.lineTo(x - 9, y);
  diamond.closeSubpath();
  p.fillPath(diamond, red);
  QFont bold = p.font();
  bold.setBold(true);
  bold.setPointSizeF(9);
  p.setFont(bold);
  p.setPen(red);
  const QString invariant = qstr(doc_.label(doc_.events()[m.event].label));
  const double width = p.fontMetrics().horizontalAdvance(invariant);
  // Violations close together stack their names instead of overprinting them.
  const bool crowded = x + 5 > violation_label_left_ - 2;
  violation_row_ = crowded ? violation_row_ + 1 : 0;
  violation_label_left_ = crowded ? std::min(violation_label_left_, x - width - 5) : x - width - 5;
  p.drawText(QPointF(x - width - 5, top + 12 + 13 * violation_row_), invariant);
  bold.setBold(false);
  p.setFont(bold);
}

void TimelinePainter::paint_cursor(QPainter& p, const TimelineViewport& view,
                                   std::int64_t cursor_us) const {
  if (cursor_us < 0) return;
  const double x = view.x_of(static_cast<double>(cursor_us));
  p.setPen(QPen(qcolor(report::mark_colors::kCursor, 200), 1.5));
  p.drawLine(QPointF(x, 0), QPointF(x, view.height_px - TimelineViewport::kLegendPx));
}

void TimelinePainter::paint_legend(QPainter& p, const TimelineViewport& view) const {
  const double top = view.height_px - TimelineViewport::kLegendPx;
  p.fillRect(QRectF(0, top, view.width_px, TimelineViewport::kLegendPx), QColor(250, 250, 250));
  p.setPen(QColor(220, 220, 220));
  p.drawLine(QPointF(0, top), QPointF(view.width_px, top));
  QFont font = p.font();
  font.setBold(false);
  font.setPointSizeF(8);
  p.setFont(font);
  double x = 8;
  const double y = top + 15;
  for (int f = 0; f < report::kPhaseFamilyCount; ++f) {
    const auto family = static_cast<report::PhaseFamily>(f);
    const report::PhaseColors c = report::family_colors(family);
    p.setPen(qcolor(c.stroke));
    p.setBrush(qcolor(c.fill));
    p.drawRect(QRectF(x, y - 8, 16, 10));
    p.setBrush(Qt::NoBrush);
    p.setPen(Qt::black);
    const QString name = qstr(report::family_name(family));
    p.drawText(QPointF(x + 20, y + 1), name);
    x += 32 + p.fontMetrics().horizontalAdvance(name);
  }
  p.setPen(QColor(60, 60, 60));
  p.drawText(QPointF(8, y + 19),
             QString::fromUtf8("\u2192 message   purple dashed: duplicate   \u2715 lost   "
                               "dotted, open head: in flight at end   grey: crashed   "
                               "tint: partition side   \u25CB timer   \u25BC request   "
                               "red line: violation   blue line: cursor"));
}

int TimelinePainter::arrow_at(const TimelineViewport& view, QPointF pos, double tolerance_px) const {
  const auto t0 = static_cast<std::int64_t>(view.time_at(pos.x() - tolerance_px));
  const auto t1 = static_cast<std::int64_t>(std::ceil(view.time_at(pos.x() + tolerance_px)));
  if (layout_.count_arrows_in(t0, t1) > kArrowsDrawn_max) return -1;
  int best = -1;
  double best_distance = tolerance_px;
  for (std::int32_t i : layout_.arrows_in(t0, t1)) {
    const Arrow& a = layout_.arrows()[i];
    const double d = distance_to_segment(pos, view.point(a.send_us, a.from_lane),
                                         arrow_end_point(view, a));
    if (d <= best_distance) {
      best = i;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace txsim::gui
