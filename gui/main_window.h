// MainWindow: the txsim-gui window. It opens traces and scenarios (File > Open, recent files,
// drag and drop, the command line), runs a scenario or the model checker on a worker thread
// with live progress and a cancel button, and shows what came back in the views: the timeline
// with its event table, the run charts, the saga graph, the sweep comparison and the verdict.
//
// It owns no analysis of its own: runs come from reports/run_capture.h (the library the CLI
// uses), views read report::TraceDocument. Errors are shown in a banner inside the window,
// never a crash and never a modal box that would stall a headless run.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <memory>
#include <optional>

#include "gui/background_job.h"
#include "reports/trace_document.h"
#include "sim/scenario.h"

class QComboBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QSpinBox;
class QTabWidget;
class QAction;

namespace txsim::gui {

class CompareChartsWidget;
class RecentFiles;
class RunChartsWidget;
class RunView;
class SagaGraphView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // A trace (.jsonl) or a scenario (.yaml/.yml); a scenario is run at once with its own seed.
  // Returns at once: loading and running happen on a worker thread.
  void openFile(const QString& path);

  // Blocks until the current job (if any) has finished and its result is shown.
  void waitForJobs();

  // What the window shows, for tests and --screenshot.
  QString lastError() const { return last_error_; }
  const report::TraceDocument* document() const { return doc_.get(); }
  RunView* runView() const { return run_view_; }
  RunChartsWidget* runCharts() const { return run_charts_; }
  SagaGraphView* sagaView() const { return saga_view_; }
  CompareChartsWidget* compareCharts() const { return compare_; }
  QTabWidget* tabs() const { return tabs_; }
  // Selects a tab by its short name: timeline, charts, saga, compare, verdict.
  bool showTab(const QString& name);

 public Q_SLOTS:
  void openDialog();
  void runScenario();    // the loaded scenario, the selected protocol, the seed box
  void checkScenario();  // the model checker on the loaded scenario and protocol
  void sweepScenario();  // seeds 1..N of the loaded scenario, every protocol it lists
  void cancelJob();

 Q_SIGNALS:
  void documentShown();
  void errorShown(const QString& message);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_actions();
  void build_toolbar();
  void openTrace(const QString& path);
  void openScenario(const QString& path);
  void startJob(BackgroundJob::Work work, const QString& what);
  void jobFinished();
  void showDocument(std::shared_ptr<const report::TraceDocument> doc, const QString& title);
  void showError(const QString& message);
  void clearError();
  void exportCurrent(const QString& format);
  void updateActions();

  QTabWidget* tabs_ = nullptr;
  RunView* run_view_ = nullptr;
  RunChartsWidget* run_charts_ = nullptr;
  SagaGraphView* saga_view_ = nullptr;
  CompareChartsWidget* compare_ = nullptr;
  QPlainTextEdit* verdict_ = nullptr;
  QLabel* banner_ = nullptr;
  QLabel* status_ = nullptr;
  QProgressBar* busy_ = nullptr;
  QComboBox* protocol_ = nullptr;
  QSpinBox* seed_ = nullptr;
  QSpinBox* sweep_seeds_ = nullptr;
  QAction* run_ = nullptr;
  QAction* check_ = nullptr;
  QAction* sweep_ = nullptr;
  QAction* cancel_ = nullptr;
  QAction* fit_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  RecentFiles* recent_ = nullptr;

  std::optional<Scenario> scenario_;
  std::shared_ptr<const report::TraceDocument> doc_;
  QPointer<BackgroundJob> job_;
  // Set by the worker, read on the GUI thread after finished().
  std::function<void()> on_done_;
  QString last_error_;
};

}  // namespace txsim::gui
