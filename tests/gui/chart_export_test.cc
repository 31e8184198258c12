// chart_export: PNG files that are not blank, SVG files that are SVG, for charts and views.
#include "gui/chart_export.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QTemporaryDir>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>

namespace txsim::gui {
namespace {

QChartView* line_chart() {
  auto* series = new QLineSeries;
  series->append({{0, 0}, {1, 3}, {2, 1}});
  auto* chart = new QChart;
  chart->addSeries(series);
  chart->createDefaultAxes();
  chart->setTitle("test");
  return new QChartView(chart);
}

// Pixels that are not white: a blank export has none.
int inked(const QImage& img) {
  int n = 0;
  for (int y = 0; y < img.height(); y += 2)
    for (int x = 0; x < img.width(); x += 2) n += img.pixelColor(x, y) != QColor(Qt::white);
  return n;
}

TEST(ChartExport, PngOfAChartIsNotBlank) {
  QTemporaryDir dir;
  std::unique_ptr<QChartView> view(line_chart());
  view->resize(400, 300);
  const QString path = dir.filePath("chart.png");
  EXPECT_EQ(exportPng(view.get(), path), QString());
  QImage img(path);
  ASSERT_FALSE(img.isNull());
  // Never shown, so laid out at the minimum export size first; drawn at scale 2.
  EXPECT_EQ(img.width(), 2 * kMinExportSize.width());
  EXPECT_GT(inked(img), 200);
}

TEST(ChartExport, SvgOfAChartIsSvg) {
  QTemporaryDir dir;
  std::unique_ptr<QChartView> view(line_chart());
  const QString path = dir.filePath("chart.svg");
  EXPECT_EQ(exportPicture(view.get(), path), QString());
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QByteArray svg = f.readAll();
  EXPECT_TRUE(svg.contains("<svg"));
  EXPECT_TRUE(svg.contains("<path") || svg.contains("<polyline"));
}

TEST(ChartExport, GraphicsViewExportsItsWholeScene) {
  QGraphicsScene scene;
  scene.addRect(0, 0, 100, 50, QPen(Qt::black), QBrush(Qt::red));
  scene.addRect(2000, 1500, 100, 50, QPen(Qt::black), QBrush(Qt::blue));
  QGraphicsView view(&scene);
  view.resize(200, 200);  // shows only a corner; the export must hold both rectangles
  const QImage img = renderWidgetImage(&view, 1.0);
  int red = 0, blue = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      red += c == QColor(Qt::red);
      blue += c == QColor(Qt::blue);
    }
  EXPECT_GT(red, 100);
  EXPECT_GT(blue, 100);
}

TEST(ChartExport, UnwritablePathIsAMessage) {
  std::unique_ptr<QChartView> view(line_chart());
  EXPECT_NE(exportPng(view.get(), "/nonexistent-dir/x.png"), QString());
}

}  // namespace
}  // namespace txsim::gui
