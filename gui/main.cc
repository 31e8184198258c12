// txsim-gui: the desktop window, or a headless renderer for docs and tests.
//   txsim-gui [TRACE.jsonl | SCENARIO.yaml]
//   txsim-gui --screenshot OUT.png [--tab timeline|charts|saga|compare|verdict]
//             [--size WxH] [--check] (TRACE.jsonl | SCENARIO.yaml)
// With --screenshot the window is rendered offscreen (unless QT_QPA_PLATFORM says otherwise),
// the file is opened (a scenario is run, or checked with --check), the chosen tab is grabbed
// to OUT.png and the program exits: 0 written, 2 bad input (the message on stderr).
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

#include "gui/main_window.h"

int main(int argc, char** argv) {
  bool headless = false;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--screenshot") headless = true;
  if (headless && std::getenv("QT_QPA_PLATFORM") == nullptr)
    setenv("QT_QPA_PLATFORM", "offscreen", 1);

  QApplication app(argc, argv);
  QApplication::setApplicationName("txsim-gui");
  QApplication::setOrganizationName("txsim");

  QCommandLineParser cli;
  cli.setApplicationDescription("txsim: see distributed transactions fail");
  cli.addHelpOption();
  cli.addPositionalArgument("file", "a trace (.jsonl) or a scenario (.yaml)");
  QCommandLineOption shot("screenshot", "render headlessly to OUT.png and exit", "OUT.png");
  QCommandLineOption tab("tab", "the view to render: timeline, charts, saga, compare, verdict",
                         "name", "timeline");
  QCommandLineOption size("size", "window size for --screenshot", "WxH", "1400x900");
  QCommandLineOption check("check", "with a scenario: run the model checker, not one run");
  cli.addOptions({shot, tab, size, check});
  cli.process(app);

  txsim::gui::MainWindow window;
  const QStringList files = cli.positionalArguments();
  if (!cli.isSet(shot)) {
    window.show();
    if (!files.isEmpty()) window.openFile(files.front());
    return app.exec();
  }

  auto fail = [](const QString& why) {
    std::fprintf(stderr, "%s\n", why.toLocal8Bit().constData());
    return 2;
  };
  if (files.size() != 1) return fail("txsim-gui: --screenshot needs exactly one file");
  const QStringList wh = cli.value(size).split('x');
  bool okw = false, okh = false;
  const int w = wh.size() == 2 ? wh[0].toInt(&okw) : 0;
  const int h = wh.size() == 2 ? wh[1].toInt(&okh) : 0;
  if (!okw || !okh || w < 200 || h < 150 || w > 8000 || h > 8000)
    return fail("txsim-gui: --size: expected WxH, e.g. 1400x900");
  window.resize(w, h);
  window.show();
  window.openFile(files.front());
  window.waitForJobs();
  if (cli.isSet(check)) {
    window.checkScenario();
    window.waitForJobs();
  }
  if (!window.lastError().isEmpty()) return fail(window.lastError());
  if (!window.showTab(cli.value(tab)))
    return fail("txsim-gui: --tab: expected timeline, charts, saga, compare or verdict");
  if (cli.value(tab) == "compare") {
    window.sweepScenario();
    window.waitForJobs();
    if (!window.lastError().isEmpty()) return fail(window.lastError());
  }
  // Let layouts and charts settle before grabbing.
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QImage image = window.grab().toImage();
  if (!image.save(cli.value(shot))) return fail(cli.value(shot) + ": cannot write the image");
  return 0;
}
