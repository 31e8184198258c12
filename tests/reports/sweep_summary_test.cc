// sweep_protocols() / protocol_sweep(): the comparison charts' input, from real sweeps.
#include "reports/sweep_summary.h"

#include <gtest/gtest.h>

#include "protocols/registry.h"
#include "protocols/scenario_files.h"
#include "sim/sweep.h"

namespace txsim::report {
namespace {

TEST(SweepSummary, ConvertsOutcomesViolationsAndSamples) {
  SweepSummary s;
  s.runs = 4;
  s.outcomes = {{"commit", 5}, {"abort", 2}, {"undecided", 1}};
  s.violations["AC1"] = {3, 7};
  s.blocked_runs = 1;
  s.decision_latency_samples_us = {10, 20};
  s.in_doubt_samples_us = {5};
  const ProtocolSweep p = protocol_sweep("two_phase", s);
  EXPECT_EQ(p.protocol, "two_phase");
  EXPECT_EQ(p.runs, 4u);
  EXPECT_EQ(p.committed, 5u);
  EXPECT_EQ(p.aborted, 2u);
  EXPECT_EQ(p.undecided, 1u);
  EXPECT_EQ(p.mixed, 0u);
  EXPECT_EQ(p.violations.at("AC1"), 3u);
  EXPECT_EQ(p.blocked_runs, 1u);
  EXPECT_EQ(p.decision_latency_us, (std::vector<std::int64_t>{10, 20}));
  EXPECT_EQ(p.in_doubt_us, (std::vector<std::int64_t>{5}));
}

TEST(SweepSummary, ACancelledSweepStopsAndSaysSo) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) + "/scenarios/compare/lossy-network.yaml");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  std::atomic<bool> cancel{false};
  std::uint64_t runs = 0;
  auto progress = [&](std::size_t, std::uint64_t done) {
    runs = done;
    if (done == 3) cancel = true;
  };
  auto r = sweep_protocols(*sc, 1, 1000, 1, progress, &cancel);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cancelled");
  EXPECT_EQ(runs, 3u);  // one thread: the run after the third never started
}

TEST(SweepSummary, SweepsEveryProtocolOfAComparison) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) + "/scenarios/compare/lossy-network.yaml");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  auto r = sweep_protocols(*sc, 1, 4, 2);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->protocols.size(), sc->protocols.size());
  for (std::size_t i = 0; i < r->protocols.size(); ++i) {
    const ProtocolSweep& p = r->protocols[i];
    EXPECT_EQ(p.protocol, sc->protocols[i]);
    EXPECT_EQ(p.runs, 4u);
    EXPECT_EQ(p.committed + p.aborted + p.undecided + p.mixed, 4 * sc->transactions.size());
    EXPECT_LE(p.decision_latency_us.size(), 4 * sc->transactions.size());
    EXPECT_FALSE(p.decision_latency_us.empty()) << p.protocol;
    // The samples are the very ones `txsim sweep` takes its percentiles of.
    SweepOptions opt;
    opt.seed_first = 1;
    opt.seed_last = 4;
    auto again = sweep(*sc, find_protocol(p.protocol)->run, opt);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->decision_latency_us.count, p.decision_latency_us.size());
    EXPECT_EQ(again->in_doubt_us.count, p.in_doubt_us.size());
  }
}

}  // namespace
}  // namespace txsim::report
