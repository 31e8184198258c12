#include "gui/background_job.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QThread>

namespace txsim::gui {

BackgroundJob::BackgroundJob(Work work, QObject* parent) : QObject(parent), work_(std::move(work)) {}

BackgroundJob::~BackgroundJob() {
  cancel();
  if (thread_) {
    thread_->wait();
    delete thread_;
  }
}

void BackgroundJob::start() {
  if (thread_) return;
  thread_ = QThread::create([this] { work_(*this); });
  // The thread's finished() is emitted from the worker; the queued hop lands on our thread.
  connect(thread_, &QThread::finished, this, [this] {
    delivered_ = true;
    Q_EMIT finished();
  }, Qt::QueuedConnection);
  thread_->start();
}

bool BackgroundJob::running() const { return thread_ && !delivered_; }

void BackgroundJob::wait() {
  if (!thread_) return;
  thread_->wait();
  // finished() may make the receiver delete this job (deleteLater runs inside processEvents
  // when no event loop is running): stop looking at it then.
  QPointer<BackgroundJob> self(this);
  while (self && !delivered_) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

void BackgroundJob::report(const QString& text, int percent) {
  QMetaObject::invokeMethod(this, [this, text, percent] { Q_EMIT progress(text, percent); },
                            Qt::QueuedConnection);
}

}  // namespace txsim::gui
