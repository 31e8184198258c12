// BackgroundJob: runs one piece of library work (a simulated run, a model check, loading a big
// trace) on a thread of its own, so the window never freezes. The work polls cancelled() (or
// hands cancel_flag() to the library: the checker's stop flag), reports progress through
// report(), and leaves its result wherever its closure says; finished() arrives on the GUI
// thread once the work has returned.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>

class QThread;

namespace txsim::gui {

class BackgroundJob : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<void(BackgroundJob&)>;
  explicit BackgroundJob(Work work, QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels and waits: a job never outlives what it writes into

  void start();
  void cancel() { cancel_.store(true); }
  bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }
  const std::atomic<bool>* cancel_flag() const { return &cancel_; }
  bool running() const;
  // Blocks until the work has returned and finished() was delivered (tests, --screenshot).
  // The job may have been deleted by a receiver of finished() when this returns.
  void wait();

  // From the worker thread: a line for the status bar and a percentage (-1: unknown).
  void report(const QString& text, int percent = -1);

 Q_SIGNALS:
  void progress(const QString& text, int percent);
  void finished();

 private:
  Work work_;
  QThread* thread_ = nullptr;
  std::atomic<bool> cancel_{false};
  bool delivered_ = false;
};

}  // namespace txsim::gui
