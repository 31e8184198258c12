// TimelineWidget: the space-time diagram of one run (docs/gui.md, "The timeline"). It owns the
// TimelineLayout of its document and paints it through TimelinePainter; this file is only the
// interaction: zoom (wheel, centred on the mouse), pan (drag or scrollbars), fit, hover tooltips
// (a message's payload or an event's trace line), click to select the nearest event, a cursor at
// the selected event, and export to PNG/SVG.
//
// Invariant: the horizontal scrollbar and viewport().begin_us always agree; the view never
// scrolls before time 0 or past the end of the trace.
#pragma once

#include <QAbstractScrollArea>
#include <memory>

#include "gui/timeline_painter.h"
#include "reports/timeline_layout.h"
#include "reports/trace_document.h"

namespace txsim::gui {

class TimelineWidget : public QAbstractScrollArea {
  Q_OBJECT

 public:
  explicit TimelineWidget(QWidget* parent = nullptr);

  void setDocument(std::shared_ptr<const report::TraceDocument> doc);
  const report::TraceDocument* document() const { return doc_.get(); }
  const report::TimelineLayout& layout() const { return layout_; }
  const TimelineViewport& viewport_geometry() const { return view_; }
  // Where a time on a lane is drawn, in viewport() pixel coordinates.
  QPointF pixel_at(qint64 time_us, int lane) const { return view_.point(double(time_us), lane); }
  // Shapes drawn by the last paint (bounded, see TimelinePainter).
  std::size_t last_shape_count() const { return painter_ ? painter_->last_shape_count() : 0; }

  int cursorEvent() const { return cursor_event_; }
  qint64 cursorTime() const { return cursor_us_; }

  // Shows [begin_us, end_us] across the plot.
  void showRange(double begin_us, double end_us);
  void zoomBy(double factor, double anchor_x_px);

  // The current view as an image (at least 1000 x the lanes' height, if the widget is smaller,
  // e.g. never shown) or as SVG. False if the file cannot be written.
  bool exportPng(const QString& path);
  bool exportSvg(const QString& path);
  QImage renderImage(QSize size);

 public Q_SLOTS:
  void fitAll();
  // Moves the cursor to an event (and scrolls it into view); -1 removes it.
  void setCursorEvent(int event_index);

 Q_SIGNALS:
  void eventSelected(int eventIndex);
  void cursorTimeChanged(qint64 micros);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  bool viewportEvent(QEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;

 private:
  void sync_scrollbars();
  void clamp_view();
  int content_height_px() const;
  QString tooltip_at(QPointF pos) const;
  int event_at(QPointF pos) const;

  std::shared_ptr<const report::TraceDocument> doc_;
  report::TimelineLayout layout_;
  std::unique_ptr<TimelinePainter> painter_;
  TimelineViewport view_;
  int cursor_event_ = -1;
  qint64 cursor_us_ = -1;
  bool syncing_ = false;
  QPoint press_pos_;
  double press_begin_us_ = 0;
  bool dragging_ = false;
};

}  // namespace txsim::gui
