// SagaRunPath: where one run of a saga went in its execution graph (sim/saga_explore.h) - the
// path the GUI's saga view highlights for the current run or a checker counterexample.
//
// The mapping, and why: the execution graph's states are the steps' business outcomes (pending,
// done, failed, compensated, failed then compensated), so a run is read from what the steps'
// services actually did, not from what the orchestrator believed. Each service runs at most one
// step of a saga (both saga protocols require it), so a service's `phase` observation about the
// saga's transaction names the step:
//   step-done -> the step's `complete` edge;   step-failed -> its `fail` edge;
//   compensated, null-compensated -> its `compensate` edge (from done, or from failed);
//   compensation-failed and every other phase -> no edge (the compensation is retried).
// A retriable step's transient failures have no `fail` edge and are skipped, as the graph's
// forward recovery says. Steps are atomic in the graph but not in a run: a step already running
// when another step fails may complete after that failure. Such an observation is placed at
// the latest earlier point where the path stays valid (the two were concurrent; the graph holds
// the interleaving in which the completion came first). An observation that fits nowhere - a
// duplicated action applied twice, a timed-out step the orchestrator gave up on while its
// service had applied it - is reported in `unmatched`: it is exactly what the graph's model
// does not contain, which is often the bug being looked at.
//
// Invariants: edges form a path from state 0 (edges[i].to == edges[i+1].from); states has
// edges.size() + 1 entries, states[0] == 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/trace_document.h"
#include "sim/saga_explore.h"
#include "sim/scenario.h"

namespace txsim::report {

struct SagaRunPath {
  std::int32_t tx = kNone;          // the trace's transaction followed (kNone: none found)
  std::vector<std::size_t> edges;   // execution-graph edge indexes, in path order
  std::vector<std::size_t> states;  // 0, then each edge's target
  std::vector<std::string> unmatched;  // "t=1200us Inventory: step-done (no edge)"
};

// Follows transaction `tx` of the trace (kNone: the first instance of `saga` in the trace).
// `sc` is the scenario the trace ran (steps name services by NodeId; the trace by name).
SagaRunPath saga_run_path(const TraceDocument& doc, const Scenario& sc, const SagaDef& saga,
                          const SagaExploration& x, std::int32_t tx = kNone);

}  // namespace txsim::report
