// TimelineLayout: the geometry of a space-time diagram of one trace, in abstract coordinates
// (x = true time in microseconds, y = lane index, one lane per node), so that the Qt widget and
// the SVG report draw the same picture and tests can check it without pixels.
//
// What it holds: message arrows (send -> each delivery; duplicate copies marked; a dropped
// message ends in a cross at the drop time; a message neither delivered nor dropped is still in
// flight at the end), phase segments per lane (from `observe phase`; with several transactions
// the most recently changed one wins and the segment names its tx), crash spans (crash ->
// recover, or to the end), partition bands (until the next partition or heal, with the side of
// every lane), and point marks (requests, timer firings, violations).
//
// Why the indexes: a million-event trace must stay fluid. Every item list is sorted by time and
// queried by binary search; arrows are sorted by send time with the maximum end time of each
// block of kArrowBlock arrows, so "arrows crossing [t0, t1]" skips whole blocks. When a window
// holds more than the eye can see, the `sampled_*` and `arrow_buckets` queries return at most
// about one item per pixel column, so a painter never draws more than a few thousand shapes.
//
// Invariants: segments of one lane are disjoint and sorted; arrows are sorted by (send, end);
// every item's times lie within [0, end_time()].
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reports/trace_document.h"

namespace txsim::report {

enum class ArrowEnd : std::uint8_t {
  delivered,  // the first delivery of a message
  duplicate,  // a further delivery of a copy the network made
  dropped,    // lost: ends in a cross at the drop time
  in_flight,  // neither delivered nor dropped by the end of the trace (open arrow)
};

struct Arrow {
  std::int64_t send_us = 0;
  std::int64_t end_us = 0;       // delivery, drop, or the trace's end
  std::int16_t from_lane = kNone;
  std::int16_t to_lane = kNone;
  ArrowEnd end = ArrowEnd::delivered;
  std::int32_t message = kNone;    // index into TraceDocument::messages()
  std::int32_t send_event = kNone;  // event index of the send (kNone: send not in the trace)
  std::int32_t end_event = kNone;   // event index of the deliver/drop line (kNone: in flight)
};

struct PhaseSegment {
  std::int64_t begin_us = 0;
  std::int64_t end_us = 0;  // the next phase change of the lane, or the end of the trace
  std::int32_t phase = kNone;  // index into TraceDocument::phases()
  std::int32_t tx = kNone;
  std::int32_t event = kNone;  // the observe line that started it
};

struct CrashSpan {
  std::int16_t lane = kNone;
  std::int64_t begin_us = 0;
  std::int64_t end_us = 0;     // the recovery, or the end of the trace
  std::int32_t crash_event = kNone;
  std::int32_t recover_event = kNone;  // kNone: never recovered
};

struct PartitionBand {
  std::int64_t begin_us = 0;
  std::int64_t end_us = 0;  // the next partition/heal event, or the end of the trace
  std::int32_t event = kNone;
  std::string detail;              // as written: "{P3} | {C, P1, P2}; cut P1 -> C"
  std::vector<std::int8_t> side;   // per lane: its group (0, 1, ...), or -1 if in no group
  std::vector<std::pair<std::int16_t, std::int16_t>> cuts;  // one-way cuts (from, to) lanes
};

enum class MarkKind : std::uint8_t { request, timer, violation };

struct Mark {
  std::int64_t time_us = 0;
  std::int16_t lane = kNone;  // a violation's lane is that of the event that broke it, if any
  MarkKind kind = MarkKind::timer;
  std::int32_t event = kNone;
};

// A bucket of arrows for zoomed-out views: all arrows from one lane to another sent within one
// column of time.
struct ArrowBucket {
  std::int32_t column = 0;
  std::int16_t from_lane = kNone;
  std::int16_t to_lane = kNone;
  std::uint32_t count = 0;
  std::uint32_t dropped = 0;
  std::int64_t mean_duration_us = 0;
};

// Parses a partition description into per-lane sides and cuts; lanes are matched by node name.
// Returns false (and leaves `band` partly filled) when a name is unknown.
bool parse_partition_detail(const std::string& detail, const std::vector<DocNode>& nodes,
                            PartitionBand& band);

class TimelineLayout {
 public:
  static constexpr std::size_t kArrowBlock = 64;

  TimelineLayout() = default;
  explicit TimelineLayout(const TraceDocument& doc);

  std::size_t lane_count() const { return lanes_.size(); }
  const std::vector<DocNode>& lanes() const { return lanes_; }
  std::int64_t end_time() const { return end_time_; }

  const std::vector<Arrow>& arrows() const { return arrows_; }
  const std::vector<PhaseSegment>& segments(std::size_t lane) const { return segments_[lane]; }
  const std::vector<CrashSpan>& crashes() const { return crashes_; }
  const std::vector<PartitionBand>& partitions() const { return partitions_; }
  const std::vector<Mark>& marks() const { return marks_; }   // sorted by time
  const std::vector<Mark>& violations() const { return violations_; }

  // Indices into arrows() of every arrow whose time span meets [t0, t1]. O(blocks + answer).
  std::vector<std::int32_t> arrows_in(std::int64_t t0, std::int64_t t1) const;
  // How many arrows meet [t0, t1], without listing them.
  std::size_t count_arrows_in(std::int64_t t0, std::int64_t t1) const;
  // Arrows meeting [t0, t1], bucketed by send time into `columns` equal columns and by lane pair.
  std::vector<ArrowBucket> arrow_buckets(std::int64_t t0, std::int64_t t1, int columns) const;

  // Segments of a lane meeting [t0, t1] (a sub-span of segments(lane)).
  std::span<const PhaseSegment> segments_in(std::size_t lane, std::int64_t t0,
                                            std::int64_t t1) const;
  // At most one segment per `step_us` of time: the one in force at each step. For zoomed-out views.
  std::vector<PhaseSegment> sampled_segments(std::size_t lane, std::int64_t t0, std::int64_t t1,
                                             std::int64_t step_us) const;
  // Marks (requests, timers, violations) within [t0, t1] (a sub-span of marks()).
  std::span<const Mark> marks_in(std::int64_t t0, std::int64_t t1) const;
  // Marks within [t0, t1], keeping at most one per (lane, kind, step_us column).
  std::vector<Mark> sampled_marks(std::int64_t t0, std::int64_t t1, std::int64_t step_us) const;

  // The event of `lane` nearest to `time_us` within `tolerance_us`, else kNone.
  std::int32_t nearest_event(std::size_t lane, std::int64_t time_us,
                             std::int64_t tolerance_us) const;
  // The event index of the first event at or after `time_us` (events().size() if none).
  std::int32_t first_event_at_or_after(std::int64_t time_us) const;
  std::int64_t event_time(std::int32_t event) const { return event_times_[event]; }

 private:
  void add_message_arrows(const TraceDocument& doc, std::int32_t message_index);
  void add_event(const TraceDocument& doc, std::int32_t index);
  void close_open_items();
  void index_arrows();

  std::vector<DocNode> lanes_;
  std::int64_t end_time_ = 0;
  std::vector<Arrow> arrows_;
  std::vector<std::int64_t> arrow_block_end_max_;  // per block of kArrowBlock arrows
  std::vector<std::vector<PhaseSegment>> segments_;
  std::vector<CrashSpan> crashes_;
  std::vector<PartitionBand> partitions_;
  std::vector<Mark> marks_;
  std::vector<Mark> violations_;
  std::vector<std::vector<std::int32_t>> lane_events_;  // per lane: its event indices, by time
  std::vector<std::int64_t> event_times_;               // per event
  std::vector<std::int32_t> open_crash_;                // per lane: index into crashes_, or kNone
};

}  // namespace txsim::report
