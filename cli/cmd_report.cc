// `txsim report TRACE [--html FILE] [--svg FILE]`: a trace (a run or a counterexample) drawn
// for people who do not run the GUI: an HTML page with the timeline, the violations and the
// event table, or the timeline alone as SVG. Exit 0 written; 2 bad input (an unreadable or
// malformed trace, named file:line:col; no output asked for; an output that cannot be written).
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "reports/html_report.h"
#include "reports/timeline_layout.h"
#include "reports/timeline_svg.h"
#include "reports/trace_document.h"

namespace txsim::cli {

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "%s: error: cannot write the report\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int cmd_report(const ReportArgs& a) {
  if (a.html_file.empty() && a.svg_file.empty()) {
    std::fprintf(stderr, "error: txsim report needs --html FILE or --svg FILE\n");
    return kExitBadInput;
  }
  auto doc = report::TraceDocument::load(a.trace);
  if (!doc) {
    std::fprintf(stderr, "%s\n", doc.error().message.c_str());
    return kExitBadInput;
  }
  if (!a.html_file.empty() && !write_file(a.html_file, report::render_html_report(*doc)))
    return kExitBadInput;
  if (!a.svg_file.empty()) {
    const report::TimelineLayout layout(*doc);
    if (!write_file(a.svg_file, report::render_timeline_svg(*doc, layout))) return kExitBadInput;
  }
  std::printf("%s: %zu events, %zu violation(s)%s%s\n", a.trace.c_str(), doc->events().size(),
              doc->violations().size(), a.html_file.empty() ? "" : (", HTML: " + a.html_file).c_str(),
              a.svg_file.empty() ? "" : (", SVG: " + a.svg_file).c_str());
  return kExitOk;
}

}  // namespace txsim::cli
