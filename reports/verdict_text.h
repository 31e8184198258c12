// The verdict block `txsim run` prints after the timeline, and the `--json` summary.
// Both read only the RunResult and the scenario's names.
#pragma once

#include <cstdio>
#include <string>

#include "sim/run_result.h"
#include "sim/scenario.h"

namespace txsim {

// Outcome per transaction, each invariant with the explanation of any that broke, time in
// doubt per participant, message counts, and whether the scenario's expectation was met.
void print_verdict(std::FILE* out, const Scenario& sc, const RunResult& r);

// One JSON object: outcomes, invariant results, blocking times, message counts, expectation.
std::string run_summary_json(const Scenario& sc, const RunResult& r);

}  // namespace txsim
