#include "gui/main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include "gui/chart_export.h"
#include "gui/compare_charts.h"
#include "gui/recent_files.h"
#include "gui/run_charts.h"
#include "gui/run_view.h"
#include "gui/saga_graph_view.h"
#include "gui/timeline_widget.h"
#include "protocols/scenario_files.h"

namespace txsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

bool is_scenario(const QString& path) {
  const QString ext = QFileInfo(path).suffix().toLower();
  return ext == "yaml" || ext == "yml";
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("txsim");
  setAcceptDrops(true);
  resize(1400, 900);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  banner_ = new QLabel(central);
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  banner_->setStyleSheet("QLabel { background: #fde2e1; color: #8a1c14; padding: 6px; "
                         "border-bottom: 1px solid #e0a09a; }");
  banner_->hide();
  layout->addWidget(banner_);

  tabs_ = new QTabWidget(central);
  run_view_ = new RunView(tabs_);
  run_charts_ = new RunChartsWidget(tabs_);
  saga_view_ = new SagaGraphView(tabs_);
  compare_ = new CompareChartsWidget(tabs_);
  verdict_ = new QPlainTextEdit(tabs_);
  verdict_->setReadOnly(true);
  verdict_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  verdict_->setPlaceholderText(tr("Open a scenario (.yaml) or a trace (.jsonl): File > Open, "
                                  "or drop a file on the window."));
  tabs_->addTab(run_view_, tr("Timeline"));
  tabs_->addTab(run_charts_, tr("Charts"));
  tabs_->addTab(saga_view_, tr("Saga graph"));
  tabs_->addTab(compare_, tr("Compare"));
  tabs_->addTab(verdict_, tr("Verdict"));
  layout->addWidget(tabs_, 1);
  setCentralWidget(central);

  // The charts follow the timeline's cursor, and a click on a chart moves it.
  connect(run_view_, &RunView::cursorTimeChanged, run_charts_, &RunChartsWidget::setCursorTime);
  connect(run_charts_, &RunChartsWidget::timeClicked, run_view_, &RunView::setCursorTime);

  status_ = new QLabel(tr("Ready"), this);
  busy_ = new QProgressBar(this);
  busy_->setMaximumWidth(220);
  busy_->hide();
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(busy_);

  recent_ = new RecentFiles(this);
  connect(recent_, &RecentFiles::openRequested, this, &MainWindow::openFile);
  build_actions();
  build_toolbar();
  updateActions();
}

MainWindow::~MainWindow() {
  if (job_) {
    job_->cancel();
    job_->wait();
  }
}

void MainWindow::build_actions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open..."), this, &MainWindow::openDialog);
  open->setShortcut(QKeySequence::Open);
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  connect(recent_menu_, &QMenu::aboutToShow, this, [this] { recent_->fill(recent_menu_); });
  file->addSeparator();
  file->addAction(tr("Export view as &PNG..."), this, [this] { exportCurrent("png"); });
  file->addAction(tr("Export view as &SVG..."), this, [this] { exportCurrent("svg"); });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run_ = run->addAction(tr("&Run scenario"), this, &MainWindow::runScenario);
  run_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  check_ = run->addAction(tr("&Check (model checker)"), this, &MainWindow::checkScenario);
  check_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
  sweep_ = run->addAction(tr("S&weep seeds"), this, &MainWindow::sweepScenario);
  cancel_ = run->addAction(tr("C&ancel"), this, &MainWindow::cancelJob);
  cancel_->setShortcut(QKeySequence(Qt::Key_Escape));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  fit_ = view->addAction(tr("&Fit timeline"), this, [this] {
    showTab("timeline");
    run_view_->timeline()->fitAll();
  });
  fit_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
}

void MainWindow::build_toolbar() {
  QToolBar* bar = addToolBar(tr("Run"));
  bar->setMovable(false);
  bar->addAction(tr("Open..."), this, &MainWindow::openDialog);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Protocol "), bar));
  protocol_ = new QComboBox(bar);
  protocol_->setMinimumWidth(140);
  bar->addWidget(protocol_);
  bar->addWidget(new QLabel(tr(" Seed "), bar));
  seed_ = new QSpinBox(bar);
  seed_->setRange(0, 2147483647);
  seed_->setValue(1);
  bar->addWidget(seed_);
  bar->addAction(run_);
  bar->addAction(check_);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Seeds 1.."), bar));
  sweep_seeds_ = new QSpinBox(bar);
  sweep_seeds_->setRange(1, 100000);
  sweep_seeds_->setValue(200);
  bar->addWidget(sweep_seeds_);
  bar->addAction(sweep_);
  bar->addSeparator();
  bar->addAction(cancel_);
  bar->addSeparator();
  bar->addAction(fit_);
}

void MainWindow::updateActions() {
  const bool busy = job_ && job_->running();
  const bool have = scenario_.has_value();
  run_->setEnabled(have && !busy);
  check_->setEnabled(have && !busy);
  sweep_->setEnabled(have && !busy);
  cancel_->setEnabled(busy);
  protocol_->setEnabled(have && !busy);
  seed_->setEnabled(have && !busy);
  busy_->setVisible(busy);
}

bool MainWindow::showTab(const QString& name) {
  static const QStringList names = {"timeline", "charts", "saga", "compare", "verdict"};
  const int i = names.indexOf(name.toLower());
  if (i < 0) return false;
  tabs_->setCurrentIndex(i);
  return true;
}

void MainWindow::openDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open a scenario or a trace"), QString(),
      tr("Scenarios and traces (*.yaml *.yml *.jsonl);;Scenarios (*.yaml *.yml);;"
         "Traces (*.jsonl);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path) {
  if (job_ && job_->running()) {
    showError(tr("Busy: cancel the running job first."));
    return;
  }
  clearError();
  if (is_scenario(path)) openScenario(path);
  else openTrace(path);
}

void MainWindow::openTrace(const QString& path) {
  auto result = std::make_shared<std::optional<Result<report::TraceDocument>>>();
  const std::string file = path.toStdString();
  startJob([result, file](BackgroundJob&) { result->emplace(report::TraceDocument::load(file)); },
           tr("Loading %1").arg(QFileInfo(path).fileName()));
  on_done_ = [this, result, path] {
    if (!*result) return;
    auto& r = **result;
    if (!r) {
      showError(q(r.error().message));
      return;
    }
    recent_->add(path);
    auto doc = std::make_shared<const report::TraceDocument>(std::move(*r));
    // The saga graph needs the scenario; the trace names its file (relative to the cwd).
    if (!doc->scenario_file().empty() && QFileInfo::exists(q(doc->scenario_file()))) {
      auto sc = load_scenario(doc->scenario_file());
      if (sc) scenario_ = std::move(*sc);
    }
    if (scenario_ && scenario_->saga.present()) {
      saga_view_->setScenario(*scenario_);
    }
    showDocument(doc, QFileInfo(path).fileName());
  };
}

void MainWindow::openScenario(const QString& path) {
  auto sc = load_scenario(path.toStdString());
  if (!sc) {
    showError(q(sc.error().message));
    return;
  }
  recent_->add(path);
  scenario_ = std::move(*sc);
  protocol_->clear();
  for (const std::string& p : scenario_->protocols) protocol_->addItem(q(p));
  seed_->setValue(static_cast<int>(scenario_->seed));
  setWindowTitle("txsim - " + QFileInfo(path).fileName());
  if (scenario_->saga.present()) saga_view_->setScenario(*scenario_);
  updateActions();
  runScenario();
}

void MainWindow::showDocument(std::shared_ptr<const report::TraceDocument> doc,
                              const QString& title) {
  doc_ = std::move(doc);
  run_view_->setDocument(doc_);
  run_charts_->setDocument(doc_);
  if (scenario_ && scenario_->saga.present()) saga_view_->highlightRun(*doc_);
  setWindowTitle("txsim - " + title);
  if (!doc_->violations().empty()) {
    const report::DocEvent& v = doc_->events()[doc_->violations().front()];
    status_->setText(tr("Violation of %1: %2").arg(q(std::string(doc_->label(v.label))),
                                                   q(doc_->text(v.text))));
    // Open where it broke: the cursor, the table row and the state inspector on the last node
    // event before the violation (the violation line itself belongs to no node).
    int at = doc_->violations().front();
    while (at > 0 && doc_->events()[at].node == report::kNone) --at;
    run_view_->selectEvent(at);
  }
  showTab("timeline");
  Q_EMIT documentShown();
}

void MainWindow::showError(const QString& message) {
  last_error_ = message;
  banner_->setText(message);
  banner_->show();
  status_->setText(tr("Error"));
  Q_EMIT errorShown(message);
}

void MainWindow::clearError() {
  last_error_.clear();
  banner_->hide();
}

void MainWindow::exportCurrent(const QString& format) {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export"), QString("txsim.%1").arg(format),
      format == "png" ? tr("PNG images (*.png)") : tr("SVG drawings (*.svg)"));
  if (path.isEmpty()) return;
  QWidget* current = tabs_->currentWidget();
  if (current == run_view_) {
    const bool ok = format == "png" ? run_view_->timeline()->exportPng(path)
                                    : run_view_->timeline()->exportSvg(path);
    if (!ok) showError(tr("%1: cannot write the export").arg(path));
    return;
  }
  const QString error = format == "png" ? exportPng(current, path) : exportSvg(current, path);
  if (!error.isEmpty()) showError(error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.front().isLocalFile()) openFile(urls.front().toLocalFile());
}

}  // namespace txsim::gui
