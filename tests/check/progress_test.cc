// The progress callback: called from one thread, paced by progress_period_ms, with counts that
// only grow.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "sim/check/explore.h"
#include "tests/check/toy_models.h"

namespace txsim::check {
namespace {

class ProgressReports : public ::testing::TestWithParam<std::pair<Strategy, unsigned>> {};
INSTANTIATE_TEST_SUITE_P(StrategiesAndThreads, ProgressReports,
                         ::testing::Values(std::pair{Strategy::bfs, 1u},
                                           std::pair{Strategy::bfs, 2u},
                                           std::pair{Strategy::dfs, 1u},
                                           std::pair{Strategy::random_walk, 2u}));

TEST_P(ProgressReports, FromOneThreadWithGrowingCounts) {
  toy::Grid grid;
  grid.n = 400;
  CheckOptions options;
  options.strategy = GetParam().first;
  options.threads = GetParam().second;
  options.walks = 1000;
  options.progress_period_ms = 0;  // report at every poll
  std::mutex mutex;
  std::vector<Progress> reports;
  std::set<std::thread::id> callers;
  options.progress = [&](const Progress& p) {
    std::lock_guard lock(mutex);
    reports.push_back(p);
    callers.insert(std::this_thread::get_id());
  };
  const CheckResult<toy::Grid> r = explore(grid, options);
  ASSERT_GT(reports.size(), 2u);
  EXPECT_EQ(callers.size(), 1u);
  for (std::size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].distinct_states, reports[i - 1].distinct_states);
    EXPECT_GE(reports[i].states_generated, reports[i - 1].states_generated);
    EXPECT_GE(reports[i].seconds, reports[i - 1].seconds);
  }
  if (options.strategy != Strategy::random_walk) {  // there: a sum over per-thread sets
    EXPECT_LE(reports.back().distinct_states, r.distinct_states);
  }
  EXPECT_LE(reports.back().states_generated, r.states_generated);
  EXPECT_GT(reports.back().memory_bytes, 0u);
}

TEST(Progress, NotCalledWithinTheFirstPeriod) {
  toy::Grid grid;
  grid.n = 50;
  CheckOptions options;
  int calls = 0;
  options.progress = [&](const Progress&) { ++calls; };
  explore(grid, options);  // a few milliseconds, well within a second
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace txsim::check
