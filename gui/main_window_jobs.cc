// MainWindow's background work: running, checking and sweeping the loaded scenario on a worker
// thread (gui/background_job.h), with live progress in the status bar, Cancel, and the result
// handed to the views on the GUI thread once the work has returned.
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QAction>
#include <QCoreApplication>
#include <thread>

#include "gui/compare_charts.h"
#include "gui/main_window.h"
#include "reports/run_capture.h"
#include "reports/sweep_summary.h"

namespace txsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString figure(std::uint64_t n) { return QLocale(QLocale::English).toString(qulonglong(n)); }

}  // namespace

void MainWindow::startJob(BackgroundJob::Work work, const QString& what) {
  on_done_ = nullptr;
  job_ = new BackgroundJob(std::move(work), this);
  connect(job_, &BackgroundJob::progress, this, [this](const QString& text, int percent) {
    status_->setText(text);
    if (percent < 0) busy_->setRange(0, 0);
    else {
      busy_->setRange(0, 100);
      busy_->setValue(percent);
    }
  });
  connect(job_, &BackgroundJob::finished, this, &MainWindow::jobFinished);
  status_->setText(what + "...");
  busy_->setRange(0, 0);
  job_->start();
  updateActions();
}

void MainWindow::jobFinished() {
  BackgroundJob* job = job_;
  const bool cancelled = job && job->cancelled();
  job_ = nullptr;
  if (job) job->deleteLater();
  status_->setText(cancelled ? tr("Cancelled") : tr("Ready"));
  auto done = std::move(on_done_);
  on_done_ = nullptr;
  if (done) done();
  updateActions();
}

void MainWindow::waitForJobs() {
  while (job_) {
    job_->wait();
    QCoreApplication::processEvents();
  }
}

void MainWindow::cancelJob() {
  if (job_) {
    job_->cancel();
    status_->setText(tr("Cancelling..."));
  }
}

void MainWindow::runScenario() {
  if (!scenario_ || protocol_->currentIndex() < 0) return;
  clearError();
  const ProtocolInfo* p = find_protocol(protocol_->currentText().toStdString());
  if (!p) return;
  auto result = std::make_shared<std::optional<Result<report::CapturedRun>>>();
  const Scenario sc = *scenario_;
  const std::uint64_t seed = static_cast<std::uint64_t>(seed_->value());
  startJob([result, sc, p, seed](BackgroundJob& job) {
    result->emplace(report::capture_run(sc, *p, seed, job.cancel_flag()));
  }, tr("Running %1 with %2, seed %3").arg(q(sc.name), q(p->name)).arg(seed));
  on_done_ = [this, result, p, seed] {
    if (!*result) return;
    auto& r = **result;
    if (!r) {
      if (r.error().message != "cancelled") showError(q(r.error().message));
      return;
    }
    verdict_->setPlainText(q(r->verdict_text));
    auto doc = std::make_shared<const report::TraceDocument>(std::move(r->trace));
    showDocument(doc, tr("%1, %2, seed %3").arg(q(scenario_->name), q(p->name)).arg(seed));
  };
}

void MainWindow::checkScenario() {
  if (!scenario_ || protocol_->currentIndex() < 0) return;
  clearError();
  const ProtocolInfo* p = find_protocol(protocol_->currentText().toStdString());
  if (!p) return;
  auto result = std::make_shared<std::optional<Result<report::CapturedCheck>>>();
  const Scenario sc = *scenario_;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  startJob([result, sc, p, threads](BackgroundJob& job) {
    check::CheckOptions o;
    o.threads = threads;
    o.stop = job.cancel_flag();
    o.progress = [&job](const check::Progress& pr) {
      job.report(tr("Checking: %1 distinct states, %2 generated, depth %3, %4 states/s, "
                    "frontier %5")
                     .arg(figure(pr.distinct_states), figure(pr.states_generated))
                     .arg(pr.depth)
                     .arg(figure(static_cast<std::uint64_t>(pr.states_per_second)),
                          figure(pr.frontier)));
    };
    result->emplace(report::capture_check(sc, *p, o));
  }, tr("Checking %1 with %2").arg(q(sc.name), q(p->name)));
  on_done_ = [this, result] {
    if (!*result) return;
    auto& r = **result;
    if (!r) {
      showError(q(r.error().message));
      return;
    }
    verdict_->setPlainText(q(r->report_text));
    const QString v = q(r->report.verdict());
    status_->setText(tr("Check: %1, %2 distinct states")
                         .arg(v == "violation" ? v + " of " + q(r->report.invariant()) : v,
                              figure(r->report.stats.distinct_states)));
    if (r->counterexample) {
      auto doc = std::make_shared<const report::TraceDocument>(std::move(*r->counterexample));
      showDocument(doc, tr("counterexample: %1").arg(v));
    } else {
      showTab("verdict");
    }
  };
}

void MainWindow::sweepScenario() {
  if (!scenario_) return;
  clearError();
  auto result = std::make_shared<std::optional<Result<report::CompareSummary>>>();
  const Scenario sc = *scenario_;
  const std::uint64_t last = static_cast<std::uint64_t>(sweep_seeds_->value());
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  startJob([result, sc, last, threads](BackgroundJob& job) {
    const std::size_t protocols = std::max<std::size_t>(sc.protocols.size(), 1);
    auto progress = [&job, last, protocols](std::size_t protocol, std::uint64_t runs) {
      if (runs % 16 != 0 && runs != last) return;
      const std::uint64_t done = protocol * last + runs;
      job.report(tr("Sweeping: %1 of %2 runs").arg(done).arg(protocols * last),
                 static_cast<int>(100 * done / (protocols * last)));
    };
    result->emplace(report::sweep_protocols(sc, 1, last, threads, progress, job.cancel_flag()));
  }, tr("Sweeping %1 over seeds 1..%2").arg(q(sc.name)).arg(last));
  on_done_ = [this, result] {
    if (!*result) return;
    auto& r = **result;
    if (!r) {
      if (r.error().message != "cancelled") showError(q(r.error().message));
      return;
    }
    compare_->setSummary(*r);
    showTab("compare");
  };
}

}  // namespace txsim::gui
