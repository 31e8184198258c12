// RecentFiles: the File > Open Recent list, newest first, kept in QSettings so it survives a
// restart. Files that no longer exist are dropped when the menu is built.
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace txsim::gui {

class RecentFiles : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMax = 10;
  explicit RecentFiles(QObject* parent = nullptr);

  QStringList files() const { return files_; }
  void add(const QString& path);
  // Fills `menu` with one action per existing file (and "Clear"); triggers openRequested.
  void fill(QMenu* menu);

 Q_SIGNALS:
  void openRequested(const QString& path);

 private:
  void save() const;
  QStringList files_;
};

}  // namespace txsim::gui
