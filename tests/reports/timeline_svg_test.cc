// TimelineSvg: the sample trace's marks all appear, once each, in a well-formed document; big
// windows are bundled instead of drawn arrow by arrow.
#include "reports/timeline_svg.h"

#include <gtest/gtest.h>

#include "tests/reports/timeline_sample_trace.h"

namespace txsim::report {
namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

TEST(TimelineSvg, DrawsEveryMarkOfTheSample) {
  auto doc = TraceDocument::parse(testing::kSampleTrace, "sample.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  const TimelineLayout layout(*doc);
  const std::string svg = render_timeline_svg(*doc, layout);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(occurrences(svg, "class=\"arrow delivered\""), 4u);
  EXPECT_EQ(occurrences(svg, "class=\"arrow duplicate\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"arrow dropped\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"arrow in-flight\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"drop-cross\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"segment\""), 5u);
  EXPECT_EQ(occurrences(svg, "class=\"crash\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"partition\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"timer\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"request\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"violation\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"lane-name\""), 4u);
  EXPECT_NE(svg.find(">P3</text>"), std::string::npos);
  EXPECT_NE(svg.find("AC1: t1: C decided commit but P2 decided abort"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "<g"), occurrences(svg, "</g>"));
  EXPECT_EQ(svg.find("arrow-bundle"), std::string::npos);
  // The partition label's braces and the arrow titles' "->" are escaped or harmless.
  EXPECT_EQ(svg.find("->"), std::string::npos);
}

TEST(TimelineSvg, WindowShowsOnlyItsArrows) {
  auto doc = TraceDocument::parse(testing::kSampleTrace, "sample.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  const TimelineLayout layout(*doc);
  SvgOptions window;
  window.begin_us = 3800;
  window.end_us = 4500;
  const std::string svg = render_timeline_svg(*doc, layout, window);
  // Meeting [3.8, 4.5] ms: Vote #4 (1 -> 4 ms) and the dropped Prepare? No: it ended at 3.5 ms.
  EXPECT_EQ(occurrences(svg, "class=\"arrow delivered\""), 1u);
  EXPECT_EQ(occurrences(svg, "class=\"arrow dropped\""), 0u);
  EXPECT_EQ(occurrences(svg, "class=\"violation\""), 0u);
}

TEST(TimelineSvg, BundlesArrowsWhenTooMany) {
  auto doc = TraceDocument::parse(testing::random_trace(20000, 4, 3), "random.jsonl");
  ASSERT_TRUE(doc) << doc.error().message;
  const TimelineLayout layout(*doc);
  SvgOptions options;
  options.width_px = 800;
  const std::string svg = render_timeline_svg(*doc, layout, options);
  EXPECT_EQ(svg.find("class=\"arrow delivered\""), std::string::npos);
  const std::size_t bundles = occurrences(svg, "class=\"arrow-bundle\"");
  EXPECT_GT(bundles, 100u);
  EXPECT_LE(bundles, (800u / 4) * 12);  // columns x lane pairs
  EXPECT_LT(svg.size(), 2'000'000u);
}

}  // namespace
}  // namespace txsim::report
