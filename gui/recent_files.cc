#include "gui/recent_files.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace txsim::gui {

namespace {
const char* kKey = "recentFiles";
}

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {
  files_ = QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path) {
  const QString abs = QFileInfo(path).absoluteFilePath();
  files_.removeAll(abs);
  files_.prepend(abs);
  while (files_.size() > kMax) files_.removeLast();
  save();
}

void RecentFiles::fill(QMenu* menu) {
  menu->clear();
  QStringList kept;
  for (const QString& f : files_)
    if (QFileInfo::exists(f)) kept << f;
  files_ = kept;
  for (const QString& f : files_) {
    QAction* a = menu->addAction(QFileInfo(f).fileName() + "   (" + QFileInfo(f).path() + ")");
    connect(a, &QAction::triggered, this, [this, f] { Q_EMIT openRequested(f); });
  }
  if (files_.isEmpty()) menu->addAction(tr("(none)"))->setEnabled(false);
  menu->addSeparator();
  connect(menu->addAction(tr("Clear")), &QAction::triggered, this, [this] {
    files_.clear();
    save();
  });
}

void RecentFiles::save() const { QSettings().setValue(kKey, files_); }

}  // namespace txsim::gui
