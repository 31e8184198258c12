// TimelineWidget on the sample trace: geometry (lanes, the violation marker's pixel), clicking
// selects the nearest event, zoom keeps the point under the mouse, and both exports write real
// files (a PNG that is not blank, an SVG document).
#include "gui/timeline_widget.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QApplication>
#include <QMouseEvent>
#include <QTemporaryDir>
#include <vector>

#include "tests/reports/timeline_sample_trace.h"

namespace txsim::gui {
namespace {

std::shared_ptr<const report::TraceDocument> sample() {
  auto doc = report::TraceDocument::parse(report::testing::kSampleTrace, "sample.jsonl");
  EXPECT_TRUE(doc) << doc.error().message;
  return std::make_shared<const report::TraceDocument>(std::move(doc.value()));
}

struct Shown {
  TimelineWidget widget;
  Shown() {
    widget.resize(1084, 400);
    widget.setDocument(sample());
    widget.show();
    widget.fitAll();
  }
};

TEST(TimelineWidget, FitsTheTraceAndPlacesTheViolationMarker) {
  Shown s;
  const TimelineViewport& view = s.widget.viewport_geometry();
  EXPECT_EQ(s.widget.layout().lane_count(), 4u);
  EXPECT_DOUBLE_EQ(view.begin_us, 0.0);
  EXPECT_GE(view.end_us(), 10000.0);  // the whole trace is in view
  EXPECT_LE(view.end_us(), 10600.0);
  const report::Mark& v = s.widget.layout().violations().at(0);
  const QPointF marker = s.widget.pixel_at(v.time_us, v.lane);
  // 7 ms of the plot's (width / 1.03) per 10 ms; lane 2's middle.
  const double plot = s.widget.viewport()->width() - TimelineViewport::kGutterPx;
  EXPECT_NEAR(marker.x(), TimelineViewport::kGutterPx + 0.7 * plot / 1.03, 1.0);
  EXPECT_DOUBLE_EQ(marker.y(),
                   TimelineViewport::kAxisPx + 2.5 * TimelineViewport::kLaneHeightPx);
  // The painted image has the violation's red at that pixel.
  const QImage image = s.widget.renderImage(s.widget.viewport()->size());
  const QColor at = image.pixelColor(marker.toPoint());
  EXPECT_GT(at.red(), 180);
  EXPECT_LT(at.green(), 60);
}

TEST(TimelineWidget, ClickSelectsTheNearestEventAndMovesTheCursor) {
  Shown s;
  std::vector<int> selected;
  std::vector<qint64> moved;
  QObject::connect(&s.widget, &TimelineWidget::eventSelected,
                   [&](int e) { selected.push_back(e); });
  QObject::connect(&s.widget, &TimelineWidget::cursorTimeChanged,
                   [&](qint64 t) { moved.push_back(t); });
  const QPointF drop = s.widget.pixel_at(3500, 3) + QPointF(2, 0);
  const QPointF global = s.widget.viewport()->mapToGlobal(drop);
  QMouseEvent press(QEvent::MouseButtonPress, drop, global, Qt::LeftButton, Qt::LeftButton, {});
  QMouseEvent release(QEvent::MouseButtonRelease, drop, global, Qt::LeftButton, Qt::NoButton, {});
  QApplication::sendEvent(s.widget.viewport(), &press);
  QApplication::sendEvent(s.widget.viewport(), &release);
  ASSERT_EQ(selected.size(), 1u);
  EXPECT_EQ(selected[0], 13);
  EXPECT_EQ(s.widget.cursorEvent(), 13);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0], 3500);
  s.widget.setCursorEvent(23);
  EXPECT_EQ(s.widget.cursorTime(), 7000);
}

TEST(TimelineWidget, ZoomKeepsTheTimeUnderTheMouse) {
  Shown s;
  const double x = 500;
  const double before = s.widget.viewport_geometry().time_at(x);
  const double span = s.widget.viewport_geometry().end_us() - s.widget.viewport_geometry().begin_us;
  s.widget.zoomBy(4, x);
  EXPECT_NEAR(s.widget.viewport_geometry().time_at(x), before, 1.0);
  EXPECT_NEAR(s.widget.viewport_geometry().end_us() - s.widget.viewport_geometry().begin_us,
              span / 4, 1.0);
  s.widget.zoomBy(1.0 / 100, x);  // cannot zoom out past the whole trace
  EXPECT_DOUBLE_EQ(s.widget.viewport_geometry().begin_us, 0.0);
}

TEST(TimelineWidget, ExportsANonBlankPngAndAnSvg) {
  Shown s;
  QTemporaryDir dir;
  const QString png = dir.filePath("t.png"), svg = dir.filePath("t.svg");
  ASSERT_TRUE(s.widget.exportPng(png));
  QImage image(png);
  ASSERT_FALSE(image.isNull());
  EXPECT_GE(image.width(), 1000);
  int coloured = 0;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) {
      const QColor c = image.pixelColor(x, y);
      coloured += c.saturation() > 60;
    }
  EXPECT_GT(coloured, 200);  // segments, partition tints, violation
  ASSERT_TRUE(s.widget.exportSvg(svg));
  QFile file(svg);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray text = file.readAll();
  EXPECT_TRUE(text.contains("<svg"));
  EXPECT_TRUE(text.contains("</svg>"));
  EXPECT_TRUE(text.contains("P3"));
  EXPECT_FALSE(s.widget.exportSvg("/nonexistent-dir/x.svg"));
}

TEST(TimelineWidget, BigTraceDrawsABoundedNumberOfShapes) {
  auto doc = report::TraceDocument::parse(report::testing::random_trace(100000, 5, 9), "r.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  TimelineWidget widget;
  widget.resize(1200, 500);
  widget.setDocument(std::make_shared<const report::TraceDocument>(std::move(doc.value())));
  widget.renderImage(QSize(1200, 500));
  EXPECT_GT(widget.last_shape_count(), 100u);
  EXPECT_LT(widget.last_shape_count(), 12000u);
}

}  // namespace
}  // namespace txsim::gui
