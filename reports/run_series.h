// RunSeries: the quantities of one run that change over time, computed from a trace
// (reports/trace_document.h), for the GUI's run charts and any report that plots a run.
//
// Why a pure function of the trace and not of the simulator: a chart must draw any trace file,
// including a checker counterexample replayed long after the run, and must agree with the
// timeline beside it; both read the same TraceDocument.
//
// Every series is a step function: a point (t, v) says "from time t on, the value is v", until
// the next point. Points are in strictly increasing time, and consecutive points differ in value
// (changes at one instant are folded into the value after the last of them, so a send and a
// delivery at the same microsecond leave no point). The counters mirror the ledger
// (sim/ledger.h): locks are counted per (transaction, node), an unlock of nothing is ignored and
// a crash releases the node's locks; a `freeze` observation's value is a signed delta of the
// account's frozen amount (protocols/tcc: + on Try, - on Confirm / Cancel).
#pragma once

#include <cstdint>
#include <vector>

#include "reports/trace_document.h"

namespace txsim::report {

struct StepPoint {
  std::int64_t time_us = 0;
  std::int64_t value = 0;
  bool operator==(const StepPoint&) const = default;
};
using StepSeries = std::vector<StepPoint>;

// One node's phase about one transaction: value = index into TraceDocument::phases(). The
// series starts at the node's first phase observation for that transaction.
struct PhaseTrack {
  std::int16_t node = kNone;
  std::int32_t tx = kNone;  // kNone when the observation named no transaction
  StepSeries phases;
};

struct RunSeries {
  std::vector<PhaseTrack> phase_tracks;  // ordered by (node, tx)
  // Counters start at (0, 0); copies made by the network's duplication count as in flight.
  StepSeries messages_in_flight;
  StepSeries locks_held;                 // all nodes, all transactions
  StepSeries frozen_total;               // all accounts
  // Per account (indexed like TraceDocument::accounts()); empty for an account never frozen.
  std::vector<StepSeries> frozen_by_account;
  std::int64_t end_time_us = 0;          // the trace's end: the last value holds until then
  // The trace has lock / freeze observations at all: charts hide what a protocol never does.
  bool has_locks = false;
  bool has_frozen = false;
};

RunSeries run_series(const TraceDocument& doc);

// The value of a step series at time t (0 before its first point).
std::int64_t value_at(const StepSeries& series, std::int64_t time_us);

}  // namespace txsim::report
