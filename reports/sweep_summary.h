// ProtocolSweep / CompareSummary: what the GUI's comparison charts draw - for each protocol of a
// scenario, every decision latency and time in doubt of a seed range (not just percentiles, so
// they can be binned), outcome counts and violation counts. A side-by-side comparison is the
// same thing over one seed.
//
// Why in reports/ and not in the widget: the numbers come from sim/sweep.h (the very sweep
// `txsim sweep` runs, asked to keep its samples), and a chart only draws them; this file is the
// adapter between the two, with no Qt in it.
//
// Invariants: protocols are in the scenario's `protocols:` order; per protocol, committed +
// aborted + undecided + mixed = transactions x runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/types.h"

// Not included: sim/sweep.h pulls in sim/simulator.h, whose `emit(...)` calls clash with Qt's
// `emit` macro in any GUI file that includes this header.
namespace txsim {
struct SweepSummary;
}

namespace txsim::report {

struct ProtocolSweep {
  std::string protocol;
  std::uint64_t runs = 0;
  std::vector<std::int64_t> decision_latency_us;  // per decided transaction
  std::vector<std::int64_t> in_doubt_us;          // per participant and transaction, when > 0
  // Outcomes per transaction (mixed: the participants disagreed, AC1 broke).
  std::uint64_t committed = 0, aborted = 0, undecided = 0, mixed = 0;
  std::map<std::string, std::uint64_t> violations;  // invariant id -> runs that broke it
  std::uint64_t blocked_runs = 0;
};

struct CompareSummary {
  std::string scenario;
  std::uint64_t seed_first = 0, seed_last = 0;
  std::vector<ProtocolSweep> protocols;
};

// The chart's view of one protocol's sweep (needs the summary's samples: keep_samples).
ProtocolSweep protocol_sweep(const std::string& protocol, const SweepSummary& summary);

// Sweeps every protocol the scenario lists over seeds seed_first..seed_last on `threads` threads
// (sim/sweep.h, samples kept); a side-by-side comparison is seed_first == seed_last. `progress`
// (may be empty) is called from worker threads with the runs finished for the current protocol
// and that protocol's index. Errors: an empty seed range, a protocol the registry does not know,
// a run that failed (bad scenario), "cancelled" when `cancel` (may be null) turned true.
using SweepProgress = std::function<void(std::size_t protocol, std::uint64_t runs_done)>;
Result<CompareSummary> sweep_protocols(const Scenario& sc, std::uint64_t seed_first,
                                       std::uint64_t seed_last, unsigned threads = 1,
                                       const SweepProgress& progress = {},
                                       const std::atomic<bool>* cancel = nullptr);

}  // namespace txsim::report
