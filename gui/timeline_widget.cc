// Interaction and export of the timeline (see timeline_widget.h).
#include "gui/timeline_widget.h"

#include <QFile>
#include <QHelpEvent>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace txsim::gui {
namespace {

constexpr double kZoomStep = 1.25;
constexpr double kUsPerPx_min = 0.01;   // 100 pixels per microsecond: deeper is meaningless
constexpr int kScrollResolution = 10000;  // horizontal scrollbar steps over the whole trace
constexpr int kClickTolerancePx = 8;
constexpr int kDragThresholdPx = 4;

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }
QString ms(double micros) { return QString::number(micros / 1000.0, 'f', 3) + " ms"; }

}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QAbstractScrollArea(parent) {
  setMouseTracking(true);
  viewport()->setMouseTracking(true);
  setMinimumHeight(200);
  horizontalScrollBar()->setRange(0, 0);
  verticalScrollBar()->setRange(0, 0);
}

void TimelineWidget::setDocument(std::shared_ptr<const report::TraceDocument> doc) {
  doc_ = std::move(doc);
  painter_.reset();
  layout_ = doc_ ? report::TimelineLayout(*doc_) : report::TimelineLayout();
  if (doc_) painter_ = std::make_unique<TimelinePainter>(*doc_, layout_);
  cursor_event_ = -1;
  cursor_us_ = -1;
  view_.scroll_y_px = 0;
  fitAll();
}

int TimelineWidget::content_height_px() const {
  return TimelineViewport::kAxisPx +
         static_cast<int>(layout_.lane_count()) * TimelineViewport::kLaneHeightPx +
         TimelineViewport::kLegendPx + 8;
}

void TimelineWidget::fitAll() {
  view_.width_px = viewport()->width();
  view_.height_px = viewport()->height();
  view_.fit(layout_.end_time());
  sync_scrollbars();
  viewport()->update();
}

void TimelineWidget::showRange(double begin_us, double end_us) {
  view_.us_per_px = std::max((end_us - begin_us) / view_.plot_width_px(), kUsPerPx_min);
  view_.begin_us = begin_us;
  clamp_view();
  sync_scrollbars();
  viewport()->update();
}

void TimelineWidget::zoomBy(double factor, double anchor_x_px) {
  const double anchor_us = view_.time_at(anchor_x_px);
  const double fit_us_per_px =
      std::max(static_cast<double>(layout_.end_time()), 1.0) * 1.03 / view_.plot_width_px();
  view_.us_per_px = std::clamp(view_.us_per_px / factor, kUsPerPx_min, fit_us_per_px);
  view_.begin_us = anchor_us - (anchor_x_px - TimelineViewport::kGutterPx) * view_.us_per_px;
  clamp_view();
  sync_scrollbars();
  viewport()->update();
}

void TimelineWidget::clamp_view() {
  const double span = view_.plot_width_px() * view_.us_per_px;
  const double last_begin = std::max(layout_.end_time() * 1.03 - span, 0.0);
  view_.begin_us = std::clamp(view_.begin_us, 0.0, last_begin);
  const int overflow = std::max(content_height_px() - view_.height_px, 0);
  view_.scroll_y_px = std::clamp(view_.scroll_y_px, 0, overflow);
}

void TimelineWidget::sync_scrollbars() {
  syncing_ = true;
  const double total = std::max(layout_.end_time() * 1.03, 1.0);
  const double span = view_.plot_width_px() * view_.us_per_px;
  QScrollBar* h = horizontalScrollBar();
  const int page = static_cast<int>(std::min(span / total, 1.0) * kScrollResolution);
  h->setRange(0, std::max(kScrollResolution - page, 0));
  h->setPageStep(std::max(page, 1));
  h->setSingleStep(std::max(page / 10, 1));
  h->setValue(static_cast<int>(view_.begin_us / total * kScrollResolution));
  QScrollBar* v = verticalScrollBar();
  v->setRange(0, std::max(content_height_px() - view_.height_px, 0));
  v->setPageStep(view_.height_px);
  v->setValue(view_.scroll_y_px);
  syncing_ = false;
}

void TimelineWidget::scrollContentsBy(int, int) {
  if (syncing_) return;
  const double total = std::max(layout_.end_time() * 1.03, 1.0);
  view_.begin_us = horizontalScrollBar()->value() * total / kScrollResolution;
  view_.scroll_y_px = verticalScrollBar()->value();
  clamp_view();
  viewport()->update();
}

void TimelineWidget::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  const bool was_fitted = view_.begin_us == 0 &&
                          view_.end_us() >= layout_.end_time() * 1.02;
  view_.width_px = viewport()->width();
  view_.height_px = viewport()->height();
  if (was_fitted) view_.fit(layout_.end_time());
  clamp_view();
  sync_scrollbars();
}

void TimelineWidget::paintEvent(QPaintEvent*) {
  QPainter p(viewport());
  view_.width_px = viewport()->width();
  view_.height_px = viewport()->height();
  if (!painter_) {
    p.fillRect(viewport()->rect(), Qt::white);
    p.drawText(viewport()->rect(), Qt::AlignCenter, tr("No trace loaded"));
    return;
  }
  painter_->paint(p, view_, cursor_us_);
}

void TimelineWidget::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ShiftModifier) {  // shift+wheel pans
    QAbstractScrollArea::wheelEvent(event);
    return;
  }
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  zoomBy(std::pow(kZoomStep, steps), event->position().x());
  event->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  press_pos_ = event->pos();
  press_begin_us_ = view_.begin_us;
  dragging_ = false;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!(event->buttons() & Qt::LeftButton)) return;
  const QPoint delta = event->pos() - press_pos_;
  if (!dragging_ && delta.manhattanLength() < kDragThresholdPx) return;
  dragging_ = true;
  viewport()->setCursor(Qt::ClosedHandCursor);
  view_.begin_us = press_begin_us_ - delta.x() * view_.us_per_px;
  clamp_view();
  sync_scrollbars();
  viewport()->update();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  viewport()->unsetCursor();
  if (dragging_) {
    dragging_ = false;
    return;
  }
  const int picked = event_at(event->position());
  if (picked < 0) return;
  setCursorEvent(picked);
  Q_EMIT eventSelected(picked);
}

int TimelineWidget::event_at(QPointF pos) const {
  if (!doc_ || pos.x() < TimelineViewport::kGutterPx) return -1;
  const int lane = view_.lane_at(pos.y(), layout_.lane_count());
  if (lane >= 0) {
    const auto time = static_cast<std::int64_t>(view_.time_at(pos.x()));
    const auto tolerance = static_cast<std::int64_t>(kClickTolerancePx * view_.us_per_px) + 1;
    const std::int32_t on_lane = layout_.nearest_event(lane, time, tolerance);
    if (on_lane >= 0) return on_lane;
  }
  // Off a lane's events: an arrow under the mouse selects its send.
  const int arrow = painter_->arrow_at(view_, pos, kClickTolerancePx / 2.0);
  return arrow >= 0 ? layout_.arrows()[arrow].send_event : -1;
}

void TimelineWidget::setCursorEvent(int event_index) {
  if (!doc_ || event_index < 0 || event_index >= static_cast<int>(doc_->events().size())) {
    cursor_event_ = -1;
    cursor_us_ = -1;
    viewport()->update();
    return;
  }
  const qint64 time = layout_.event_time(event_index);
  const bool moved = time != cursor_us_;
  cursor_event_ = event_index;
  cursor_us_ = time;
  if (time < view_.begin_us || time > view_.end_us()) {  // keep the cursor in sight
    view_.begin_us = time - view_.plot_width_px() * view_.us_per_px / 2;
    clamp_view();
    sync_scrollbars();
  }
  viewport()->update();
  if (moved) Q_EMIT cursorTimeChanged(time);
}

bool TimelineWidget::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = tooltip_at(help->pos());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(help->globalPos(), text, viewport());
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

QString TimelineWidget::tooltip_at(QPointF pos) const {
  if (!doc_) return {};
  const int arrow = painter_->arrow_at(view_, pos, 4);
  if (arrow >= 0) {
    const report::Arrow& a = layout_.arrows()[arrow];
    const report::DocMessage& m = doc_->messages()[a.message];
    static const char* kEnds[] = {"delivered", "duplicate delivered", "lost", "in flight at end"};
    QString text = QString("%1 #%2  %3 \u2192 %4  %5\n")
                       .arg(qstr(doc_->label(m.label)))
                       .arg(m.id)
                       .arg(qstr(doc_->node_name(a.from_lane)), qstr(doc_->node_name(a.to_lane)),
                            qstr(doc_->tx_name(m.tx)));
    text += QString("sent %1, %2 %3").arg(ms(a.send_us), kEnds[static_cast<int>(a.end)],
                                          ms(a.end_us));
    if (a.end == report::ArrowEnd::dropped)
      text += " (" + QString::fromStdString(doc_->text(doc_->events()[a.end_event].text)) + ")";
    if (a.send_event >= 0) text += "\npayload " + qstr(doc_->view(doc_->events()[a.send_event].text));
    return text;
  }
  const int event = event_at(pos);
  return event >= 0 ? qstr(doc_->line_text(event)) : QString();
}

QImage TimelineWidget::renderImage(QSize size) {
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  if (!painter_) return image;
  TimelineViewport view = view_;
  const bool fitted = view.begin_us == 0 && view.end_us() >= layout_.end_time() * 1.02;
  view.width_px = size.width();
  view.height_px = size.height();
  if (fitted || view_.width_px < 200) view.fit(layout_.end_time());
  QPainter p(&image);
  painter_->paint(p, view, cursor_us_);
  return image;
}

bool TimelineWidget::exportPng(const QString& path) {
  const QSize size(std::max(viewport()->width(), 1000), content_height_px());
  return renderImage(size).save(path, "PNG");
}

bool TimelineWidget::exportSvg(const QString& path) {
  if (!painter_) return false;
  QFile probe(path);  // QSvgGenerator does not report a file it could not open
  if (!probe.open(QIODevice::WriteOnly)) return false;
  probe.close();
  const QSize size(std::max(viewport()->width(), 1000), content_height_px());
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(QString::fromStdString(doc_->scenario()));
  svg.setDescription(tr("txsim timeline"));
  TimelineViewport view = view_;
  view.width_px = size.width();
  view.height_px = size.height();
  if (view_.width_px < 200) view.fit(layout_.end_time());
  QPainter p(&svg);
  painter_->paint(p, view, cursor_us_);
  return p.end();
}

}  // namespace txsim::gui
