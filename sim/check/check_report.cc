#include "sim/check/check_report.h"

#include <cstdio>

#include "sim/json.h"

namespace txsim::check {

std::string CheckReport::verdict() const {
  if (stats.verdict == Verdict::violation && stats.violation &&
      stats.violation->invariant == "blocking")
    return "blocking";
  return verdict_name(stats.verdict);
}

std::string CheckReport::invariant() const {
  return verdict() == "violation" && stats.violation ? stats.violation->invariant : "";
}

std::string format_report(const CheckReport& r) {
  std::string out = "Model: " + r.model + "\n";
  if (!r.symmetry.empty()) out += "Symmetry: " + r.symmetry + "\n";
  out += format_summary(r.stats);
  if (!out.empty() && out.back() != '\n') out += "\n";
  if (r.stats.violation) {
    out += "\n" + std::string(r.verdict() == "blocking" ? "BLOCKING" : "VIOLATION") + " " +
           r.stats.violation->invariant + ": " + r.stats.violation->detail + "\n";
  }
  if (!r.steps.empty() || r.stats.violation) {
    out += "\nShortest path to it (" + std::to_string(r.steps.size()) + " steps):\n";
    char buf[32];
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%4zu. ", i + 1);
      out += buf + r.steps[i] + "\n";
    }
    if (!r.final_state.empty()) out += "\nFinal state: " + r.final_state + "\n";
  }
  return out;
}

std::string report_json(const CheckReport& r) {
  std::string steps = "[";
  for (const std::string& s : r.steps) {
    if (steps.size() > 1) steps += ",";
    append_json_string(steps, s);
  }
  steps += "]";
  const CheckStats& s = r.stats;
  JsonLine o;
  o.str("model", r.model).str("verdict", r.verdict()).str("strategy", strategy_name(s.strategy));
  if (!r.symmetry.empty()) o.str("symmetry", r.symmetry);
  if (s.violation) o.str("invariant", s.violation->invariant).str("detail", s.violation->detail);
  if (s.verdict == Verdict::incomplete) o.str("stopped_by", stop_reason_name(s.stop_reason));
  o.num("distinct_states", std::int64_t(s.distinct_states))
      .num("states_generated", std::int64_t(s.states_generated))
      .num("depth", std::int64_t(s.depth)).num("threads", s.threads);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.3f", s.seconds);
  o.raw("seconds", secs)
      .num("peak_memory_bytes", std::int64_t(s.peak_memory_bytes));
  char prob[32];
  std::snprintf(prob, sizeof prob, "%.3g", s.collision_probability);
  o.raw("collision_probability", prob).raw("counterexample", steps);
  return o.finish();
}

}  // namespace txsim::check
