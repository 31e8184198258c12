// capture_run / capture_check: a run and a counterexample reach the viewers as documents that
// hold exactly what the trace files would, and a cancelled run stops.
#include "reports/run_capture.h"

#include <gtest/gtest.h>

#include "protocols/scenario_files.h"

namespace txsim::report {
namespace {

Scenario scenario(const std::string& rel) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) + "/scenarios/" + rel);
  EXPECT_TRUE(sc) << sc.error().message;
  return *sc;
}

TEST(RunCapture, RunGivesTheTraceAndTheVerdict) {
  const Scenario sc = scenario("two_phase/coordinator-crash-after-prepare.yaml");
  auto run = capture_run(sc, *find_protocol("two_phase"), 1);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->trace.protocol(), "two_phase");
  EXPECT_TRUE(run->trace.has_states());
  EXPECT_EQ(run->trace.nodes().size(), 4u);
  EXPECT_NE(run->verdict_text.find("Verdict: as expected"), std::string::npos);
  EXPECT_EQ(run->result.crashes, 1u);
  std::size_t crashes = 0;
  for (const DocEvent& e : run->trace.events()) crashes += e.kind == EventKind::crash;
  EXPECT_EQ(crashes, 1u);
}

TEST(RunCapture, ACancelledRunStops) {
  const Scenario sc = scenario("two_phase/happy-path.yaml");
  std::atomic<bool> cancel{true};
  auto run = capture_run(sc, *find_protocol("two_phase"), 1, &cancel);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().message, "cancelled");
}

TEST(RunCapture, CheckGivesTheCounterexampleAsATrace) {
  const Scenario sc = scenario("two_phase/check-broken-log-order.yaml");
  check::CheckOptions o;
  auto c = capture_check(sc, *find_protocol("two_phase"), o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->report.verdict(), "violation");
  ASSERT_TRUE(c->counterexample.has_value());
  const TraceDocument& d = *c->counterexample;
  EXPECT_TRUE(d.has_schedule());
  ASSERT_EQ(d.violations().size(), 1u);
  EXPECT_EQ(d.label(d.events()[d.violations()[0]].label), c->report.invariant());
  EXPECT_NE(c->report_text.find("distinct states"), std::string::npos);
}

}  // namespace
}  // namespace txsim::report
