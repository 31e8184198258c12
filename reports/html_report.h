// HtmlReport: one self-contained HTML page for a run or a counterexample — what a teacher
// attaches to an exercise or a bug report. It shows the same things as the GUI's window: the
// header (scenario, protocol, seed), the violations, the space-time timeline (the very SVG of
// reports/timeline_svg.h, inline) and the event table. No scripts, no external files.
#pragma once

#include <cstddef>
#include <string>

#include "reports/trace_document.h"

namespace txsim::report {

struct HtmlOptions {
  std::size_t table_rows_max = 20000;  // the table stops there and says how many it left out
  int timeline_width_px = 1400;
};

std::string render_html_report(const TraceDocument& doc, const HtmlOptions& options = {});

// `s` with &, <, >, " escaped for HTML text and attributes.
std::string html_escape(std::string_view s);

}  // namespace txsim::report
