// Sweep: runs one scenario over a range of seeds on N threads and aggregates the verdicts.
//
// Determinism: each seed's run is independent and results are folded in seed order after all
// threads finish, so the summary is identical for any thread count. Memory is bounded: only
// the per-seed numbers needed for percentiles are kept (a few integers per run).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/run_result.h"
#include "sim/runner.h"
#include "sim/scenario.h"

namespace txsim {

struct Percentiles {
  std::int64_t p50 = 0, p99 = 0, max = 0;
  std::size_t count = 0;
};
Percentiles percentiles(std::vector<std::int64_t> values);  // nearest-rank

struct SweepSummary {
  std::uint64_t seed_first = 0, seed_last = 0, runs = 0;
  std::map<std::string, std::uint64_t> outcomes;      // "commit" -> count (per transaction)
  struct Broken {
    std::uint64_t runs = 0;
    std::uint64_t first_seed = 0;
  };
  std::map<std::string, Broken> violations;           // invariant id -> runs that broke it
  std::uint64_t blocked_runs = 0, expectation_misses = 0;
  std::optional<std::uint64_t> first_miss_seed;
  Percentiles decision_latency_us;   // submit -> every participant knows
  Percentiles in_doubt_us;           // per participant and transaction, when > 0
  Percentiles decision_hops;         // message delays, submit -> first decision
  double messages_per_tx = 0;
  // Every value behind the percentiles above, in seed order (only with keep_samples): what a
  // histogram needs (reports/sweep_summary.h).
  std::vector<std::int64_t> decision_latency_samples_us, in_doubt_samples_us;
};

struct SweepOptions {
  std::uint64_t seed_first = 1, seed_last = 100;
  unsigned threads = 1;
  // Called from worker threads with the number of runs finished; may be empty.
  std::function<void(std::uint64_t done)> progress;
  bool keep_samples = false;  // fill SweepSummary's *_samples_us
  // Polled before each run (may be null): when it turns true, no further run starts and the
  // sweep returns the error "cancelled".
  const std::atomic<bool>* cancel = nullptr;
};

Result<SweepSummary> sweep(const Scenario& sc, RunFn run, const SweepOptions& opt);

}  // namespace txsim
