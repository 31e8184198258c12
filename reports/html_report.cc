#include "reports/html_report.h"

#include <cstdio>

#include "reports/timeline_layout.h"
#include "reports/timeline_svg.h"

namespace txsim::report {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string ms(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(us) / 1000.0);
  return buf;
}

// The "what" column: message type, timer, invariant, observation, phase.
std::string what_of(const TraceDocument& d, const DocEvent& e) {
  std::string what(d.label(e.label));
  if (e.kind == EventKind::observe && e.phase != kNone) what += " " + std::string(d.phase_name(e.phase));
  else if (e.kind == EventKind::observe) what += " " + std::to_string(e.value);
  if (e.account != kNone) what += " " + std::string(d.account_name(e.account));
  if (e.kind == EventKind::crash)
    what = e.value < 0 ? "idle" : "after " + std::to_string(e.value) + " effects";
  if (e.kind == EventKind::choose)
    what = std::to_string(e.value) + " of " + std::to_string(e.choices);
  return what;
}

const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin-bottom: 4px; }
.meta { color: #555; margin-bottom: 16px; }
.violation { background: #fde2e1; border-left: 4px solid #c0392b; padding: 6px 10px; margin: 4px 0; }
.ok { background: #e3f4e1; border-left: 4px solid #2e8b57; padding: 6px 10px; }
.timeline { overflow-x: auto; border: 1px solid #ddd; margin: 12px 0; }
table { border-collapse: collapse; font-size: 12px; font-family: monospace; }
th, td { border-bottom: 1px solid #eee; padding: 2px 8px; text-align: left; white-space: nowrap; }
th { background: #f4f4f4; position: sticky; top: 0; }
tr.crash td, tr.recover td { background: #eee; }
tr.violation td { background: #fde2e1; }
tr.drop td { color: #b03a2e; }
)";

}  // namespace

std::string render_html_report(const TraceDocument& d, const HtmlOptions& o) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>txsim: " +
                  html_escape(d.scenario()) + " (" + html_escape(d.protocol()) + ")</title>\n<style>" +
                  kStyle + "</style></head><body>\n";
  h += "<h1>" + html_escape(d.scenario()) + "</h1>\n<div class=\"meta\">protocol <b>" +
       html_escape(d.protocol()) + "</b>, seed " + std::to_string(d.seed()) + ", scenario file " +
       html_escape(d.scenario_file()) + ", " + std::to_string(d.events().size()) +
       " events, " + std::to_string(d.messages().size()) + " messages, ends at " +
       ms(d.end_time()) + " ms" + (d.has_schedule() ? ", a model-checker counterexample" : "") +
       "</div>\n";
  if (d.violations().empty()) h += "<div class=\"ok\">No invariant broke in this run.</div>\n";
  for (std::int32_t i : d.violations()) {
    const DocEvent& e = d.events()[i];
    h += "<div class=\"violation\"><b>" + html_escape(d.label(e.label)) + "</b> at " +
         ms(e.time) + " ms: " + html_escape(d.text(e.text)) + "</div>\n";
  }
  const TimelineLayout layout(d);
  SvgOptions svg;
  svg.width_px = o.timeline_width_px;
  h += "<div class=\"timeline\">\n" + render_timeline_svg(d, layout, svg) + "</div>\n";
  h += "<table><tr><th>#</th><th>time (ms)</th><th>node</th><th>event</th><th>peer</th>"
       "<th>tx</th><th>what</th><th>detail</th></tr>\n";
  const std::size_t rows = std::min(d.events().size(), o.table_rows_max);
  for (std::size_t i = 0; i < rows; ++i) {
    const DocEvent& e = d.events()[i];
    const std::string kind(to_string(e.kind));
    std::string detail = e.text.empty() ? "" : d.text(e.text);
    if (detail.size() > 160) detail = detail.substr(0, 157) + "...";
    h += "<tr class=\"" + kind + "\"><td>" + std::to_string(i + 1) + "</td><td>" + ms(e.time) +
         "</td><td>" + html_escape(d.node_name(e.node)) + "</td><td>" + kind + "</td><td>" +
         html_escape(d.node_name(e.peer)) + "</td><td>" + html_escape(d.tx_name(e.tx)) +
         "</td><td>" + html_escape(what_of(d, e)) + "</td><td>" + html_escape(detail) +
         "</td></tr>\n";
  }
  h += "</table>\n";
  if (rows < d.events().size())
    h += "<p>" + std::to_string(d.events().size() - rows) +
         " more events are not listed (the table stops at " + std::to_string(rows) + ").</p>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace txsim::report
