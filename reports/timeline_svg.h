// TimelineSvg: a TimelineLayout drawn as a standalone SVG document, for reports and for the GUI's
// "export". It speaks the same visual grammar as the Qt widget (docs/gui.md, "The timeline"):
// one lane per node, phase segments coloured by PhasePalette, message arrows (dashed purple for
// a duplicate copy, a red cross where a message was lost, dotted with an open head when still in
// flight at the end), grey crash spans, tinted partition bands, timer ticks, request triangles,
// a red violation line, and a legend.
//
// Invariant: the output never holds more than a few thousand shapes: when a window holds more
// arrows than `arrows_max`, they are drawn as per-column bundles (TimelineLayout::arrow_buckets).
#pragma once

#include <cstdint>
#include <string>

#include "reports/timeline_layout.h"
#include "reports/trace_document.h"

namespace txsim::report {

struct SvgOptions {
  int width_px = 1200;
  int lane_height_px = 56;
  std::int64_t begin_us = 0;
  std::int64_t end_us = -1;      // -1: the end of the trace
  std::size_t arrows_max = 2000; // above this, arrows are bundled per column
  bool legend = true;
};

std::string render_timeline_svg(const TraceDocument& doc, const TimelineLayout& layout,
                                const SvgOptions& options = {});

}  // namespace txsim::report
