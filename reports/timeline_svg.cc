// Renders a TimelineLayout as SVG text (see timeline_svg.h). Drawing order, back to front:
// partition bands, lanes, phase segments, crash spans, arrows, marks, legend.
#include "reports/timeline_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/phase_palette.h"

namespace txsim::report {
namespace {

constexpr int kGutterPx = 72;   // lane names
constexpr int kAxisPx = 28;     // time axis on top
constexpr int kLegendPx = 44;
constexpr int kMarginPx = 16;

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string ms(std::int64_t micros) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(micros) / 1000.0);
  return text;
}

class SvgWriter {
 public:
  SvgWriter(const TraceDocument& doc, const TimelineLayout& layout, const SvgOptions& o)
      : doc_(doc), layout_(layout), o_(o) {
    t0_ = o.begin_us;
    t1_ = o.end_us < 0 ? std::max<std::int64_t>(layout.end_time(), 1) : o.end_us;
    if (t1_ <= t0_) t1_ = t0_ + 1;
    plot_px_ = std::max(o.width_px - kGutterPx - kMarginPx, 50);
    step_us_ = std::max<std::int64_t>((t1_ - t0_) / plot_px_, 1);
    height_px_ = kAxisPx + static_cast<int>(layout.lane_count()) * o.lane_height_px +
                 (o.legend ? kLegendPx : 0) + 8;
  }

  std::string render() {
    out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(o_.width_px) +
            "\" height=\"" + std::to_string(height_px_) +
            "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    definitions();
    out_ += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    partitions();
    axis();
    lanes();
    crashes();
    arrows();
    marks();
    if (o_.legend) legend();
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  double x(std::int64_t t) const {
    return kGutterPx + static_cast<double>(t - t0_) * plot_px_ / static_cast<double>(t1_ - t0_);
  }
  double y(int lane) const { return kAxisPx + (lane + 0.5) * o_.lane_height_px; }
  double clamp_x(std::int64_t t) const { return x(std::clamp(t, t0_, t1_)); }

  void definitions() {
    const std::string arrow = to_hex(mark_colors::kArrow);
    const std::string dup = to_hex(mark_colors::kDuplicate);
    out_ += "<defs>\n"
            "<marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
            "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" +
            arrow + "\"/></marker>\n"
            "<marker id=\"head-dup\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
            "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
            "fill=\"" + dup + "\"/></marker>\n"
            "<marker id=\"head-open\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
            "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10\" "
            "fill=\"none\" stroke=\"" + arrow + "\"/></marker>\n</defs>\n";
  }

  void partitions() {
    for (const PartitionBand& band : layout_.partitions()) {
      if (band.end_us < t0_ || band.begin_us > t1_) continue;
      const double x0 = clamp_x(band.begin_us), x1 = std::max(clamp_x(band.end_us), x0 + 1);
      out_ += "<g class=\"partition\"><title>partition " + escape(band.detail) + "</title>\n";
      for (std::size_t lane = 0; lane < layout_.lane_count(); ++lane) {
        const int side = lane < band.side.size() ? band.side[lane] : -1;
        if (side < 0) continue;
        const Rgb tint = mark_colors::kPartitionSides[side % mark_colors::kPartitionSides.size()];
        out_ += "<rect x=\"" + num(x0) + "\" y=\"" + num(y(lane) - o_.lane_height_px / 2.0) +
                "\" width=\"" + num(x1 - x0) + "\" height=\"" + num(o_.lane_height_px) +
                "\" fill=\"" + to_hex(tint) + "\"/>\n";
      }
      out_ += "<text x=\"" + num(x0 + 3) + "\" y=\"" + num(kAxisPx + 10) +
              "\" fill=\"#555\">partition " + escape(band.detail) + "</text></g>\n";
    }
  }

  void axis() {
    const double span = static_cast<double>(t1_ - t0_);
    double tick = std::pow(10.0, std::floor(std::log10(span / 8)));
    if (span / tick > 16) tick *= 2;
    if (span / tick > 16) tick *= 2.5;
    const auto first = static_cast<std::int64_t>(std::ceil(t0_ / tick) * tick);
    for (double t = static_cast<double>(first); t <= static_cast<double>(t1_); t += tick) {
      const double px = x(static_cast<std::int64_t>(t));
      out_ += "<line class=\"axis\" x1=\"" + num(px) + "\" y1=\"" + num(kAxisPx - 6) +
              "\" x2=\"" + num(px) + "\" y2=\"" + num(kAxisPx) + "\" stroke=\"#888\"/>" +
              "<text x=\"" + num(px + 2) + "\" y=\"" + num(kAxisPx - 9) + "\" fill=\"#555\">" +
              ms(static_cast<std::int64_t>(t)) + "</text>\n";
    }
  }

  void lanes() {
    for (std::size_t lane = 0; lane < layout_.lane_count(); ++lane) {
      const double ly = y(static_cast<int>(lane));
      out_ += "<text class=\"lane-name\" x=\"6\" y=\"" + num(ly + 4) +
              "\" font-weight=\"bold\" font-size=\"13\">" +
              escape(layout_.lanes()[lane].name) + "</text>\n";
      out_ += "<line class=\"lane\" x1=\"" + num(kGutterPx) + "\" y1=\"" + num(ly) + "\" x2=\"" +
              num(kGutterPx + plot_px_) + "\" y2=\"" + num(ly) + "\" stroke=\"" +
              to_hex(mark_colors::kLane) + "\"/>\n";
      for (const PhaseSegment& s : layout_.sampled_segments(lane, t0_, t1_, step_us_)) segment(lane, s);
    }
  }

  void segment(std::size_t lane, const PhaseSegment& s) {
    const std::string_view phase = doc_.phase_name(s.phase);
    const PhaseColors colors = phase_colors(phase);
    const double x0 = clamp_x(s.begin_us);
    // A phase entered when the run ended still gets a visible stub past the end.
    const double x1 = std::max(clamp_x(s.end_us), x0 + 1) + (s.end_us >= layout_.end_time() ? 8 : 0);
    const double ly = y(static_cast<int>(lane));
    out_ += "<rect class=\"segment\" x=\"" + num(x0) + "\" y=\"" + num(ly - 7) + "\" width=\"" +
            num(x1 - x0) + "\" height=\"14\" fill=\"" + to_hex(colors.fill) + "\" stroke=\"" +
            to_hex(colors.stroke) + "\" stroke-width=\"0.5\"><title>" + escape(phase) + " " +
            escape(doc_.tx_name(s.tx)) + " from " + ms(s.begin_us) + "</title></rect>\n";
    if (x1 - x0 > 7.0 * static_cast<double>(phase.size()) + 6)
      out_ += "<text x=\"" + num(x0 + 3) + "\" y=\"" + num(ly + 4) + "\" font-size=\"10\" fill=\"" +
              to_hex(colors.stroke) + "\">" + escape(phase) + "</text>\n";
  }

  void crashes() {
    for (const CrashSpan& c : layout_.crashes()) {
      if (c.end_us < t0_ || c.begin_us > t1_) continue;
      const double x0 = clamp_x(c.begin_us), x1 = std::max(clamp_x(c.end_us), x0 + 2);
      const double ly = y(c.lane);
      out_ += "<g class=\"crash\"><rect x=\"" + num(x0) + "\" y=\"" + num(ly - 11) +
              "\" width=\"" + num(x1 - x0) + "\" height=\"22\" fill=\"" +
              to_hex(mark_colors::kCrash) + "\" fill-opacity=\"0.55\"/><text x=\"" + num(x0 + 3) +
              "\" y=\"" + num(ly - 14) + "\" fill=\"#444\">crashed</text></g>\n";
    }
  }

  void arrows() {
    if (layout_.count_arrows_in(t0_, t1_) > o_.arrows_max) {
      bundles();
      return;
    }
    for (std::int32_t i : layout_.arrows_in(t0_, t1_)) arrow(layout_.arrows()[i]);
  }

  void arrow(const Arrow& a) {
    const double x0 = x(a.send_us), y0 = y(a.from_lane);
    double x1 = x(a.end_us), y1 = y(a.to_lane);
    const DocMessage& m = doc_.messages()[a.message];
    std::string style = "stroke=\"" + to_hex(mark_colors::kArrow) + "\" marker-end=\"url(#head)\"";
    const char* kind = "arrow delivered";
    if (a.end == ArrowEnd::duplicate) {
      kind = "arrow duplicate";
      style = "stroke=\"" + to_hex(mark_colors::kDuplicate) +
              "\" stroke-dasharray=\"5,3\" marker-end=\"url(#head-dup)\"";
    } else if (a.end == ArrowEnd::dropped) {
      kind = "arrow dropped";
      style = "stroke=\"" + to_hex(mark_colors::kArrow) + "\"";
      y1 = y0 + (y1 - y0) * 0.75;  // a lost message stops short of its receiver
    } else if (a.end == ArrowEnd::in_flight) {
      kind = "arrow in-flight";
      style = "stroke=\"" + to_hex(mark_colors::kArrow) +
              "\" stroke-dasharray=\"2,3\" marker-end=\"url(#head-open)\"";
      y1 = y0 + (y1 - y0) * 0.5;
    }
    out_ += "<path class=\"" + std::string(kind) + "\" d=\"M" + num(x0) + "," + num(y0) + " L" +
            num(x1) + "," + num(y1) + "\" fill=\"none\" " + style + "><title>" +
            escape(doc_.label(m.label)) + " #" + std::to_string(m.id) + " " +
            escape(doc_.node_name(a.from_lane)) + " -&gt; " + escape(doc_.node_name(a.to_lane)) +
            "</title></path>\n";
    if (a.end == ArrowEnd::dropped) {
      const std::string red = to_hex(mark_colors::kDrop);
      out_ += "<path class=\"drop-cross\" d=\"M" + num(x1 - 5) + "," + num(y1 - 5) + " L" +
              num(x1 + 5) + "," + num(y1 + 5) + " M" + num(x1 - 5) + "," + num(y1 + 5) + " L" +
              num(x1 + 5) + "," + num(y1 - 5) + "\" stroke=\"" + red +
              "\" stroke-width=\"2.5\"/>\n";
    }
    if (std::hypot(x1 - x0, y1 - y0) > 90 && m.label != kNone)
      out_ += "<text x=\"" + num((x0 + x1) / 2 + 3) + "\" y=\"" + num((y0 + y1) / 2 - 3) +
              "\" font-size=\"10\" fill=\"#333\">" + escape(doc_.label(m.label)) + "</text>\n";
  }

  void bundles() {
    const int columns = std::max(plot_px_ / 4, 1);
    const double column_px = static_cast<double>(plot_px_) / columns;
    for (const ArrowBucket& b : layout_.arrow_buckets(t0_, t1_, columns)) {
      const double x0 = kGutterPx + (b.column + 0.5) * column_px;
      const double x1 = x0 + b.mean_duration_us * plot_px_ / static_cast<double>(t1_ - t0_);
      const double width = 0.5 + std::log2(1.0 + b.count);
      const Rgb color = b.dropped * 2 > b.count ? mark_colors::kDrop : mark_colors::kArrow;
      out_ += "<path class=\"arrow-bundle\" d=\"M" + num(x0) + "," + num(y(b.from_lane)) + " L" +
              num(x1) + "," + num(y(b.to_lane)) + "\" stroke=\"" + to_hex(color) +
              "\" stroke-opacity=\"0.35\" stroke-width=\"" + num(width) + "\"><title>" +
              std::to_string(b.count) + " messages</title></path>\n";
    }
  }

  void marks() {
    const double top = kAxisPx, bottom = kAxisPx + layout_.lane_count() * o_.lane_height_px;
    for (const Mark& m : layout_.sampled_marks(t0_, t1_, step_us_ * 3)) {
      const double mx = x(m.time_us);
      const double my = m.lane == kNone ? top + 8 : y(m.lane);
      if (m.kind == MarkKind::timer) {
        out_ += "<g class=\"timer\"><line x1=\"" + num(mx) + "\" y1=\"" + num(my - 14) +
                "\" x2=\"" + num(mx) + "\" y2=\"" + num(my) + "\" stroke=\"" +
                to_hex(mark_colors::kTimer) + "\" stroke-width=\"1.5\"/><circle cx=\"" + num(mx) +
                "\" cy=\"" + num(my - 14) + "\" r=\"3\" fill=\"none\" stroke=\"" +
                to_hex(mark_colors::kTimer) + "\"/></g>\n";
      } else if (m.kind == MarkKind::request) {
        out_ += "<path class=\"request\" d=\"M" + num(mx - 5) + "," + num(my - 16) + " L" +
                num(mx + 5) + "," + num(my - 16) + " L" + num(mx) + "," + num(my - 8) +
                " z\" fill=\"" + to_hex(mark_colors::kRequest) + "\"/>\n";
      } else {
        violation(m, mx, my, top, bottom);
      }
    }
  }

  void violation(const Mark& m, double mx, double my, double top, double bottom) {
    const DocEvent& e = doc_.events()[m.event];
    const std::string red = to_hex(mark_colors::kViolation);
    const std::string invariant(doc_.label(e.label));
    out_ += "<g class=\"violation\"><title>" + escape(invariant) + ": " +
            escape(doc_.text(e.text)) + "</title><line x1=\"" + num(mx) + "\" y1=\"" + num(top) +
            "\" x2=\"" + num(mx) + "\" y2=\"" + num(bottom) + "\" stroke=\"" + red +
            "\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/><path d=\"M" + num(mx) + "," +
            num(my - 9) + " L" + num(mx + 9) + "," + num(my) + " L" + num(mx) + "," + num(my + 9) +
            " L" + num(mx - 9) + "," + num(my) + " z\" fill=\"" + red + "\"/><text x=\"" +
            num(mx - 4) + "\" y=\"" + num(top + 12) + "\" text-anchor=\"end\" font-weight=\"bold\" " +
            "fill=\"" + red + "\">" + escape(invariant) + "</text></g>\n";
  }

  void legend() {
    double lx = kGutterPx;
    const double ly = kAxisPx + layout_.lane_count() * o_.lane_height_px + 22;
    for (int f = 0; f < kPhaseFamilyCount; ++f) {
      const auto family = static_cast<PhaseFamily>(f);
      const PhaseColors c = family_colors(family);
      out_ += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 9) + "\" width=\"18\" height=\"10\" " +
              "fill=\"" + to_hex(c.fill) + "\" stroke=\"" + to_hex(c.stroke) + "\"/><text x=\"" +
              num(lx + 22) + "\" y=\"" + num(ly) + "\">" + std::string(family_name(family)) +
              "</text>\n";
      lx += 30 + 6.5 * static_cast<double>(family_name(family).size());
    }
    out_ += "<text x=\"" + num(kGutterPx) + "\" y=\"" + num(ly + 18) + "\" fill=\"#444\">" +
            "&#8594; message   - - &#8594; duplicate (purple)   &#8594;&#10005; lost   " +
            "&#183;&#183;&#8594; in flight at end   grey: crashed   tint: partition side   " +
            "&#9675; timer   &#9660; request   red line: violation</text>\n";
  }

  const TraceDocument& doc_;
  const TimelineLayout& layout_;
  const SvgOptions& o_;
  std::int64_t t0_ = 0, t1_ = 1, step_us_ = 1;
  int plot_px_ = 0, height_px_ = 0;
  std::string out_;
};

}  // namespace

std::string render_timeline_svg(const TraceDocument& doc, const TimelineLayout& layout,
                                const SvgOptions& options) {
  return SvgWriter(doc, layout, options).render();
}

}  // namespace txsim::report
