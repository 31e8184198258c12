// TimelinePainter: draws a TimelineLayout through QPainter, for the timeline widget, its PNG/SVG
// export and the benchmark, with the grammar of reports/timeline_svg.h and docs/gui.md.
// TimelineViewport is the one mapping between time/lane and pixels, so clicks, tooltips, tests
// and painting agree on where things are.
//
// Invariant: a paint call draws only what meets the visible window and never more than about
// kArrowsDrawn_max arrows; beyond that, arrows are bundled per few-pixel column, and phase
// segments and marks are sampled to about one per pixel column.
#pragma once

#include <QPainter>
#include <QPointF>
#include <cstdint>

#include "reports/timeline_layout.h"
#include "reports/trace_document.h"

namespace txsim::gui {

struct TimelineViewport {
  static constexpr int kGutterPx = 84;       // lane names on the left
  static constexpr int kAxisPx = 30;         // time axis on top
  static constexpr int kLaneHeightPx = 60;
  static constexpr int kLegendPx = 46;       // legend strip at the bottom

  double begin_us = 0;    // time at the plot's left edge
  double us_per_px = 1;   // zoom
  int width_px = 800;
  int height_px = 400;
  int scroll_y_px = 0;    // vertical scroll of the lanes

  int plot_width_px() const { return width_px > kGutterPx ? width_px - kGutterPx : 1; }
  double end_us() const { return begin_us + plot_width_px() * us_per_px; }
  double x_of(double time_us) const { return kGutterPx + (time_us - begin_us) / us_per_px; }
  double time_at(double x_px) const { return begin_us + (x_px - kGutterPx) * us_per_px; }
  double y_of_lane(int lane) const {
    return kAxisPx + (lane + 0.5) * kLaneHeightPx - scroll_y_px;
  }
  // The lane under a y coordinate, or -1.
  int lane_at(double y_px, std::size_t lane_count) const;
  QPointF point(double time_us, int lane) const { return {x_of(time_us), y_of_lane(lane)}; }
  // Zooms so that [0, end_us] fills the plot width.
  void fit(std::int64_t end_us);
};

class TimelinePainter {
 public:
  static constexpr std::size_t kArrowsDrawn_max = 3000;

  TimelinePainter(const report::TraceDocument& doc, const report::TimelineLayout& layout)
      : doc_(doc), layout_(layout) {}

  // Paints the whole viewport (background included). cursor_us < 0: no cursor.
  void paint(QPainter& p, const TimelineViewport& view, std::int64_t cursor_us) const;
  // Shapes drawn by the last paint (arrows, bundles, segments, marks), for tests and the bench.
  std::size_t last_shape_count() const { return shapes_; }

  // The arrow (index into layout.arrows()) whose drawn line passes within tolerance_px of pos,
  // or -1. Only when arrows are drawn one by one.
  int arrow_at(const TimelineViewport& view, QPointF pos, double tolerance_px) const;
  // Where an arrow is drawn: a dropped one stops short of its receiver, one in flight halfway.
  QPointF arrow_end_point(const TimelineViewport& view, const report::Arrow& a) const;

 private:
  void paint_axis(QPainter& p, const TimelineViewport& view) const;
  void paint_partitions(QPainter& p, const TimelineViewport& view) const;
  void paint_lanes(QPainter& p, const TimelineViewport& view) const;
  void paint_crashes(QPainter& p, const TimelineViewport& view) const;
  void paint_arrows(QPainter& p, const TimelineViewport& view) const;
  void paint_arrow(QPainter& p, const TimelineViewport& view, const report::Arrow& a) const;
  void paint_bundles(QPainter& p, const TimelineViewport& view) const;
  void paint_marks(QPainter& p, const TimelineViewport& view) const;
  void paint_violation(QPainter& p, const TimelineViewport& view, const report::Mark& m) const;
  void paint_cursor(QPainter& p, const TimelineViewport& view, std::int64_t cursor_us) const;
  void paint_legend(QPainter& p, const TimelineViewport& view) const;

  const report::TraceDocument& doc_;
  const report::TimelineLayout& layout_;
  mutable std::size_t shapes_ = 0;
  mutable double violation_label_left_ = 0;  // where the last violation's name was written
  mutable int violation_row_ = 0;
};

}  // namespace txsim::gui
