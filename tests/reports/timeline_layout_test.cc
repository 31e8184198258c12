// TimelineLayout: every mark of a hand-written trace lands where it should (lanes, arrows and
// their ends, segments, crash span, partition band and sides, violation), and the fast window
// queries agree with brute force on a large random trace.
#include "reports/timeline_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "reports/phase_palette.h"
#include "tests/reports/timeline_sample_trace.h"

namespace txsim::report {
namespace {

TraceDocument sample() {
  auto doc = TraceDocument::parse(testing::kSampleTrace, "sample.jsonl");
  EXPECT_TRUE(doc) << doc.error().message;
  return std::move(doc.value());
}

int count_ends(const TimelineLayout& layout, ArrowEnd end) {
  return static_cast<int>(std::count_if(layout.arrows().begin(), layout.arrows().end(),
                                        [&](const Arrow& a) { return a.end == end; }));
}

TEST(TimelineLayout, LanesAndArrows) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  EXPECT_EQ(layout.lane_count(), 4u);
  EXPECT_EQ(layout.lanes()[3].name, "P3");
  EXPECT_EQ(layout.end_time(), 10000);
  ASSERT_EQ(layout.arrows().size(), 7u);  // 6 messages, #2 delivered twice
  EXPECT_EQ(count_ends(layout, ArrowEnd::delivered), 4);
  EXPECT_EQ(count_ends(layout, ArrowEnd::duplicate), 1);
  EXPECT_EQ(count_ends(layout, ArrowEnd::dropped), 1);
  EXPECT_EQ(count_ends(layout, ArrowEnd::in_flight), 1);
  for (std::size_t i = 1; i < layout.arrows().size(); ++i)
    EXPECT_LE(layout.arrows()[i - 1].send_us, layout.arrows()[i].send_us);
}

TEST(TimelineLayout, DropDuplicateAndInFlightEnds) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  for (const Arrow& a : layout.arrows()) {
    const std::uint64_t id = doc.messages()[a.message].id;
    if (a.end == ArrowEnd::dropped) {
      EXPECT_EQ(id, 3u);
      EXPECT_EQ(a.from_lane, 0);
      EXPECT_EQ(a.to_lane, 3);
      EXPECT_EQ(a.end_us, 3500);  // the cross sits at the drop time
      EXPECT_EQ(a.end_event, 13);
    }
    if (a.end == ArrowEnd::duplicate) {
      EXPECT_EQ(id, 2u);
      EXPECT_EQ(a.end_us, 2500);
    }
    if (a.end == ArrowEnd::in_flight) {
      EXPECT_EQ(id, 6u);
      EXPECT_EQ(a.end_us, 10000);  // open to the end of the trace
      EXPECT_EQ(a.end_event, kNone);
    }
  }
}

TEST(TimelineLayout, PhaseSegmentsPerLane) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  const auto& c = layout.segments(0);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(doc.phase_name(c[0].phase), "collecting");
  EXPECT_EQ(c[0].begin_us, 0);
  EXPECT_EQ(c[0].end_us, 6000);
  EXPECT_EQ(doc.phase_name(c[1].phase), "committed");
  EXPECT_EQ(c[1].end_us, 10000);
  EXPECT_EQ(doc.tx_name(c[1].tx), "t1");
  const auto& p2 = layout.segments(2);
  ASSERT_EQ(p2.size(), 2u);
  EXPECT_EQ(p2[0].begin_us, 2000);
  EXPECT_EQ(p2[1].begin_us, 7000);
  EXPECT_EQ(doc.phase_name(p2[1].phase), "aborted");
  EXPECT_TRUE(layout.segments(3).empty());
}

TEST(TimelineLayout, CrashSpanAndPartitionBand) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  ASSERT_EQ(layout.crashes().size(), 1u);
  const CrashSpan& crash = layout.crashes()[0];
  EXPECT_EQ(crash.lane, 1);
  EXPECT_EQ(crash.begin_us, 4000);
  EXPECT_EQ(crash.end_us, 7000);
  EXPECT_EQ(crash.recover_event, 21);

  ASSERT_EQ(layout.partitions().size(), 1u);
  const PartitionBand& band = layout.partitions()[0];
  EXPECT_EQ(band.begin_us, 3000);
  EXPECT_EQ(band.end_us, 6000);  // closed by the heal
  EXPECT_EQ(band.side, (std::vector<std::int8_t>{1, 1, 1, 0}));
  EXPECT_EQ(band.detail, "{P3} | {C, P1, P2}");
}

TEST(TimelineLayout, PartitionDetailWithCutsAndUnknownNames) {
  const std::vector<DocNode> nodes{{"C", ""}, {"P1", ""}, {"P2", ""}};
  PartitionBand band;
  EXPECT_TRUE(parse_partition_detail("{P1} | {C, P2}; cut P2 -> C", nodes, band));
  EXPECT_EQ(band.side, (std::vector<std::int8_t>{1, 0, 1}));
  ASSERT_EQ(band.cuts.size(), 1u);
  EXPECT_EQ(band.cuts[0], (std::pair<std::int16_t, std::int16_t>{2, 0}));
  EXPECT_TRUE(parse_partition_detail("cut C -> P1", nodes, band));
  EXPECT_EQ(band.side, (std::vector<std::int8_t>{-1, -1, -1}));
  EXPECT_FALSE(parse_partition_detail("{P9} | {C}", nodes, band));
}

TEST(TimelineLayout, ViolationMarkerSitsOnTheLaneThatBrokeIt) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  ASSERT_EQ(layout.violations().size(), 1u);
  const Mark& v = layout.violations()[0];
  EXPECT_EQ(v.time_us, 7000);
  EXPECT_EQ(v.lane, 2);  // P2's abort at 7 ms broke AC1
  EXPECT_EQ(v.event, 23);
  EXPECT_EQ(doc.label(doc.events()[v.event].label), "AC1");
  const auto marks = layout.marks();
  ASSERT_EQ(marks.size(), 3u);  // request, timer, violation
  EXPECT_EQ(marks[0].kind, MarkKind::request);
  EXPECT_EQ(marks[1].kind, MarkKind::timer);
  EXPECT_EQ(marks[1].lane, 2);
}

TEST(TimelineLayout, NearestEventAndTimeLookup) {
  const TraceDocument doc = sample();
  const TimelineLayout layout(doc);
  EXPECT_EQ(layout.nearest_event(3, 3400, 200), 13);  // P3's drop at 3.5 ms
  EXPECT_EQ(layout.nearest_event(3, 1000, 200), kNone);
  EXPECT_EQ(layout.first_event_at_or_after(4000), 14);
  EXPECT_EQ(layout.first_event_at_or_after(99999), 25);
}

TEST(TimelineLayout, WindowQueriesAgreeWithBruteForce) {
  auto doc = TraceDocument::parse(testing::random_trace(20000, 5, 42), "random.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  const TimelineLayout layout(*doc);
  ASSERT_GT(layout.arrows().size(), 20000u);
  const std::pair<std::int64_t, std::int64_t> windows[] = {
      {0, 100}, {50000, 51000}, {123456, 160000}, {0, layout.end_time()}, {1999000, 2100000}};
  for (const auto& [t0, t1] : windows) {
    std::vector<std::int32_t> expected;
    for (std::size_t i = 0; i < layout.arrows().size(); ++i) {
      const Arrow& a = layout.arrows()[i];
      if (a.send_us <= t1 && a.end_us >= t0) expected.push_back(static_cast<std::int32_t>(i));
    }
    EXPECT_EQ(layout.arrows_in(t0, t1), expected) << t0 << ".." << t1;
    EXPECT_EQ(layout.count_arrows_in(t0, t1), expected.size());
    for (std::size_t lane = 0; lane < layout.lane_count(); ++lane) {
      std::size_t brute = 0;
      for (const PhaseSegment& s : layout.segments(lane)) brute += s.begin_us <= t1 && s.end_us >= t0;
      EXPECT_EQ(layout.segments_in(lane, t0, t1).size(), brute);
    }
    std::size_t marks = 0;
    for (const Mark& m : layout.marks()) marks += m.time_us >= t0 && m.time_us <= t1;
    EXPECT_EQ(layout.marks_in(t0, t1).size(), marks);
  }
}

TEST(TimelineLayout, AggregationIsBoundedByColumns) {
  auto doc = TraceDocument::parse(testing::random_trace(50000, 4, 7), "random.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  const TimelineLayout layout(*doc);
  const std::int64_t end = layout.end_time();
  const int columns = 300;
  const auto buckets = layout.arrow_buckets(0, end, columns);
  const std::size_t pairs = layout.lane_count() * (layout.lane_count() - 1);
  EXPECT_LE(buckets.size(), columns * pairs);
  std::uint64_t total = 0;
  std::set<std::int32_t> used_columns;
  for (const ArrowBucket& b : buckets) {
    total += b.count;
    used_columns.insert(b.column);
    EXPECT_GE(b.column, 0);
    EXPECT_LT(b.column, columns);
  }
  EXPECT_EQ(total, layout.arrows().size());  // nothing lost, nothing counted twice
  EXPECT_GT(used_columns.size(), columns / 2u);
  const std::int64_t step = end / columns;
  for (std::size_t lane = 0; lane < layout.lane_count(); ++lane) {
    const auto sampled = layout.sampled_segments(lane, 0, end, step);
    EXPECT_LE(sampled.size(), static_cast<std::size_t>(columns) + 2);
    EXPECT_GT(layout.segments(lane).size(), sampled.size());
    for (std::size_t i = 1; i < sampled.size(); ++i)
      EXPECT_LE(sampled[i - 1].end_us, sampled[i].begin_us);
  }
  const auto marks = layout.sampled_marks(0, end, step);
  EXPECT_LE(marks.size(), columns * layout.lane_count() * 3 + layout.violations().size());
}

TEST(PhasePalette, FamiliesAndHexColours) {
  EXPECT_EQ(phase_family("prepared"), PhaseFamily::uncertain);
  EXPECT_EQ(phase_family("tried"), PhaseFamily::uncertain);
  EXPECT_EQ(phase_family("precommitted"), PhaseFamily::almost);
  EXPECT_EQ(phase_family("confirmed"), PhaseFamily::committed);
  EXPECT_EQ(phase_family("compensated"), PhaseFamily::aborted);
  EXPECT_EQ(phase_family("null-cancelled"), PhaseFamily::degenerate);
  EXPECT_EQ(phase_family("no-such-phase"), PhaseFamily::neutral);
  EXPECT_EQ(to_hex(Rgb{255, 0, 16}), "#ff0010");
  EXPECT_NE(phase_colors("committed").fill, phase_colors("aborted").fill);
}

}  // namespace
}  // namespace txsim::report
