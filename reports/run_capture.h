// Capturing runs and checks in process: what `txsim run --trace` and `txsim check --trace`
// would write to a file, handed over as a TraceDocument instead. The GUI runs scenarios this
// way on its worker threads; the reports render the same documents to HTML/SVG.
//
// Why through the JSON Lines text and not a sink that builds the document directly: one path
// from the simulator to every viewer, so what the GUI shows is exactly what a trace file holds.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "protocols/registry.h"
#include "reports/trace_document.h"
#include "sim/check/check_report.h"

namespace txsim::report {

struct CapturedRun {
  TraceDocument trace;       // with payloads and every node's state after each handler
  RunResult result;
  std::string verdict_text;  // the verdict block `txsim run` prints
};

// One simulated run of `sc` with `protocol`. `cancel` (may be null) is polled at every event:
// when it turns true the run stops and the result is an error saying so.
Result<CapturedRun> capture_run(const Scenario& sc, const ProtocolInfo& protocol,
                                std::uint64_t seed, const std::atomic<bool>* cancel = nullptr);

struct CapturedCheck {
  check::CheckReport report;
  std::string report_text;                    // what `txsim check` prints
  std::optional<TraceDocument> counterexample;  // for a violation or blocking verdict
};

// The checker on `sc` with `protocol` (the scenario's check: budget, `options`' limits, stop
// flag and progress callback).
Result<CapturedCheck> capture_check(const Scenario& sc, const ProtocolInfo& protocol,
                                    const check::CheckOptions& options);

// The counterexample of `r` replayed through the simulator, as trace text (docs/trace-format.md)
// with every node's state after each handler, its header carrying the schedule so
// `txsim replay` can re-execute it.
Result<std::string> counterexample_trace(const Scenario& sc, const ProtocolInfo& protocol,
                                         const check::CheckReport& r);

}  // namespace txsim::report
