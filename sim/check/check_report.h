// CheckReport: a finished check, ready to print, independent of the model's types.
//
// explore() returns CheckResult<M>, which knows the model's State; the CLI, reports and the
// registry need one shape for every model (textbook TLA+ ports and ProtocolModel<P> alike).
// make_report() keeps the statistics and renders the counterexample as numbered steps with the
// model's own action names, plus the final state as JSON.
#pragma once

#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/check/model.h"

namespace txsim::check {

struct CheckReport {
  std::string model;                 // "two_phase on scenarios/..." or "TwoPhase.tla rms=8"
  CheckStats stats;
  std::vector<std::string> steps;    // the counterexample, one described action per step
  std::vector<Action> schedule;      // the same steps as actions (replayable)
  std::string final_state;           // JSON of the counterexample's last state
  std::string symmetry;              // the symmetry reduction used, "" without one

  // "ok" | "violation" | "blocking" | "incomplete"; a protocol model reports blocking as the
  // pseudo-invariant "blocking", which counts as the blocking verdict here.
  std::string verdict() const;
  // The invariant id when verdict() is "violation".
  std::string invariant() const;
};

template <Model M>
CheckReport make_report(const M& model, std::string name, const CheckResult<M>& r) {
  CheckReport out;
  out.model = std::move(name);
  out.stats = r;
  if (r.counterexample) {
    const auto& cx = *r.counterexample;
    const typename M::State* prev = &cx.initial;
    for (const auto& step : cx.steps) {
      out.steps.push_back(model.describe_action(*prev, step.action));
      out.schedule.push_back(step.action);
      prev = &step.state;
    }
    out.final_state = model.describe_state(cx.last());
  }
  return out;
}

// The readable form `txsim check` prints: summary lines, then the counterexample if any.
std::string format_report(const CheckReport& report);
// One JSON object: verdict, invariant, counts, depth, threads, seconds, memory, steps.
std::string report_json(const CheckReport& report);

}  // namespace txsim::check
