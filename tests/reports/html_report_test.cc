// The HTML report of a run holds the header, the violation, the timeline SVG and one table row
// per event, with text escaped.
#include "reports/html_report.h"

#include <gtest/gtest.h>

#include "protocols/scenario_files.h"
#include "reports/run_capture.h"

namespace txsim::report {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(HtmlReport, ACounterexampleShowsItsViolationTimelineAndEveryEvent) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) +
                          "/scenarios/two_phase/check-broken-log-order.yaml");
  ASSERT_TRUE(sc) << sc.error().message;
  auto c = capture_check(*sc, *find_protocol("two_phase"), check::CheckOptions{});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->counterexample);
  const TraceDocument& d = *c->counterexample;
  const std::string html = render_html_report(d);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<div class=\"violation\"><b>AC1</b>"), 1u);
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_EQ(count(html, "</svg>"), 1u);
  EXPECT_EQ(count(html, "<tr class="), d.events().size());
  EXPECT_NE(html.find("a model-checker counterexample"), std::string::npos);
}

TEST(HtmlReport, TheTableStopsWhereItIsToldAndSaysSo) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) + "/scenarios/two_phase/happy-path.yaml");
  ASSERT_TRUE(sc);
  auto run = capture_run(*sc, *find_protocol("two_phase"), 1);
  ASSERT_TRUE(run);
  HtmlOptions o;
  o.table_rows_max = 5;
  const std::string html = render_html_report(run->trace, o);
  EXPECT_EQ(count(html, "<tr class="), 5u);
  EXPECT_NE(html.find(std::to_string(run->trace.events().size() - 5) + " more events"),
            std::string::npos);
  EXPECT_NE(html.find("No invariant broke"), std::string::npos);
}

TEST(HtmlReport, EscapesMarkup) {
  EXPECT_EQ(html_escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
}

}  // namespace
}  // namespace txsim::report
