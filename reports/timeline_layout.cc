// Builds a TimelineLayout in one pass over the events plus one over the messages, then sorts and
// indexes the arrows (see timeline_layout.h for the queries' complexity).
#include "reports/timeline_layout.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace txsim::report {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::int16_t lane_of(const std::vector<DocNode>& nodes, const std::string& name) {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return static_cast<std::int16_t>(i);
  return kNone;
}

// Splits "a; b; c" or "a, b" on a one-character separator, trimming each piece.
std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t stop = s.find(separator, start);
    if (stop == std::string_view::npos) stop = s.size();
    std::string part = trim(s.substr(start, stop - start));
    if (!part.empty()) parts.push_back(std::move(part));
    start = stop + 1;
  }
  return parts;
}

}  // namespace

bool parse_partition_detail(const std::string& detail, const std::vector<DocNode>& nodes,
                            PartitionBand& band) {
  band.side.assign(nodes.size(), -1);
  band.cuts.clear();
  bool known = true;
  std::int8_t group = 0;
  for (const std::string& clause : split(detail, ';')) {
    if (clause.rfind("cut ", 0) == 0) {  // "cut P1 -> C"
      const std::size_t arrow = clause.find("->");
      if (arrow == std::string::npos) return false;
      const std::int16_t from = lane_of(nodes, trim(std::string_view(clause).substr(4, arrow - 4)));
      const std::int16_t to = lane_of(nodes, trim(std::string_view(clause).substr(arrow + 2)));
      if (from == kNone || to == kNone) known = false;
      else band.cuts.emplace_back(from, to);
      continue;
    }
    for (const std::string& members : split(clause, '|')) {  // "{P3} | {C, P1, P2}"
      if (members.size() < 2 || members.front() != '{' || members.back() != '}') return false;
      for (const std::string& name :
           split(std::string_view(members).substr(1, members.size() - 2), ',')) {
        const std::int16_t lane = lane_of(nodes, name);
        if (lane == kNone) known = false;
        else band.side[lane] = group;
      }
      ++group;
    }
  }
  return known;
}

TimelineLayout::TimelineLayout(const TraceDocument& doc)
    : lanes_(doc.nodes()),
      end_time_(doc.end_time()),
      segments_(doc.nodes().size()),
      lane_events_(doc.nodes().size()),
      open_crash_(doc.nodes().size(), kNone) {
  const auto& events = doc.events();
  event_times_.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) add_event(doc, static_cast<std::int32_t>(i));
  close_open_items();
  arrows_.reserve(doc.messages().size() + doc.messages().size() / 8);
  for (std::size_t m = 0; m < doc.messages().size(); ++m)
    add_message_arrows(doc, static_cast<std::int32_t>(m));
  index_arrows();
}

void TimelineLayout::add_event(const TraceDocument& doc, std::int32_t index) {
  const DocEvent& e = doc.events()[index];
  event_times_.push_back(e.time);
  end_time_ = std::max(end_time_, e.time);
  const bool on_lane = e.node >= 0 && static_cast<std::size_t>(e.node) < lanes_.size();
  if (on_lane) lane_events_[e.node].push_back(index);
  switch (e.kind) {
    case EventKind::observe:
      if (on_lane && e.phase != kNone) {
        auto& lane = segments_[e.node];
        if (!lane.empty()) lane.back().end_us = e.time;
        // Two phase changes at one instant: the later one is what the node is in.
        if (!lane.empty() && lane.back().begin_us == e.time) lane.pop_back();
        lane.push_back({e.time, e.time, e.phase, e.tx, index});
      }
      break;
    case EventKind::crash:
      if (on_lane && open_crash_[e.node] == kNone) {
        open_crash_[e.node] = static_cast<std::int32_t>(crashes_.size());
        crashes_.push_back({e.node, e.time, e.time, index, kNone});
      }
      break;
    case EventKind::recover:
      if (on_lane && open_crash_[e.node] != kNone) {
        CrashSpan& span = crashes_[open_crash_[e.node]];
        span.end_us = e.time;
        span.recover_event = index;
        open_crash_[e.node] = kNone;
      }
      break;
    case EventKind::partition:
    case EventKind::heal:
      if (!partitions_.empty() && partitions_.back().end_us < 0) partitions_.back().end_us = e.time;
      if (e.kind == EventKind::partition) {
        PartitionBand band;
        band.begin_us = e.time;
        band.end_us = -1;  // open until the next partition/heal
        band.event = index;
        band.detail = doc.text(e.text);
        parse_partition_detail(band.detail, lanes_, band);
        partitions_.push_back(std::move(band));
      }
      break;
    case EventKind::request:
      if (on_lane) marks_.push_back({e.time, e.node, MarkKind::request, index});
      break;
    case EventKind::timer:
      if (on_lane) marks_.push_back({e.time, e.node, MarkKind::timer, index});
      break;
    case EventKind::violation: {
      // The violation belongs to the node whose event at this instant broke the invariant.
      std::int16_t lane = kNone;
      for (std::int32_t j = index - 1; j >= 0 && doc.events()[j].time == e.time; --j)
        if (doc.events()[j].node != kNone) {
          lane = doc.events()[j].node;
          break;
        }
      const Mark mark{e.time, lane, MarkKind::violation, index};
      marks_.push_back(mark);
      violations_.push_back(mark);
      break;
    }
    default:
      break;
  }
}

void TimelineLayout::close_open_items() {
  for (auto& lane : segments_)
    if (!lane.empty()) lane.back().end_us = end_time_;
  for (std::int32_t open : open_crash_)
    if (open != kNone) crashes_[open].end_us = end_time_;
  if (!partitions_.empty() && partitions_.back().end_us < 0) partitions_.back().end_us = end_time_;
}

void TimelineLayout::add_message_arrows(const TraceDocument& doc, std::int32_t message_index) {
  const DocMessage& m = doc.messages()[message_index];
  if (m.send == kNone || m.from == kNone || m.to == kNone) return;  // cannot place its start
  const auto& events = doc.events();
  Arrow arrow;
  arrow.send_us = events[m.send].time;
  arrow.from_lane = m.from;
  arrow.to_lane = m.to;
  arrow.message = message_index;
  arrow.send_event = m.send;
  for (std::size_t k = 0; k < m.deliveries.size(); ++k) {
    arrow.end = k == 0 ? ArrowEnd::delivered : ArrowEnd::duplicate;
    arrow.end_event = m.deliveries[k];
    arrow.end_us = events[m.deliveries[k]].time;
    arrows_.push_back(arrow);
  }
  if (m.drop != kNone) {
    arrow.end = ArrowEnd::dropped;
    arrow.end_event = m.drop;
    arrow.end_us = events[m.drop].time;
    arrows_.push_back(arrow);
  }
  if (m.deliveries.empty() && m.drop == kNone) {
    arrow.end = ArrowEnd::in_flight;
    arrow.end_event = kNone;
    arrow.end_us = end_time_;
    arrows_.push_back(arrow);
  }
}

void TimelineLayout::index_arrows() {
  std::sort(arrows_.begin(), arrows_.end(), [](const Arrow& a, const Arrow& b) {
    return std::tie(a.send_us, a.end_us, a.message) < std::tie(b.send_us, b.end_us, b.message);
  });
  arrow_block_end_max_.assign((arrows_.size() + kArrowBlock - 1) / kArrowBlock, 0);
  for (std::size_t i = 0; i < arrows_.size(); ++i) {
    std::int64_t& block_max = arrow_block_end_max_[i / kArrowBlock];
    block_max = std::max(block_max, arrows_[i].end_us);
  }
}

std::vector<std::int32_t> TimelineLayout::arrows_in(std::int64_t t0, std::int64_t t1) const {
  std::vector<std::int32_t> out;
  // Arrows sent after t1 cannot meet the window; among the rest, a block whose latest end is
  // before t0 holds none.
  const auto stop = std::upper_bound(arrows_.begin(), arrows_.end(), t1,
                                     [](std::int64_t t, const Arrow& a) { return t < a.send_us; }) -
                    arrows_.begin();
  for (std::size_t block = 0; block * kArrowBlock < static_cast<std::size_t>(stop); ++block) {
    if (arrow_block_end_max_[block] < t0) continue;
    const std::size_t last = std::min<std::size_t>((block + 1) * kArrowBlock, stop);
    for (std::size_t i = block * kArrowBlock; i < last; ++i)
      if (arrows_[i].end_us >= t0) out.push_back(static_cast<std::int32_t>(i));
  }
  return out;
}

std::size_t TimelineLayout::count_arrows_in(std::int64_t t0, std::int64_t t1) const {
  const auto stop = std::upper_bound(arrows_.begin(), arrows_.end(), t1,
                                     [](std::int64_t t, const Arrow& a) { return t < a.send_us; }) -
                    arrows_.begin();
  std::size_t count = 0;
  for (std::size_t block = 0; block * kArrowBlock < static_cast<std::size_t>(stop); ++block) {
    if (arrow_block_end_max_[block] < t0) continue;
    const std::size_t last = std::min<std::size_t>((block + 1) * kArrowBlock, stop);
    for (std::size_t i = block * kArrowBlock; i < last; ++i) count += arrows_[i].end_us >= t0;
  }
  return count;
}

std::vector<ArrowBucket> TimelineLayout::arrow_buckets(std::int64_t t0, std::int64_t t1,
                                                       int columns) const {
  columns = std::max(columns, 1);
  const std::size_t lanes = std::max<std::size_t>(lanes_.size(), 1);
  // A flat grid, column-major then (from, to): no allocation per arrow, output in column order.
  std::vector<ArrowBucket> grid(static_cast<std::size_t>(columns) * lanes * lanes);
  const double span_us = static_cast<double>(std::max<std::int64_t>(t1 - t0, 1));
  for (std::int32_t i : arrows_in(t0, t1)) {
    const Arrow& a = arrows_[i];
    const auto column = static_cast<std::int32_t>(std::clamp(
        (static_cast<double>(std::max(a.send_us, t0) - t0) / span_us) * columns, 0.0,
        static_cast<double>(columns - 1)));
    ArrowBucket& b = grid[(static_cast<std::size_t>(column) * lanes + a.from_lane) * lanes +
                          a.to_lane];
    b.column = column;
    b.from_lane = a.from_lane;
    b.to_lane = a.to_lane;
    b.mean_duration_us += a.end_us - a.send_us;  // a sum until the loop below
    ++b.count;
    b.dropped += a.end == ArrowEnd::dropped;
  }
  std::vector<ArrowBucket> out;
  for (ArrowBucket& b : grid) {
    if (b.count == 0) continue;
    b.mean_duration_us /= b.count;
    out.push_back(b);
  }
  return out;
}

std::span<const PhaseSegment> TimelineLayout::segments_in(std::size_t lane, std::int64_t t0,
                                                          std::int64_t t1) const {
  const auto& all = segments_[lane];
  const auto first = std::lower_bound(all.begin(), all.end(), t0, [](const PhaseSegment& s,
                                                                     std::int64_t t) {
    return s.end_us < t;
  });
  const auto last = std::upper_bound(first, all.end(), t1, [](std::int64_t t,
                                                              const PhaseSegment& s) {
    return t < s.begin_us;
  });
  return {first, last};
}

std::vector<PhaseSegment> TimelineLayout::sampled_segments(std::size_t lane, std::int64_t t0,
                                                           std::int64_t t1,
                                                           std::int64_t step_us) const {
  const std::span<const PhaseSegment> visible = segments_in(lane, t0, t1);
  std::vector<PhaseSegment> out;
  step_us = std::max<std::int64_t>(step_us, 1);
  // Each sample starts in a later step column than the one before, so there are at most
  // (t1 - t0) / step_us + 2 of them; segments narrower than a step are skipped.
  std::size_t i = 0;
  std::int64_t floor_us = t0;  // the next sample starts no earlier
  while (i < visible.size()) {
    PhaseSegment sample = visible[i];
    sample.begin_us = std::max(sample.begin_us, floor_us);
    if (!out.empty())  // the previous sample covers the skipped ones
      out.back().end_us = std::max(out.back().end_us, std::min(sample.begin_us, floor_us));
    out.push_back(sample);
    const std::int64_t column = (sample.begin_us - t0) / step_us;
    floor_us = t0 + (column + 1) * step_us;
    // Next: the segment in force at floor_us if it outlasts it, else the first one after.
    const auto after = std::upper_bound(visible.begin() + i + 1, visible.end(), floor_us,
                                        [](std::int64_t t, const PhaseSegment& s) {
                                          return t < s.begin_us;
                                        });
    const auto j = static_cast<std::size_t>(after - visible.begin());
    i = (j - 1 > i && visible[j - 1].end_us > floor_us) ? j - 1 : j;
  }
  return out;
}

std::span<const Mark> TimelineLayout::marks_in(std::int64_t t0, std::int64_t t1) const {
  const auto first = std::lower_bound(marks_.begin(), marks_.end(), t0,
                                      [](const Mark& m, std::int64_t t) { return m.time_us < t; });
  const auto last = std::upper_bound(first, marks_.end(), t1,
                                     [](std::int64_t t, const Mark& m) { return t < m.time_us; });
  return {first, last};
}

std::vector<Mark> TimelineLayout::sampled_marks(std::int64_t t0, std::int64_t t1,
                                                std::int64_t step_us) const {
  step_us = std::max<std::int64_t>(step_us, 1);
  std::vector<Mark> out;
  // Last column used per (lane, kind); violations are never thinned out.
  std::map<std::pair<std::int16_t, MarkKind>, std::int64_t> last_column;
  for (const Mark& m : marks_in(t0, t1)) {
    if (m.kind == MarkKind::violation) {
      out.push_back(m);
      continue;
    }
    const std::int64_t column = (m.time_us - t0) / step_us;
    auto [it, fresh] = last_column.try_emplace({m.lane, m.kind}, column);
    if (!fresh && it->second == column) continue;
    it->second = column;
    out.push_back(m);
  }
  return out;
}

std::int32_t TimelineLayout::nearest_event(std::size_t lane, std::int64_t time_us,
                                           std::int64_t tolerance_us) const {
  if (lane >= lane_events_.size()) return kNone;
  const auto& events = lane_events_[lane];
  const auto it = std::lower_bound(events.begin(), events.end(), time_us,
                                   [&](std::int32_t e, std::int64_t t) {
                                     return event_times_[e] < t;
                                   });
  std::int32_t best = kNone;
  std::int64_t best_distance = tolerance_us + 1;
  // The first event at or after time_us, and the last event before it.
  if (it != events.end() && event_times_[*it] - time_us < best_distance) {
    best = *it;
    best_distance = event_times_[*it] - time_us;
  }
  if (it != events.begin() && time_us - event_times_[*(it - 1)] < best_distance) best = *(it - 1);
  return best;
}

std::int32_t TimelineLayout::first_event_at_or_after(std::int64_t time_us) const {
  return static_cast<std::int32_t>(
      std::lower_bound(event_times_.begin(), event_times_.end(), time_us) - event_times_.begin());
}

}  // namespace txsim::report
