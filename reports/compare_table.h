// Side-by-side tables: one scenario (same workload, same fault script) run against several
// protocols, compared on the figures a student compares them on.
//
// Why a report of its own: the per-protocol verdict (verdict_text.h) answers "did this
// protocol behave?"; this answers "how do they differ?" — outcome per transaction, invariants
// broken, messages per transaction, message delays to the decision (Gray & Lamport's latency
// measure), time in doubt and time holding locks. Reads only RunResult / SweepSummary.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "sim/run_result.h"
#include "sim/scenario.h"
#include "sim/sweep.h"

namespace txsim {

// One row per protocol (the runs in scenario order), then the outcome of each transaction.
void print_run_comparison(std::FILE* out, const Scenario& sc, const std::vector<RunResult>& runs);

// One row per protocol, over a seed range.
void print_sweep_comparison(std::FILE* out, const Scenario& sc,
                            const std::vector<std::pair<std::string, SweepSummary>>& sweeps);

}  // namespace txsim
