#include "gui/chart_export.h"

#include <QFileInfo>
#include <QLayout>
#include <QPainter>
#include <QSvgGenerator>
#include <QtCharts/QChartView>

namespace txsim::gui {

namespace {

// A graphics view other than a chart view is exported as its whole scene.
QGraphicsScene* whole_scene(QWidget* w) {
  if (qobject_cast<QChartView*>(w) != nullptr) return nullptr;
  auto* view = qobject_cast<QGraphicsView*>(w);
  return view != nullptr ? view->scene() : nullptr;
}

// The logical size drawn, laying a never-shown widget out at a usable size first.
QSize prepared_size(QWidget* w) {
  if (QGraphicsScene* scene = whole_scene(w)) {
    const QSizeF s = scene->itemsBoundingRect().size() + QSizeF(40, 40);
    return s.toSize().expandedTo(QSize(200, 150));
  }
  if (!w->isVisible() && (w->width() < kMinExportSize.width() ||
                          w->height() < kMinExportSize.height()))
    w->resize(w->size().expandedTo(kMinExportSize));
  if (w->layout() != nullptr) w->layout()->activate();
  return w->size();
}

void draw(QWidget* w, QPainter& p, const QSize& size) {
  if (QGraphicsScene* scene = whole_scene(w)) {
    const QRectF source = scene->itemsBoundingRect().adjusted(-20, -20, 20, 20);
    scene->render(&p, QRectF(QPointF(0, 0), QSizeF(size)), source, Qt::KeepAspectRatio);
    return;
  }
  w->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
}

}  // namespace

QImage renderWidgetImage(QWidget* widget, qreal scale) {
  const QSize size = prepared_size(widget);
  QImage img(size * scale, QImage::Format_ARGB32_Premultiplied);
  img.setDevicePixelRatio(scale);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  draw(widget, p, size);
  p.end();
  return img;
}

QString exportPng(QWidget* widget, const QString& path, qreal scale) {
  const QImage img = renderWidgetImage(widget, scale);
  if (!img.save(path, "PNG")) return QObject::tr("cannot write %1").arg(path);
  return QString();
}

QString exportSvg(QWidget* widget, const QString& path, const QString& title) {
  const QSize size = prepared_size(widget);
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(title.isEmpty() ? QStringLiteral("txsim") : title);
  svg.setDescription(QStringLiteral("exported by txsim-gui"));
  QPainter p;
  if (!p.begin(&svg)) return QObject::tr("cannot write %1").arg(path);
  p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  draw(widget, p, size);
  if (!p.end()) return QObject::tr("cannot write %1").arg(path);
  return QString();
}

QString exportPicture(QWidget* widget, const QString& path) {
  if (QFileInfo(path).suffix().compare("svg", Qt::CaseInsensitive) == 0)
    return exportSvg(widget, path);
  return exportPng(widget, path);
}

}  // namespace txsim::gui
