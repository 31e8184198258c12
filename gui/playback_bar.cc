// Buttons, speed and the timer of the playback bar (see playback_bar.h).
#include "gui/playback_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <algorithm>

namespace txsim::gui {
namespace {
constexpr int kSpeeds[] = {1, 2, 5, 10, 25, 100, 500};  // events per second
}

PlaybackBar::PlaybackBar(QWidget* parent) : QWidget(parent) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(2, 2, 2, 2);
  auto button = [&](QStyle::StandardPixmap icon, const QString& tip) {
    auto* b = new QToolButton;
    b->setIcon(style()->standardIcon(icon));
    b->setToolTip(tip);
    row->addWidget(b);
    return b;
  };
  back_ = button(QStyle::SP_MediaSeekBackward, tr("Step back"));
  play_ = button(QStyle::SP_MediaPlay, tr("Play"));
  forward_ = button(QStyle::SP_MediaSeekForward, tr("Step forward"));
  speed_ = new QComboBox;
  for (int s : kSpeeds) speed_->addItem(tr("%1 events/s").arg(s), s);
  speed_->setCurrentIndex(3);
  row->addWidget(speed_);
  where_ = new QLabel;
  row->addWidget(where_, 1);
  timer_ = new QTimer(this);
  connect(timer_, &QTimer::timeout, this, &PlaybackBar::stepForward);
  connect(back_, &QToolButton::clicked, this, &PlaybackBar::stepBack);
  connect(forward_, &QToolButton::clicked, this, &PlaybackBar::stepForward);
  connect(play_, &QToolButton::clicked, this, &PlaybackBar::togglePlay);
  connect(speed_, &QComboBox::currentIndexChanged, this,
          [this] { timer_->setInterval(1000 / std::max(eventsPerSecond(), 1)); });
  timer_->setInterval(1000 / eventsPerSecond());
  refresh();
}

bool PlaybackBar::isPlaying() const { return timer_->isActive(); }
int PlaybackBar::eventsPerSecond() const { return speed_->currentData().toInt(); }

void PlaybackBar::setEventsPerSecond(int events_per_second) {
  const int i = speed_->findData(events_per_second);
  if (i >= 0) speed_->setCurrentIndex(i);
}

void PlaybackBar::setCount(int count) {
  count_ = std::max(count, 0);
  if (position_ >= count_) position_ = count_ - 1;
  if (count_ == 0) pause();
  refresh();
}

void PlaybackBar::setPosition(int position) {
  position_ = std::clamp(position, -1, count_ - 1);
  refresh();
}

void PlaybackBar::play() {
  if (count_ == 0) return;
  if (position_ >= count_ - 1) move_to(0);  // at the end, play starts over
  timer_->start();
  refresh();
}

void PlaybackBar::pause() {
  timer_->stop();
  refresh();
}

void PlaybackBar::togglePlay() { isPlaying() ? pause() : play(); }

void PlaybackBar::stepForward() {
  if (position_ >= count_ - 1) {
    pause();
    return;
  }
  move_to(position_ + 1);
  if (position_ >= count_ - 1) pause();
}

void PlaybackBar::stepBack() {
  if (position_ > 0) move_to(position_ - 1);
}

void PlaybackBar::move_to(int position) {
  position_ = std::clamp(position, 0, std::max(count_ - 1, 0));
  refresh();
  Q_EMIT positionChanged(position_);
}

void PlaybackBar::refresh() {
  play_->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  play_->setToolTip(isPlaying() ? tr("Pause") : tr("Play"));
  back_->setEnabled(position_ > 0);
  forward_->setEnabled(position_ < count_ - 1);
  where_->setText(count_ == 0 ? tr("no events")
                              : tr("%1 / %2").arg(position_ < 0 ? 0 : position_ + 1).arg(count_));
}

}  // namespace txsim::gui
