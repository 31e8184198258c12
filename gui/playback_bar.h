// PlaybackBar: play / pause / step forward / step back through a run at a chosen speed. It only
// drives a position in [0, count): the run view decides what a position means (a row of the
// filtered event table), so playback follows exactly what the table shows.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTimer;
class QToolButton;

namespace txsim::gui {

class PlaybackBar : public QWidget {
  Q_OBJECT

 public:
  explicit PlaybackBar(QWidget* parent = nullptr);

  int position() const { return position_; }
  int count() const { return count_; }
  bool isPlaying() const;
  int eventsPerSecond() const;

 public Q_SLOTS:
  void setCount(int count);        // clamps the position; stops at the end
  void setPosition(int position);  // without emitting positionChanged (the caller moved there)
  void play();
  void pause();
  void togglePlay();
  void stepForward();
  void stepBack();
  void setEventsPerSecond(int events_per_second);

 Q_SIGNALS:
  void positionChanged(int position);

 private:
  void move_to(int position);
  void refresh();

  int position_ = -1;
  int count_ = 0;
  QTimer* timer_ = nullptr;
  QToolButton* back_ = nullptr;
  QToolButton* play_ = nullptr;
  QToolButton* forward_ = nullptr;
  QComboBox* speed_ = nullptr;
  QLabel* where_ = nullptr;
};

}  // namespace txsim::gui
