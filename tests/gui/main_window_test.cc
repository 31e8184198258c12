// The main window end to end, offscreen: a scenario runs on the worker thread and reaches the
// views, the checker's counterexample opens in the timeline, bad files give a readable error
// with file:line, and a cancelled check stops. RealWindow runs under Xvfb (ctest gui-xvfb).
#include "gui/main_window.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QScreen>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QWindow>
#include <set>

#include "gui/run_view.h"

namespace txsim::gui {
namespace {

QString source(const char* rel) { return QString(TXSIM_SOURCE_DIR) + "/" + rel; }

TEST(MainWindow, OpeningAScenarioRunsItAndShowsTheRun) {
  MainWindow w;
  w.openFile(source("scenarios/two_phase/coordinator-crash-after-prepare.yaml"));
  w.waitForJobs();
  ASSERT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
  ASSERT_NE(w.document(), nullptr);
  EXPECT_EQ(w.document()->protocol(), "two_phase");
  EXPECT_EQ(w.document()->nodes().size(), 4u);
  EXPECT_TRUE(w.document()->has_states());
  EXPECT_EQ(w.tabs()->currentIndex(), 0);
}

TEST(MainWindow, CheckOpensTheCounterexampleInTheTimeline) {
  MainWindow w;
  w.openFile(source("scenarios/two_phase/check-broken-log-order.yaml"));
  w.waitForJobs();
  ASSERT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
  w.checkScenario();
  w.waitForJobs();
  ASSERT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
  ASSERT_NE(w.document(), nullptr);
  EXPECT_TRUE(w.document()->has_schedule());
  ASSERT_EQ(w.document()->violations().size(), 1u);
  const auto& v = w.document()->events()[w.document()->violations()[0]];
  EXPECT_EQ(w.document()->label(v.label), "AC1");
}

TEST(MainWindow, AMalformedTraceShowsFileAndLine) {
  QTemporaryDir dir;
  const QString path = dir.filePath("bad.jsonl");
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  f.write(R"({"format":"txsim-trace","version":1,"nodes":[{"name":"C","role":"coordinator"}]})"
          "\n"
          R"({"t":1,"ev":"crash","node":"Z"})"
          "\n");
  f.close();
  MainWindow w;
  w.openFile(path);
  w.waitForJobs();
  EXPECT_EQ(w.lastError().toStdString(),
            path.toStdString() + ":2:28: error: key 'node': unknown node 'Z' (not in the header)");
  EXPECT_EQ(w.document(), nullptr);
}

TEST(MainWindow, ABadScenarioShowsFileLineAndColumn) {
  MainWindow w;
  w.openFile(source("tests/data/bad_scenarios/account_unknown_owner.yaml"));
  w.waitForJobs();
  EXPECT_TRUE(w.lastError().contains("account_unknown_owner.yaml:")) << w.lastError().toStdString();
  EXPECT_EQ(w.document(), nullptr);
}

TEST(MainWindow, AMissingFileIsAnError) {
  MainWindow w;
  w.openFile("/nonexistent/run.jsonl");
  w.waitForJobs();
  EXPECT_EQ(w.lastError().toStdString(), "/nonexistent/run.jsonl: error: cannot open trace file");
}

TEST(MainWindow, ACancelledCheckStopsIncomplete) {
  MainWindow w;
  w.openFile(source("scenarios/paxos_commit/check-async-partition-bounded.yaml"));
  w.waitForJobs();
  ASSERT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
  w.checkScenario();
  w.cancelJob();
  w.waitForJobs();
  EXPECT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
}

// The real window on a real (virtual) X server: shown, painted, grabbed from the screen.
// Runs only on the xcb platform (ctest: gui-xvfb runs it under xvfb-run).
TEST(RealWindow, ShowsANonBlankTimelineOnScreen) {
  if (QGuiApplication::platformName() != "xcb") GTEST_SKIP() << "needs xvfb-run (xcb)";
  MainWindow w;
  w.resize(1200, 800);
  w.show();
  w.openFile(source("scenarios/two_phase/coordinator-crash-after-prepare.yaml"));
  w.waitForJobs();
  ASSERT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
  for (int i = 0; i < 20; ++i) QApplication::processEvents();
  QApplication::processEvents();
  QScreen* screen = w.windowHandle()->screen();
  const QImage shot = screen->grabWindow(0).toImage();
  ASSERT_FALSE(shot.isNull());
  std::set<QRgb> colours;
  for (int y = 0; y < shot.height(); y += 7)
    for (int x = 0; x < shot.width(); x += 7) colours.insert(shot.pixel(x, y));
  EXPECT_GT(colours.size(), 20u) << "the screen looks blank";
  shot.save(QString(TXSIM_BINARY_DIR) + "/gui-xvfb-screenshot.png");
}

}  // namespace
}  // namespace txsim::gui
