// Export of any chart or view to PNG or SVG: the main window's File > Export, and the charts'
// own "save picture" actions.
//
// Why one file for all widgets: a QChartView, the saga view's QGraphicsView and a plain widget
// (the run charts' grid) need different sources - a graphics view is exported whole (its scene,
// not just the part scrolled into view), anything else as it is laid out - but one caller.
//
// Invariants: the image is never empty (a widget never shown or laid out is rendered at
// kMinExportSize); the PNG is drawn at devicePixelRatio `scale` on a white background; the SVG
// has the widget's (or scene's) logical size as its viewBox.
#pragma once

#include <QGraphicsView>
#include <QImage>
#include <QString>
#include <QWidget>

namespace txsim::gui {

inline constexpr QSize kMinExportSize{800, 500};

// What is drawn: the whole scene for a graphics view that is not a chart view, else the widget.
QImage renderWidgetImage(QWidget* widget, qreal scale = 2.0);
// Empty on success, else a message for the user ("cannot write /x.png").
QString exportPng(QWidget* widget, const QString& path, qreal scale = 2.0);
QString exportSvg(QWidget* widget, const QString& path, const QString& title = QString());
// By the path's extension: .svg -> SVG, anything else -> PNG.
QString exportPicture(QWidget* widget, const QString& path);

}  // namespace txsim::gui
